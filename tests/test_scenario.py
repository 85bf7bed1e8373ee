"""The draft's §4 usage scenario, built through the public API, byte for byte.

A mobile node binds the flows with source port 22 (ssh) and 443 (https) to
CoA1: two Flow Identification options, F set, PRI 1, Action forward (1: the
"0" of §4 is an erratum), PRO add, FID 1 and 2.  The home agent answers each
with the option's first 8 octets, Status set (§3.8); the mobile node later
refreshes and removes the bindings with header-only options (§3.6, §3.7).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    Action,
    Flag,
    FlowIdentification,
    PortRange,
    Pro,
    Status,
    decode,
    encode,
)

VECTORS = {
    case["id"].split("-")[0]: case
    for case in map(json.loads, (Path(__file__).parent / "vectors" / "flow-identification.jsonl").open())
}

SSH, HTTPS = 22, 443


def _binding(fid: int, port: int) -> FlowIdentification:
    return FlowIdentification(
        fid=fid,
        priority=1,
        action=Action.FORWARD,
        pro=Pro.ADD,
        source_ports=PortRange.single(port),
    )


@pytest.mark.parametrize(("vector", "fid", "port"), [("h01", 1, SSH), ("h02", 2, HTTPS)])
def test_s4_scenario_options_match_the_vectors(vector: str, fid: int, port: int) -> None:
    option = _binding(fid, port)
    assert option.flags == Flag.F
    wire = encode(option)
    assert wire.hex() == VECTORS[vector]["hex"]
    assert decode(wire) == option
    # The vector's expected dict form is what to_dict says.
    form = option.to_dict()
    for key, want in VECTORS[vector]["expect"]["option"].items():
        assert form[key] == want, key


def test_s4_scenario_in_the_octet_profile_is_the_12_byte_option_of_h28a() -> None:
    option = _binding(1, SSH)
    wire = encode(option, DRAFT_02_OCTETS)
    assert len(wire) == 12  # "The option is 12 bytes in length."
    assert wire[1] == 10
    assert wire.hex() == VECTORS["h28a"]["hex"]
    assert decode(wire, DRAFT_02_OCTETS) == option


def test_s4_scenario_both_options_walk_as_one_buffer() -> None:
    options = [_binding(1, SSH), _binding(2, HTTPS)]
    buf = b"".join(encode(o) for o in options)
    assert buf.hex() == VECTORS["h01"]["hex"] + VECTORS["h02"]["hex"]
    assert list(flowbind.iter_options(buf)) == [(0, options[0]), (16, options[1])]


def _header_only_from(binding: bytes, *, pro: int | None = None, status: int | None = None) -> bytes:
    """A binding's first 8 octets, with PRO (and Status) changed and Len saying 8 octets."""
    out = bytearray(binding[:8])
    out[1] = DRAFT_02.header_only_length
    if pro is not None:
        out[7] = (pro << 4) | (out[7] & 0x0F)
    if status is not None:
        out[6] = status
    return bytes(out)


@pytest.mark.parametrize(("fid", "port"), [(1, SSH), (2, HTTPS)])
def test_s3_8_acknowledgement_copies_are_the_first_8_octets_with_status(fid: int, port: int) -> None:
    binding = encode(_binding(fid, port))
    for status in (Status.SUCCESS, Status.PORTS_NOT_SUPPORTED):
        copy = _header_only_from(binding, status=status)
        option = decode(copy)
        assert option.header_only and option.flags == Flag.F
        assert (option.fid, option.status, option.pro, option.priority) == (fid, status, Pro.ADD, 1)
        made = FlowIdentification(fid=fid, priority=1, status=status, flags=Flag.F)
        assert encode(made) == copy
        assert flowbind.is_success(option.status) == (status == Status.SUCCESS)


@pytest.mark.parametrize(("pro", "section"), [(Pro.REFRESH, "§3.7"), (Pro.REMOVE, "§3.6")])
@pytest.mark.parametrize(("fid", "port"), [(1, SSH), (2, HTTPS)])
def test_s3_6_s3_7_refresh_and_remove_are_header_only(pro: Pro, section: str, fid: int, port: int) -> None:
    binding = encode(_binding(fid, port))
    wire = _header_only_from(binding, pro=pro)
    assert len(wire) == 8
    option = decode(wire)
    assert option.header_only, section
    assert option.pro is pro and option.fid == fid
    assert option.flags == Flag.F  # still describes the binding's flow
    assert option.source_ports is None
    # The same option made through the API: the binding with PRO changed, fields dropped.
    made = _binding(fid, port).replace(pro=pro, source_ports=None, flags=Flag.F)
    assert encode(made) == wire
    assert decode(encode(made)) == made


def test_s4_scenario_in_the_octet_profile_header_only_forms_are_len_6() -> None:
    binding = encode(_binding(1, SSH), DRAFT_02_OCTETS)
    refresh = bytearray(binding[:8])
    refresh[1] = DRAFT_02_OCTETS.header_only_length
    refresh[7] = (Pro.REFRESH << 4) | 1
    option = decode(bytes(refresh), DRAFT_02_OCTETS)
    assert option.header_only and option.pro is Pro.REFRESH
    assert refresh[1] == 6
    made = FlowIdentification(fid=1, priority=1, pro=Pro.REFRESH, flags=Flag.F)
    assert encode(made, DRAFT_02_OCTETS) == bytes(refresh)
