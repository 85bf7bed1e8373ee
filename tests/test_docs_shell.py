"""The shell examples in README.md and docs/*.md print what the docs say they print.

A fenced ``sh`` block whose first line starts with ``$ `` is a transcript:
each ``$ `` line is a command, and the lines after it, up to the next ``$ ``
line or the end of the block, are its expected output (standard output and
standard error together).  Each command runs in bash, in an empty temporary
directory, with the directory of the installed ``flowbind`` console script
first on ``PATH``.  Blocks without a ``$ `` prompt (such as the README's setup
commands) are shown, not run.

The expected text lives only in the docs; this file holds none of it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\s*$")
SHELL_LANGUAGES = {"sh", "shell", "bash", "console"}
PROMPT = "$ "


@dataclass(frozen=True)
class Example:
    path: Path
    line: int
    command: str
    output: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def _blocks(path: Path) -> list[tuple[int, list[str]]]:
    """(line number of the first line, lines) of each fenced shell block."""
    blocks: list[tuple[int, list[str]]] = []
    inside: str | None = None  # the language of the open block, if any
    lines: list[str] = []
    start = 0
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(text)
        if inside is None:
            if fence:
                inside, lines, start = fence.group(1), [], number + 1
        elif fence and not fence.group(1):
            if inside in SHELL_LANGUAGES:
                blocks.append((start, lines))
            inside = None
        else:
            lines.append(text)
    return blocks


def examples(path: Path) -> list[Example]:
    found: list[Example] = []
    for start, lines in _blocks(path):
        if not lines or not lines[0].startswith(PROMPT):
            continue
        command: str | None = None
        line = start
        output: list[str] = []
        for offset, text in enumerate(lines):
            if text.startswith(PROMPT):
                if command is not None:
                    found.append(Example(path, line, command, tuple(output)))
                command, line, output = text[len(PROMPT) :], start + offset, []
            else:
                output.append(text)
        if command is not None:
            found.append(Example(path, line, command, tuple(output)))
    return found


def _strip(lines: list[str] | tuple[str, ...]) -> list[str]:
    out = [text.rstrip() for text in lines]
    while out and not out[-1]:
        out.pop()
    return out


EXAMPLES = [example for path in DOCS for example in examples(path)]


def _scripts_dir() -> Path:
    scripts = Path(sysconfig.get_path("scripts"))
    if (scripts / "flowbind").exists():
        return scripts
    found = shutil.which("flowbind")
    if found is None:
        pytest.fail("the flowbind console script is not installed: run `pip install -e .` first")
    return Path(found).parent


def test_the_docs_have_shell_examples() -> None:
    per_file = {example.path.name for example in EXAMPLES}
    assert {"README.md", "cli.md"} <= per_file


@pytest.mark.parametrize("example", EXAMPLES, ids=[example.id for example in EXAMPLES])
def test_shell_example(example: Example, tmp_path: Path) -> None:
    env = dict(os.environ)
    env["PATH"] = f"{_scripts_dir()}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "80"
    env.pop("PYTHONWARNINGS", None)
    result = subprocess.run(
        ["bash", "-c", example.command],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=120,
        check=False,
    )
    assert _strip(result.stdout.splitlines()) == _strip(example.output), f"{example.id}: $ {example.command}"
