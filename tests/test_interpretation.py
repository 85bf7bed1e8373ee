"""One test per decision of interpretation.md, named after the draft section it settles.

The wire bytes here are written out by hand (``_header`` packs the 8-octet
header with ``struct``, independently of flowbind), so that each test states
what the reading requires, not what the codec happens to do.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import struct

import pytest

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    Action,
    AddressPrefix,
    BIDSubOption,
    DecodeError,
    EncodeError,
    Flag,
    FlowIdentification,
    ModelError,
    PortRange,
    Pro,
    Profile,
    Status,
    UnknownSubOption,
    decode,
    encode,
    reference,
)

BID16 = Profile(bid_width=2)

S, E, F, L, O, W, T, I, R, H = (0x8000 >> n for n in range(10))


def _header(
    flags: int = 0,
    *,
    length: int = 1,
    priority: int = 0,
    fid: int = 0,
    action: int = 1,
    status: int = 0,
    pro: int = 0,
    cls: int = 1,
    option_type: int = 18,
) -> bytes:
    """The 8-octet header of §2.1 / interpretation §2, packed by hand."""
    return struct.pack(
        ">BBHBBBB", option_type, length, flags | priority, fid, action, status, (pro << 4) | cls
    )


def _refused(data: bytes, profile: Profile = DRAFT_02) -> tuple[str, int]:
    """The kind and offset decode refuses ``data`` with (the reference codec agreeing)."""
    with pytest.raises(DecodeError) as info:
        decode(data, profile)
    with pytest.raises(DecodeError) as ref:
        reference.decode(data, profile)
    assert (ref.value.kind, ref.value.offset) == (info.value.kind, info.value.offset)
    return info.value.kind, info.value.offset


ADDR1 = bytes.fromhex("20010db8000000000000000000000001")
ADDR2 = bytes.fromhex("20010db8000000000000000000000002")


# --- 1. profile fields ---------------------------------------------------------------


def test_s2_1_option_type_tbd_defaults_to_18_experimental() -> None:
    assert DRAFT_02.option_type == 18
    assert DRAFT_02_OCTETS.option_type == 18
    # RFC 6089's types are taken by another layout: never the default, but settable.
    assert DRAFT_02.option_type not in (44, 45)
    other = Profile(option_type=200)
    data = encode(FlowIdentification(fid=5), other)
    assert data[0] == 200
    assert decode(data, other).fid == 5
    assert _refused(data) == ("type", 0)


def test_s2_1_option_len_8_octet_units_default() -> None:
    """Len counts the whole option, Type and Len included, in 8-octet units."""
    assert DRAFT_02.length_unit == "8-octet"
    option = FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22))
    data = encode(option)
    # 8 header + 4 ports = 12, zero-padded to 16 = Len 2 (not Len 1, "not including the first 8").
    assert data == _header(F, length=2, priority=1, fid=1) + bytes.fromhex("00160016") + bytes(4)
    assert DRAFT_02.option_size(1) == 8
    assert DRAFT_02.max_size == 255 * 8


def test_s4_octet_profile_12_byte_example_is_len_10() -> None:
    """The octet unit: Len counts the octets after the Len octet, as RFC 6275 does."""
    assert DRAFT_02_OCTETS.length_unit == "octet"
    option = FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22))
    data = encode(option, DRAFT_02_OCTETS)
    assert len(data) == 12
    assert data == _header(F, length=10, priority=1, fid=1) + bytes.fromhex("00160016")
    assert decode(data, DRAFT_02_OCTETS) == option
    assert DRAFT_02_OCTETS.max_size == 257
    # The same 12 octets are not an 8-octet-unit option (Len 10 = 80 octets).
    assert _refused(data) == ("truncated", 12)


def test_s2_2_bid_width_one_octet_default_two_octets_alternative() -> None:
    assert DRAFT_02.bid_width == 1
    option = FlowIdentification(fid=10, action=Action.NCAST, sub_options=(BIDSubOption((7,)),))
    assert encode(option)[8:11] == bytes([1, 3, 7])
    assert encode(option, BID16)[8:12] == bytes([1, 4, 0, 7])
    assert decode(encode(option, BID16), BID16) == option
    with pytest.raises(ValueError, match="bid_width"):
        Profile(bid_width=3)


def test_s3_8_ack_copy_default_rewrite_and_ignored_by_single_option_decode() -> None:
    assert DRAFT_02.ack_copy == "rewrite"
    verbatim = Profile(ack_copy="verbatim")
    data = _header(F, length=2) + bytes.fromhex("0016001600000000")
    assert decode(data, verbatim) == decode(data, DRAFT_02)
    with pytest.raises(ValueError):
        Profile(ack_copy="copy")


def test_s2_1_profile_refuses_invalid_values_when_made() -> None:
    for bad in ({"option_type": 256}, {"option_type": -1}, {"length_unit": "bits"}, {"bid_width": 0}):
        with pytest.raises(ValueError):
            Profile(**bad)  # type: ignore[arg-type]


# --- 2. the fixed header ---------------------------------------------------------------


def test_s2_1_header_octets_and_flag_bits() -> None:
    option = FlowIdentification(
        fid=0xAB, action=0xCD, status=0xEF, priority=0x2A, pro=Pro.REFRESH, cls=0x3, flags="RH"
    )
    data = encode(option)
    assert data == bytes([18, 1, 0x00, 0x80 | 0x40 | 0x2A, 0xAB, 0xCD, 0xEF, 0x23])
    letters = "SEFLOWTIRH"
    for n, letter in enumerate(letters):
        assert int(Flag[letter]) == 0x8000 >> n
    assert decode(data).flags == Flag.R | Flag.H


def test_s2_1_pro_remove_is_15_not_255() -> None:
    assert int(Pro.REMOVE) == 15
    assert (Pro.ADD, Pro.REPLACE, Pro.REFRESH) == (0, 1, 2)
    data = encode(FlowIdentification(fid=5, pro=Pro.REMOVE))
    assert data[7] >> 4 == 0xF
    assert decode(data).pro is Pro.REMOVE
    with pytest.raises(ModelError):
        FlowIdentification(pro=255)
    # Other 4-bit values decode as raw numbers.
    unknown = decode(_header(pro=7))
    assert unknown.pro == 7 and not isinstance(unknown.pro, Pro)


def test_s4_example_action_forward_is_1() -> None:
    assert int(Action.FORWARD) == 1
    assert (Action.DISCARD, Action.NCAST) == (2, 3)
    assert decode(_header(action=1)).action is Action.FORWARD
    zero = decode(_header(action=0))
    assert zero.action == 0 and not isinstance(zero.action, Action)
    assert decode(_header(action=200)).action == 200


def test_s7_3_1_status_fid_not_found_is_136_not_137() -> None:
    assert int(Status.FID_NOT_FOUND) == 136
    assert int(Status.CLASSIFIER_NOT_SUPPORTED) == 137
    assert [int(s) for s in Status][1:] == list(range(128, 140))
    assert flowbind.is_success(0) and flowbind.is_success(127)
    assert not flowbind.is_success(128) and not Status.POORLY_FORMED.is_success


def test_s2_1_status_is_kept_as_received_in_a_binding_update() -> None:
    for status in (0, 5, 136, 200):
        assert decode(_header(status=status)).status == status


def test_s2_1_cls_1_is_the_only_classifier_others_are_opaque() -> None:
    body = bytes.fromhex("0016001600000000")
    option = decode(_header(F, length=2, cls=2) + body)
    assert option.cls == 2
    assert option.opaque == body
    assert option.source_ports is None
    assert option.flags == Flag.F
    assert encode(option) == _header(F, length=2, cls=2) + body


# --- 3. the flag-driven fields --------------------------------------------------------------


def test_s2_1_prefix_is_8_bits_up_to_128() -> None:
    option = FlowIdentification(source=AddressPrefix(ipaddress.IPv6Address(ADDR1), 128))
    data = encode(option)
    assert data[8:24] == ADDR1 and data[24:28] == bytes([128, 0, 0, 0])
    # Figure 1 draws 7 bits; 8 are needed for 128, and the octet is read whole.
    assert decode(_header(S, length=4) + ADDR1 + bytes([0x80, 0, 0, 0]) + bytes(4)).source.prefix == 128  # type: ignore[union-attr]


def test_s2_1_prefix_above_128_is_refused_at_the_prefix_octet() -> None:
    src_bad = _header(S | E, length=6) + ADDR1 + bytes([129, 0, 0, 0]) + ADDR2 + bytes([128, 0, 0, 0])
    assert _refused(src_bad) == ("value", 24)
    dst_bad = _header(S | E, length=6) + ADDR1 + bytes([128, 0, 0, 0]) + ADDR2 + bytes([255, 0, 0, 0])
    assert _refused(dst_bad) == ("value", 44)
    only_dst = _header(E, length=4) + ADDR2 + bytes([200, 0, 0, 0]) + bytes(4)
    assert _refused(only_dst) == ("value", 24)
    with pytest.raises(ModelError):
        AddressPrefix("2001:db8::1", 129)


def test_s2_1_ipv4_prefix_counts_bits_of_the_mapped_address() -> None:
    ap = AddressPrefix("192.0.2.0", 120)
    assert ap.address == ipaddress.IPv6Address("::ffff:c000:200")
    data = encode(FlowIdentification(destination=ap))
    assert data[8:24] == bytes(10) + b"\xff\xff" + bytes([192, 0, 2, 0])
    assert data[24] == 120


def test_s2_1_address_bits_beyond_the_prefix_are_kept() -> None:
    data = _header(S, length=4) + ADDR1 + bytes([64, 0, 0, 0]) + bytes(4)
    option = decode(data)
    assert option.source == AddressPrefix("2001:db8::1", 64)
    assert encode(option) == data


def test_s2_1_flow_label_is_20_bits_then_12_reserved() -> None:
    data = encode(FlowIdentification(flow_label=0xABCDE))
    assert data[8:12] == bytes.fromhex("abcde000")
    kept = decode(_header(W, length=2) + bytes.fromhex("abcde123") + bytes(4))
    assert (kept.flow_label, kept.res3) == (0xABCDE, 0x123)
    with pytest.raises(ModelError):
        FlowIdentification(flow_label=1 << 20)


def test_s2_1_fields_follow_figure_1_order_not_flag_order() -> None:
    """I (SPI) comes before W (flow label), although W's flag comes first."""
    option = FlowIdentification(spi=0x11223344, flow_label=0x55667, protocol=6, source_ports=PortRange(1, 2))
    data = encode(option)
    assert data[8:24] == bytes.fromhex("00010002112233445566700006000000")
    assert len(data) == 24


