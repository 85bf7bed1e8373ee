"""``st.from_type`` works where flowbind is merely installed (issue 5, "done when").

This builds a fresh virtual environment, installs flowbind (a copy of this
checkout) and hypothesis into it with pip, and runs a property outside the
checkout, so that nothing but the installed package and its ``hypothesis``
entry point can register the strategies.  It needs the package index and
takes about half a minute, so it is marked ``slow`` and left out of the
default run; run it with::

    .venv/bin/python -m pytest -m slow tests/test_installed.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROPERTY = """
import sys
from hypothesis import given, settings, strategies as st
import flowbind

seen = []

@settings(max_examples=300, deadline=None, database=None)
@given(st.from_type(flowbind.FlowIdentification), st.from_type(flowbind.BindingUpdate))
def round_trip(option, update):
    wire = flowbind.encode(option)
    assert flowbind.decode(wire) == option
    assert flowbind.encode(flowbind.decode(wire)) == wire
    mh = flowbind.build_message(update)
    assert flowbind.decode_message(flowbind.encode_message(mh)) == mh
    seen.append(option.header_only)

round_trip()
print(len(seen), sum(seen), flowbind.__file__, "flowbind.strategies" in sys.modules)
"""


@pytest.mark.slow
def test_from_type_round_trips_in_a_fresh_environment(tmp_path: Path) -> None:
    source = tmp_path / "flowbind-src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(ROOT / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(source), "hypothesis"],
        check=True,
        capture_output=True,
    )
    # Run from an empty directory: only the installed package can be imported.
    work = tmp_path / "elsewhere"
    work.mkdir()
    out = subprocess.run(
        [python, "-c", PROPERTY], cwd=work, check=True, capture_output=True, text=True, env={}
    ).stdout.split()
    examples, header_only, location, registered = int(out[0]), int(out[1]), out[2], out[3]
    assert examples == 300
    assert 0 < header_only < examples  # both header-only and longer options were drawn
    assert location.startswith(str(env)), location
    assert registered == "True"  # the entry point imported flowbind.strategies
    assert sys.executable != str(python)
