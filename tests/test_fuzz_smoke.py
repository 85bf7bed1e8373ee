"""A bounded smoke run of each fuzz target (issue 5 item 3): a few thousand inputs each.

The campaign itself (10^6 inputs per target, atheris) is run by hand with
``fuzz/campaign.sh``; docs/fuzzing.md reports it.  This runs the same targets
through the dependency-free driver of ``fuzz/driver.py``, deterministically,
so that CI notices a promise broken on hostile input.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fuzz import driver, targets  # noqa: E402

#: Inputs per target, and the fewest distinct outcomes the run must reach
#: (a check that the driver still gets past the first refusals).
BUDGET = {"option": (4000, 300), "message": (4000, 150), "capture": (2000, 60)}


@pytest.mark.parametrize("target", sorted(BUDGET))
def test_fuzz_target_smoke(target: str) -> None:
    runs, outcomes = BUDGET[target]
    result = driver.run(
        target,
        targets.TARGETS[target],
        targets.seeds(target),
        runs,
        seed=5,
        signature=targets.SIGNATURES[target],
    )
    assert not result.failures, "\n".join(map(str, result.failures))
    assert result.inputs >= runs
    assert len(result.outcomes) >= outcomes, len(result.outcomes)


def test_targets_catch_a_broken_promise(monkeypatch: pytest.MonkeyPatch) -> None:
    """The targets are not vacuous: a decode that re-encodes wrongly, or leaks an exception, fails."""
    import flowbind

    good = bytes.fromhex("12022001010100010016001600000000")
    real_encode = flowbind.encode
    monkeypatch.setattr(flowbind, "encode", lambda o, p=flowbind.DRAFT_02: real_encode(o, p)[:-1] + b"\1")
    with pytest.raises(targets.Broken, match="re-encoded differently"):
        targets.option(good)
    monkeypatch.undo()

    def leaky(data: bytes, profile: object = None, **kw: object) -> object:
        raise IndexError("leaked")

    monkeypatch.setattr(targets, "decode_message", leaky)
    with pytest.raises(IndexError):
        targets.message(b"\x3b\x00\x05\x00\x00\x00\x00\x00")
    monkeypatch.undo()
    targets.option(good)
    targets.message(b"\x3b\x00\x05\x00\x00\x00\x00\x00")


def test_capture_target_reads_its_frames_mode() -> None:
    """Odd first octet: the rest is frames the target wraps in a pcap of its own."""
    seed = next(s for s in targets.seeds("capture") if s[0] & 1)
    body, linktype, frames = targets._frames_pcap(seed[2:])
    assert frames and body[:4] == b"\xd4\xc3\xb2\xa1"
    assert linktype == targets.LINKTYPES[seed[2]]
    targets.capture(seed)