def test_s2_1_protocol_word_is_present_for_o_or_t_with_ignored_octets_kept() -> None:
    # O alone: Protocol 6, the C.S. octet 0x2e ignored but kept.
    o_only = _header(O, length=2, priority=1) + bytes.fromhex("062e0000") + bytes(4)
    opt = decode(o_only)
    assert (opt.protocol, opt.class_of_service, opt.ignored_class_of_service) == (6, None, 0x2E)
    assert encode(opt) == o_only
    # T alone: C.S. 0xb8, the Protocol octet 0x11 ignored but kept.
    t_only = _header(T, length=2) + bytes.fromhex("11b80000") + bytes(4)
    opt = decode(t_only)
    assert (opt.protocol, opt.class_of_service, opt.ignored_protocol) == (None, 0xB8, 0x11)
    assert encode(opt) == t_only
    # O and T share one word: 4 octets, not 8.
    both = FlowIdentification(protocol=17, class_of_service=0xB8)
    assert encode(both, DRAFT_02_OCTETS) == _header(O | T, length=10) + bytes.fromhex("11b80000")
    # New values write the ignored octet as zero.
    assert encode(FlowIdentification(protocol=6), DRAFT_02_OCTETS)[8:12] == bytes.fromhex("06000000")


def test_s2_1_class_of_service_reserved_is_16_bits_not_12() -> None:
    opt = decode(_header(O | T, length=2) + bytes.fromhex("0600ffff") + bytes(4))
    assert opt.res4 == 0xFFFF
    assert FlowIdentification(protocol=6, res4=0xFFFF).res4 == 0xFFFF
    with pytest.raises(ModelError):
        FlowIdentification(protocol=6, res4=0x10000)


