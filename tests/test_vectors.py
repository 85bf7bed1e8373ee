"""The project's test vectors (copied from shared/vectors as data) all hold."""

from __future__ import annotations

import ipaddress
import json
from pathlib import Path
from typing import Any

import pytest

import flowbind

VECTORS = sorted((Path(__file__).parent / "vectors").glob("*.jsonl"))
CASES = [json.loads(line) for path in VECTORS for line in path.read_text().splitlines() if line.strip()]


def _profile(case: dict[str, Any]) -> flowbind.Profile:
    return flowbind.Profile(**case["profile"]) if case["profile"] else flowbind.DRAFT_02


def _norm_address(value: dict[str, Any] | None) -> Any:
    if value is None:
        return None
    return (ipaddress.IPv6Address(value["address"]), value["prefix"])


def test_there_are_vectors() -> None:
    assert len(CASES) >= 18


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_vector(case: dict[str, Any]) -> None:
    data = bytes.fromhex(case["hex"])
    profile = _profile(case)
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(flowbind.DecodeError) as info:
            flowbind.decode(data, profile)
        assert info.value.kind == expect["error"]
        if "offset" in expect:
            assert info.value.offset == expect["offset"]
        return
    option = flowbind.decode(data, profile)
    got = option.to_dict()
    for key, want in expect["option"].items():
        if key in ("source", "destination"):
            assert _norm_address(got[key]) == _norm_address(want), key
        elif key == "sub_options" and expect["option"].get("opaque") is not None:
            continue
        else:
            assert got[key] == want, key
    assert flowbind.encode(option, profile) == data
