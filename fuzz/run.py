"""Run a fuzz target: ``python -m fuzz.run TARGET [options] [-- libFuzzer flags]``.

From the checkout's root::

    .venv/bin/python -m fuzz.run option --runs 1000000            # atheris (libFuzzer), if installed
    .venv/bin/python -m fuzz.run message --engine random --runs 20000
    .venv/bin/python -m fuzz.run capture --coverage               # coverage.py over the saved corpus

TARGET is ``option``, ``message`` or ``capture`` (see :mod:`fuzz.targets`).
With atheris (``pip install atheris``) flowbind's modules are instrumented
and libFuzzer keeps the inputs that reach new code in ``fuzz/corpus/TARGET``
(seeded from :func:`fuzz.targets.seeds` when empty); a crash is written to
``fuzz/artifacts/`` and stops the run.  ``--engine random`` is the
dependency-free driver of :mod:`fuzz.driver`.  See ``docs/fuzzing.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MAX_LEN = {"option": 2100, "message": 2100, "capture": 4096}
#: The modules whose coverage --coverage reports, by target.
MODULES = {
    "option": ["codec.py", "reference.py", "model.py"],
    "message": ["mobility.py", "codec.py"],
    "capture": ["capture.py", "mobility.py"],
}


def _seed_corpus(target: str, corpus: Path) -> None:
    from fuzz import targets

    corpus.mkdir(parents=True, exist_ok=True)
    if any(corpus.iterdir()):
        return
    for data in targets.seeds(target):
        (corpus / hashlib.sha1(data).hexdigest()).write_bytes(data)


def _atheris(target: str, runs: int, corpus: Path, extra: list[str]) -> int:
    import atheris

    include = ["flowbind"] + (["scapy.utils"] if target == "capture" else [])
    with atheris.instrument_imports(include=include):
        if target == "capture":
            import scapy.utils  # noqa: F401 - instrumented: the pcap/pcapng readers
        from fuzz import targets
    fn = targets.TARGETS[target]
    _seed_corpus(target, corpus)
    artifacts = HERE / "artifacts"
    artifacts.mkdir(exist_ok=True)
    args = [
        sys.argv[0],
        f"-runs={runs}",
        f"-max_len={MAX_LEN[target]}",
        "-print_final_stats=1",
        f"-artifact_prefix={artifacts}/{target}-",
        "-rss_limit_mb=3072",
        "-timeout=30",
        *extra,
        str(corpus),
    ]
    atheris.Setup(args, fn)
    atheris.Fuzz()
    return 0


def _random(target: str, runs: int, seed: int) -> int:
    from fuzz import driver, targets

    result = driver.run(
        target,
        targets.TARGETS[target],
        targets.seeds(target),
        runs,
        seed=seed,
        max_len=MAX_LEN[target],
        signature=targets.SIGNATURES[target],
    )
    print(
        f"{target}: {result.inputs} inputs in {result.seconds:.1f} s ({result.rate:.0f}/s), "
        f"corpus {result.corpus}, {len(result.outcomes)} outcomes, {len(result.failures)} failures"
    )
    for failure in result.failures:
        print("  FAIL", failure)
    return 1 if result.failures else 0


def _coverage(target: str, corpus: Path, sample: int) -> int:
    import coverage

    src = HERE.parent / "src" / "flowbind"
    cov = coverage.Coverage(branch=True, include=[str(src / "*")], data_file=None)
    files = sorted(corpus.iterdir()) if corpus.is_dir() else []
    if len(files) > sample:
        step = len(files) / sample
        files = [files[int(i * step)] for i in range(sample)]
    cov.start()
    from fuzz import targets

    fn = targets.TARGETS[target]
    inputs = [f.read_bytes() for f in files] or targets.seeds(target)
    t = time.perf_counter()
    for data in inputs:
        fn(data)
    cov.stop()
    print(f"{target}: {len(inputs)} corpus inputs in {time.perf_counter() - t:.1f} s under coverage.py")
    cov.report(include=[str(src / m) for m in MODULES[target]], show_missing=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    extra: list[str] = []
    if "--" in argv:
        i = argv.index("--")
        argv, extra = argv[:i], argv[i + 1 :]
    parser = argparse.ArgumentParser(prog="python -m fuzz.run", description=__doc__.splitlines()[0])
    parser.add_argument("target", choices=sorted(MAX_LEN))
    parser.add_argument("--engine", choices=["atheris", "random"], default=None)
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0, help="random engine: the PRNG seed")
    parser.add_argument("--corpus", type=Path, default=None, help="default: fuzz/corpus/TARGET")
    parser.add_argument("--coverage", action="store_true", help="measure coverage of the corpus instead")
    parser.add_argument("--sample", type=int, default=5000, help="--coverage: at most this many inputs")
    args = parser.parse_args(argv)
    corpus = args.corpus or HERE / "corpus" / args.target
    if args.coverage:
        return _coverage(args.target, corpus, args.sample)
    engine = args.engine
    if engine is None:
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "random"
        else:
            engine = "atheris"
    if engine == "atheris":
        return _atheris(args.target, args.runs, corpus, extra)
    return _random(args.target, args.runs, args.seed)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