def test_s2_1_r_and_h_carry_no_field() -> None:
    option = FlowIdentification(flags=Flag.R | Flag.H, source_ports=PortRange(22, 22))
    assert encode(option, DRAFT_02_OCTETS) == _header(F | R | H, length=10) + bytes.fromhex("00160016")
    assert decode(_header(R | H, length=1)).flags == Flag.R | Flag.H


def test_s2_1_ipv4_mapped_addresses_are_written_dotted() -> None:
    option = FlowIdentification(source=AddressPrefix("192.0.2.1"))
    form = option.to_dict()
    assert form["source"] == {"address": "::ffff:192.0.2.1", "prefix": 128}
    assert "::ffff:192.0.2.1/128" in repr(option)
    assert flowbind.address_text(ipaddress.IPv6Address("2001:db8:0:0:0:0:0:1")) == "2001:db8::1"
    assert FlowIdentification.from_dict(form) == option


# --- 4. sub-options and padding --------------------------------------------------------------


def test_s2_2_sub_option_len_counts_the_whole_sub_option() -> None:
    option = FlowIdentification(fid=10, sub_options=(BIDSubOption((7, 8)),))
    assert encode(option)[8:12] == bytes([1, 4, 7, 8])  # Type, Len = 2 + 2 BIDs
    empty = FlowIdentification(sub_options=(UnknownSubOption(9),))
    assert encode(empty)[8:10] == bytes([9, 2])


def test_s2_2_sub_option_len_below_2_or_overrun_is_malformed() -> None:
    for sub_len in (0, 1):
        data = _header(length=2) + bytes([1, sub_len]) + bytes(6)
        assert _refused(data) == ("sub-option", 8)
    overrun = bytes.fromhex("1202000a0a0300010103070509eeeeee")  # vector h16
    assert _refused(overrun) == ("sub-option", 11)
    # A Type with no room for its Len octet, at the option's last octet.
    assert _refused(_header(length=2) + bytes(7) + b"\x05") == ("sub-option", 15)


def test_s2_2_bid_data_must_be_a_multiple_of_the_bid_width() -> None:
    data = _header(length=2) + bytes([1, 5, 0, 7, 9]) + bytes(3)
    assert _refused(data, BID16) == ("sub-option", 8)
    assert decode(data).bids == (0, 7, 9)


def test_s2_2_several_bid_sub_options_are_kept_apart_in_order() -> None:
    data = _header(length=2, action=3) + bytes([1, 3, 7, 1, 4, 8, 9]) + bytes(1)
    option = decode(data)
    assert option.sub_options == (BIDSubOption((7,)), BIDSubOption((8, 9)))
    assert option.bids == (7, 8, 9)
    assert encode(option) == data


def test_s2_2_a_zero_octet_is_one_octet_of_padding() -> None:
    data = _header(length=2) + bytes([0, 0, 1, 3, 7, 0, 9, 2])
    option = decode(data)
    assert option.sub_options == (BIDSubOption((7,)), UnknownSubOption(9))
    assert option.pad_before == (2, 1)
    assert encode(option) == data


def test_s2_2_padding_of_the_8_octet_unit_is_zero_octets_kept_beyond_the_minimum() -> None:
    minimal = _header(length=2) + bytes([1, 3, 7]) + bytes(5)
    assert decode(minimal).padding == 0
    extra = _header(length=3) + bytes([1, 3, 7]) + bytes(13)
    option = decode(extra)
    assert option.padding == 8
    assert encode(option) == extra
    assert encode(option.replace(padding=0)) == minimal


def test_s2_2_unknown_sub_options_are_kept() -> None:
    data = _header(length=2) + bytes([42, 5, 0xDE, 0xAD, 0xBE]) + bytes(3)
    option = decode(data)
    assert option.sub_options == (UnknownSubOption(42, b"\xde\xad\xbe"),)
    assert option.to_dict()["sub_options"] == [{"type": 42, "data": "deadbe"}]
    assert encode(option) == data


# --- 5. header-only options ------------------------------------------------------------------


BINDING = FlowIdentification(
    fid=7, priority=3, flags=Flag.R, source=AddressPrefix("2001:db8::1"), source_ports=PortRange(22, 22)
)


def _from_binding(pro: int, status: int = 0, profile: Profile = DRAFT_02) -> bytes:
    """A header-only form made from the binding's first 8 octets (interpretation §5)."""
    first8 = bytearray(encode(BINDING, profile)[:8])
    first8[1] = profile.header_only_length
    first8[6] = status
    first8[7] = (pro << 4) | (first8[7] & 0x0F)
    return bytes(first8)


@pytest.mark.parametrize(
    ("section", "pro", "status"),
    [
        ("s3_6 refresh", Pro.REFRESH, 0),
        ("s3_7 remove", Pro.REMOVE, 0),
        ("s3_8 ack copy", Pro.ADD, 0),
        ("s3_8 ack copy refused", Pro.ADD, 135),
        ("s5_2 movement replace", Pro.REPLACE, 0),
    ],
)
@pytest.mark.parametrize("profile", [DRAFT_02, DRAFT_02_OCTETS], ids=["draft02", "octets"])
def test_s3_6_s3_7_s3_8_s5_2_header_only_forms_keep_their_flags(
    section: str, pro: int, status: int, profile: Profile
) -> None:
    data = _from_binding(pro, status, profile)
    assert len(data) == 8
    option = decode(data, profile)
    assert option.header_only
    assert option.flags == Flag.S | Flag.F | Flag.R  # they describe the binding's flow
    assert (option.source, option.source_ports, option.sub_options) == (None, None, ())
    assert (option.fid, option.priority, option.pro, option.status) == (7, 3, pro, status)
    assert encode(option, profile) == data
    made = FlowIdentification(fid=7, priority=3, pro=pro, status=status, flags="SFR")
    assert made == option and made.header_only


def test_s3_4_header_only_add_without_field_flags_is_a_wildcard() -> None:
    wildcard = decode(_header(length=1, pro=0))
    assert wildcard.header_only and wildcard.is_wildcard
    narrowed = decode(_header(R, length=1, pro=0))
    assert narrowed.is_wildcard and narrowed.flags == Flag.R
    assert not decode(_header(S, length=1, pro=0)).is_wildcard
    assert not decode(_header(length=1, pro=Pro.REFRESH)).is_wildcard


def test_s5_header_only_is_len_1_or_len_6_whatever_the_flags() -> None:
    every = S | E | F | L | O | W | T | I | R | H
    assert decode(_header(every, length=1)).flags == Flag(every)
    assert decode(_header(every, length=6), DRAFT_02_OCTETS).header_only
    assert (DRAFT_02.header_only_length, DRAFT_02_OCTETS.header_only_length) == (1, 6)


def test_s5_a_longer_option_must_hold_every_announced_field() -> None:
    # S announces 20 octets; Len 2 leaves 8.
    assert _refused(_header(S, length=2) + bytes(8)) == ("length", 1)
    assert _refused(_header(F | L, length=10) + bytes(4), DRAFT_02_OCTETS) == ("length", 1)


def test_s5_octets_after_a_header_only_option_belong_to_the_next_option() -> None:
    first = _header(S | F, length=1, fid=1)
    second = _header(F, length=2, fid=2) + bytes.fromhex("01bb01bb") + bytes(4)
    walked = list(flowbind.iter_options(first + second))
    assert [(off, opt.fid) for off, opt in walked] == [(0, 1), (8, 2)]
    assert walked[0][1].header_only and walked[0][1].source is None
    assert _refused(first + second) == ("trailing", 8)


def test_s5_cls_other_than_1_has_no_field_count_rule() -> None:
    # S would need 20 octets; with CLS 3 the 8 octets after the header are opaque.
    data = _header(S | E, length=2, cls=3) + bytes(range(8))
    option = decode(data)
    assert option.opaque == bytes(range(8)) and option.flags == Flag.S | Flag.E
    assert encode(option) == data
    header_only = decode(_header(S, length=1, cls=3))
    assert header_only.header_only and header_only.opaque == b""


# --- 6. decoding and encoding ------------------------------------------------------------------


def test_s6_offsets_of_each_error_kind() -> None:
    good = _header(F, length=2) + bytes.fromhex("0016001600000000")
    assert _refused(b"") == ("truncated", 0)
    assert _refused(good[:11]) == ("truncated", 11)
    assert _refused(b"\x13" + good[1:]) == ("type", 0)
    assert _refused(_header(length=0)) == ("length", 1)
    assert _refused(_header(S | E, length=6) + ADDR1 + bytes([130, 0, 0, 0]) + ADDR2 + bytes(4)) == (
        "value",
        24,
    )
    assert _refused(_header(F, length=2) + bytes(4) + bytes([7, 9]) + bytes(2)) == ("sub-option", 12)
    assert _refused(good + b"\x00\x00") == ("trailing", 16)
    for kind, offset in (("value", 24), ("trailing", 16)):
        with pytest.raises(DecodeError, match=f"{kind} at octet {offset}"):
            decode(
                _header(S, length=4) + ADDR1 + bytes([130, 0, 0, 0]) + bytes(4)
                if kind == "value"
                else good + b"\x01"
            )


ORDER_CASES = [
    ("empty", b"", "truncated", 0),
    ("wrong type, no Len", b"\x13", "type", 0),
    ("wrong type and Len 0", b"\x13\x00", "type", 0),
    ("no Len octet", b"\x12", "truncated", 1),
    ("Len 0 before a short buffer", b"\x12\x00\x00", "length", 1),
    ("short buffer before the fields that do not fit", _header(S, length=2) + bytes(2), "truncated", 10),
    ("fields that do not fit before trailing", _header(S, length=2) + bytes(8) + b"\x01", "length", 1),
    (
        "fields that do not fit before a bad prefix",
        _header(S | E, length=4) + ADDR1 + bytes([200, 0, 0, 0]) + bytes(4),
        "length",
        1,
    ),
    (
        "bad prefix before bad sub-option",
        _header(S, length=4) + ADDR1 + bytes([129, 0, 0, 0]) + bytes([5, 0, 0, 0]),
        "value",
        24,
    ),
    (
        "source prefix before destination prefix",
        _header(S | E, length=6) + ADDR1 + bytes([129, 0, 0, 0]) + ADDR2 + bytes([130, 0, 0, 0]),
        "value",
        24,
    ),
    (
        "first bad sub-option before a later one",
        _header(length=2) + bytes([3, 1, 4, 0]) + bytes(4),
        "sub-option",
        8,
    ),
    (
        "bad sub-option before trailing",
        _header(length=2) + bytes([3, 9]) + bytes(6) + b"\x12",
        "sub-option",
        8,
    ),
]


@pytest.mark.parametrize(("name", "data", "kind", "offset"), ORDER_CASES, ids=[c[0] for c in ORDER_CASES])
def test_s6_error_order_with_several_faults(name: str, data: bytes, kind: str, offset: int) -> None:
    assert _refused(data) == (kind, offset), name


def test_s6_decode_accepts_what_breaks_the_rules_but_can_be_represented() -> None:
    cases = [
        _header(F, length=2, action=0) + bytes.fromhex("0016001600000000"),  # Action 0
        _header(S | R, length=4) + ADDR1 + bytes([128, 0, 0, 0]) + bytes(4),  # S with R
        _header(F, length=2) + bytes.fromhex("01bb0016") + bytes(4),  # min port > max port
        _header(W, length=2) + bytes.fromhex("00001fff") + bytes(4),  # non-zero Res3
        _header(length=1, pro=9),  # unknown PRO
        _header(length=2) + bytes([1, 2]) + bytes(6),  # empty BID sub-option
    ]
    for data in cases:
        assert encode(decode(data)) == data


def test_s6_reserved_bits_ignored_octets_and_padding_are_kept_and_round_tripped() -> None:
    data = (
        _header(S | E | O | W, length=8)
        + ADDR1
        + bytes([64, 0xAA, 0xBB, 0xCC])  # Res1
        + ADDR2
        + bytes([128, 0, 0, 1])  # Res2
        + bytes.fromhex("12345fff")  # flow label + Res3
        + bytes.fromhex("06e5dead")  # Protocol, ignored C.S., Res4
        + bytes(8)  # 8 octets of padding beyond the minimum
    )
    option = decode(data)
    assert option.source.reserved == 0xAABBCC  # type: ignore[union-attr]
    assert option.destination.reserved == 1  # type: ignore[union-attr]
    assert (option.res3, option.res4, option.ignored_class_of_service) == (0xFFF, 0xDEAD, 0xE5)
    assert option.padding == 8
    assert encode(option) == data
    assert FlowIdentification.from_dict(option.to_dict()) == option
    # A new value with the same meaning writes all of them as zero.
    fresh = FlowIdentification(
        source=AddressPrefix("2001:db8::1", 64),
        destination=AddressPrefix("2001:db8::2"),
        flow_label=0x12345,
        protocol=6,
    )
    zeroed = encode(fresh)
    assert zeroed == (
        _header(S | E | O | W, length=7)
        + ADDR1
        + bytes([64, 0, 0, 0])
        + ADDR2
        + bytes([128, 0, 0, 0])
        + bytes.fromhex("12345000")
        + bytes.fromhex("06000000")
    )


def test_s6_encode_refuses_out_of_range_values_and_never_truncates() -> None:
    wide = FlowIdentification(fid=1, sub_options=(BIDSubOption((1, 256)),))
    with pytest.raises(EncodeError) as info:
        encode(wide)
    assert info.value.field == "sub_options[0].bids[1]"
    assert decode(encode(wide, BID16), BID16) == wide  # fits 16 bits
    too_many = FlowIdentification(sub_options=(BIDSubOption(tuple(range(127))),))
    with pytest.raises(EncodeError, match="Len"):
        encode(too_many, BID16)  # 2 + 254 > 255
    big = FlowIdentification(sub_options=tuple(UnknownSubOption(9, bytes(253)) for _ in range(9)))
    with pytest.raises(EncodeError, match="2040"):
        encode(big)  # 8 + 9 * 255 > 2040
    assert len(encode(big.replace(sub_options=big.sub_options[:7]))) == 8 + 7 * 255 + 7
    with pytest.raises(EncodeError, match="257"):
        encode(big.replace(sub_options=big.sub_options[:1]), DRAFT_02_OCTETS)  # 8 + 255 > 257
    with pytest.raises(EncodeError) as info:
        encode(FlowIdentification(protocol=6, padding=4))
    assert info.value.field == "padding"
    assert len(encode(FlowIdentification(protocol=6, padding=4), DRAFT_02_OCTETS)) == 16
    with pytest.raises(EncodeError) as info:
        encode(FlowIdentification(cls=2, opaque=b"abc"))
    assert info.value.field == "opaque"
    assert isinstance(info.value, ValueError) and isinstance(info.value, flowbind.FlowbindError)


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("priority", lambda: FlowIdentification(priority=64)),
        ("pro", lambda: FlowIdentification(pro=16)),
        ("fid", lambda: FlowIdentification(fid=256)),
        ("min", lambda: PortRange(65536, 0)),
        ("max", lambda: PortRange(0, 65536)),
        ("flow_label", lambda: FlowIdentification(flow_label=1 << 20)),
        ("spi", lambda: FlowIdentification(spi=1 << 32)),
        ("prefix", lambda: AddressPrefix("::1", 129)),
        ("bids[0]", lambda: BIDSubOption((1 << 16,))),
        ("flags", lambda: FlowIdentification(flags="S", source_ports=PortRange(1, 1))),
        ("flags", lambda: FlowIdentification(flags="O", class_of_service=1)),
        ("type", lambda: UnknownSubOption(0)),
        ("type", lambda: UnknownSubOption(1)),
        ("data", lambda: UnknownSubOption(9, bytes(254))),
        ("cls", lambda: FlowIdentification(cls=2, spi=1)),
        ("opaque", lambda: FlowIdentification(opaque=b"x")),
    ],
)
def test_s6_model_refuses_what_the_wire_cannot_carry(field: str, make: object) -> None:
    with pytest.raises(ModelError) as info:
        make()  # type: ignore[operator]
    assert info.value.field == field
    assert isinstance(info.value, ValueError)
    assert field.split("[")[0] in str(info.value)


def test_s6_replace_revalidates() -> None:
    option = FlowIdentification(fid=1, priority=1)
    with pytest.raises(ModelError):
        dataclasses.replace(option, priority=64)
    with pytest.raises(ModelError):
        option.replace(pro=16)
