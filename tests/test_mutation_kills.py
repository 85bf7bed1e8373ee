"""Behaviour the mutation run (docs/mutation.md) found untested, now pinned.

Each section names the module whose mutants survived the other tests.  The
tests state what the code must do: derived layouts, error fields and
messages, text forms, defaults of the dict form, boundaries.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import construct as c
import pytest

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    AddressPrefix,
    BIDSubOption,
    DecodeError,
    EncodeError,
    Flag,
    FlowIdentification,
    ModelError,
    PortRange,
    Profile,
    UnknownSubOption,
    reference,
    schema,
)

# --- schema: derive() run afresh gives the layouts the codec was built from ------------------

#: (format, items, bits) of every declaration, as Figure 1 and interpretation §3 lay them out.
PINNED = {
    "HEADER": (
        ">BBHBBBB",
        ("type", "length", "word", "fid", "action", "status", "pro_cls"),
        {
            "S": (2, 15, 1),
            "E": (2, 14, 1),
            "F": (2, 13, 1),
            "L": (2, 12, 1),
            "O": (2, 11, 1),
            "W": (2, 10, 1),
            "T": (2, 9, 1),
            "I": (2, 8, 1),
            "R": (2, 7, 1),
            "H": (2, 6, 1),
            "priority": (2, 0, 63),
            "pro": (6, 4, 15),
            "cls": (6, 0, 15),
        },
    ),
    "SUB_OPTION_HEADER": (">BB", ("type", "length"), {}),
    "ADDRESS": (">16sI", ("address", "tail"), {"prefix": (1, 24, 255), "reserved": (1, 0, 0xFFFFFF)}),
    "PORTS": (">HH", ("min", "max"), {}),
    "SPI": (">L", ("spi",), {}),
    "FLOW_LABEL": (">I", ("word",), {"flow_label": (0, 12, 0xFFFFF), "reserved": (0, 0, 0xFFF)}),
    "PROTOCOL_WORD": (">BBH", ("protocol", "class_of_service", "reserved"), {}),
}


def _shape(layout: schema.Layout) -> tuple[str, tuple[str, ...], dict[str, tuple[int, int, int]]]:
    return layout.fmt.format, layout.items, layout.bits


@pytest.mark.parametrize("name", sorted(PINNED))
def test_derive_gives_the_pinned_layout(name: str) -> None:
    con = getattr(schema, name)
    fresh = schema.derive(con)
    assert _shape(fresh) == PINNED[name]
    assert fresh.fmt.size == con.sizeof()
    for bit, (_, shift, mask) in fresh.bits.items():
        assert fresh.shift(bit) == shift
        assert fresh.mask(bit) == mask << shift


def test_the_codecs_layouts_are_the_fresh_derivations() -> None:
    assert _shape(schema.HEADER_LAYOUT) == _shape(schema.derive(schema.HEADER))
    assert _shape(schema.SUB_OPTION_HEADER_LAYOUT) == _shape(schema.derive(schema.SUB_OPTION_HEADER))
    for spec in schema.FIELDS:
        assert _shape(spec.layout) == _shape(schema.derive(spec.con))


def test_a_field_spec_holds_its_name_flags_declaration_and_layout() -> None:
    spec = schema._spec("where", Flag.S | Flag.E, schema.ADDRESS)
    assert (spec.name, spec.flags, spec.con) == ("where", Flag.S | Flag.E, schema.ADDRESS)
    assert _shape(spec.layout) == PINNED["ADDRESS"] and spec.size == 20


@pytest.mark.parametrize(
    ("con", "message"),
    [
        (c.Int8ub, "derive() takes a construct Struct, not "),
        (c.Struct("x" / c.Int16ul), "x: only big-endian fields, not '<H'"),
        (c.Struct("x" / c.GreedyBytes), "x: derive() cannot mirror "),
        (c.Struct("x" / c.BitStruct("a" / c.BitsInteger(12))), "x: a BitStruct of 12 bits"),
        (
            c.Struct("x" / c.BitStruct("a" / c.Nibble, "b" / c.Bit, "c" / c.Padding(3))),
            "x.c: unsupported bit field",
        ),
    ],
)
def test_derive_says_what_it_cannot_mirror(con: c.Construct, message: str) -> None:
    with pytest.raises(TypeError) as info:
        schema.derive(con)
    assert str(info.value).startswith(message)


def test_derive_handles_unnamed_and_flag_bits() -> None:
    layout = schema.derive(c.Struct("w" / c.BitStruct("a" / c.Flag, "b" / c.BitsInteger(7)), "n" / c.Int8ub))
    assert _shape(layout) == (">BB", ("w", "n"), {"a": (0, 7, 1), "b": (0, 0, 127)})


# --- codec --------------------------------------------------------------------------------


def test_decode_names_the_type_it_was_given() -> None:
    with pytest.raises(TypeError, match=r"not str$"):
        flowbind.decode("12")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"not list$"):
        list(flowbind.iter_options([18]))  # type: ignore[arg-type]
    # bytes, bytearray and memoryview are all read the same.
    wire = bytes.fromhex("1201000105010021")
    assert flowbind.decode(bytearray(wire)) == flowbind.decode(memoryview(wire)) == flowbind.decode(wire)


def test_octet_counts_in_messages_are_singular_for_one() -> None:
    with pytest.raises(DecodeError) as one:
        flowbind.decode(bytes.fromhex("1201000105010021") + b"\0")
    assert one.value.reason.startswith("1 octet after")
    with pytest.raises(DecodeError) as two:
        flowbind.decode(bytes.fromhex("1201000105010021") + b"\0\0")
    assert two.value.reason.startswith("2 octets after")


# --- reference codec: its errors, field for field with the fast codec's ----------------------

REFERENCE_DECODE_ERRORS = [
    (b"", DRAFT_02, "truncated at octet 0: empty input"),
    (b"\x13", DRAFT_02, "type at octet 0: option type 19"),
    (b"\x12", DRAFT_02, "truncated at octet 1: no Option Len octet"),
    (b"\x12\x00", DRAFT_02, "length at octet 1: Option Len 0 gives 0 octets"),
    (b"\x12\x02" + bytes(6), DRAFT_02, "truncated at octet 8: the option needs 16 octets"),
    (
        bytes.fromhex("12028000010100010000000000000000"),
        DRAFT_02,
        "length at octet 1: the flags need 20 octets of fields",
    ),
    (
        bytes.fromhex("12048000010100010000000000000000000000000000000081000000000000000000"),
        DRAFT_02,
        "value at octet 24: prefix 129",
    ),
    (
        bytes.fromhex("1202000001010001000000000000000005"),
        DRAFT_02,
        "trailing at octet 16: 1 octets after the option",
    ),
    (bytes.fromhex("12020000010100010000000000000005"), DRAFT_02, "sub-option at octet 15: no Len octet"),
    (bytes.fromhex("12020000010100010501000000000000"), DRAFT_02, "sub-option at octet 8: Len 1"),
    (
        bytes.fromhex("12020000010100010509000000000000"),
        DRAFT_02,
        "sub-option at octet 8: runs past the option",
    ),
    (
        bytes.fromhex("12020000010100010103010000000000"),
        Profile(bid_width=2),
        "sub-option at octet 8: BID data size",
    ),
]


@pytest.mark.parametrize(("wire", "profile", "message"), REFERENCE_DECODE_ERRORS)
def test_reference_decode_errors(wire: bytes, profile: Profile, message: str) -> None:
    with pytest.raises(DecodeError) as ref:
        reference.decode(wire, profile)
    assert str(ref.value) == message
    with pytest.raises(DecodeError) as fast:
        flowbind.decode(wire, profile)
    assert (fast.value.kind, fast.value.offset) == (ref.value.kind, ref.value.offset)


def test_reference_reads_sub_option_headers_of_two_octets() -> None:
    wire = flowbind.encode(
        FlowIdentification(fid=1, sub_options=(UnknownSubOption(9, b"ab"), BIDSubOption((3,))))
    )
    assert reference.decode(wire) == flowbind.decode(wire)


ENCODE_ERRORS: list[tuple[FlowIdentification, Profile, str, str]] = [
    (
        FlowIdentification(sub_options=(BIDSubOption((256,)),)),
        DRAFT_02,
        "sub_options[0].bids[0]",
        "BID 256 too wide",
    ),
    (
        FlowIdentification(sub_options=(BIDSubOption(tuple(range(127))),)),
        Profile(bid_width=2),
        "sub_options[0]",
        "sub-option too long",
    ),
    (FlowIdentification(fid=1, padding=3), DRAFT_02, "padding", "not a multiple of the unit"),
    (FlowIdentification(cls=2, opaque=b"abc"), DRAFT_02, "opaque", "opaque body not a multiple of 8"),
    (
        FlowIdentification(sub_options=tuple(UnknownSubOption(9, bytes(253)) for _ in range(9))),
        DRAFT_02_OCTETS,
        "length",
        "2303 octets",
    ),
]


@pytest.mark.parametrize(("option", "profile", "field", "reason"), ENCODE_ERRORS)
def test_reference_encode_refuses_what_encode_refuses(
    option: FlowIdentification, profile: Profile, field: str, reason: str
) -> None:
    with pytest.raises(EncodeError) as ref:
        reference.encode(option, profile)
    assert (ref.value.field, ref.value.reason) == (field, reason)
    with pytest.raises(EncodeError) as fast:
        flowbind.encode(option, profile)
    assert fast.value.field == field


def test_reference_encodes_each_field_in_figure_1_order() -> None:
    option = FlowIdentification(
        fid=7,
        source=AddressPrefix("2001:db8::1", 64),
        destination=AddressPrefix("2001:db8::2", 48),
        source_ports=PortRange(1, 2),
        destination_ports=PortRange(3, 4),
        spi=5,
        flow_label=6,
        protocol=17,
        class_of_service=8,
    )
    assert reference.encode(option) == flowbind.encode(option)
    only_cos = FlowIdentification(class_of_service=9, ignored_protocol=4)
    only_proto = FlowIdentification(protocol=6, ignored_class_of_service=5)
    for value in (only_cos, only_proto):
        assert reference.encode(value) == flowbind.encode(value)
        assert reference.decode(reference.encode(value)) == value


# --- model: text forms ----------------------------------------------------------------------


def test_address_prefix_repr_shows_reserved_bits_only_when_set() -> None:
    assert repr(AddressPrefix("2001:db8::", 32)) == "AddressPrefix('2001:db8::', 32)"
    assert repr(AddressPrefix("2001:db8::", 32, 0xAB)) == "AddressPrefix('2001:db8::', 32, reserved=0xab)"


def test_option_repr_names_every_part() -> None:
    assert repr(FlowIdentification(cls=3, opaque=b"\x01\x02" * 4)) == (
        "FlowIdentification(fid=0, pro=ADD, action=FORWARD, priority=0, flags=-, cls=3, "
        "opaque=0102010201020102)"
    )
    full = FlowIdentification(
        source=AddressPrefix("2001:db8::", 32, 1),
        destination=AddressPrefix("2001:db8::9", 128, 2),
        flow_label=5,
        res3=3,
        sub_options=(BIDSubOption((1, 2)), UnknownSubOption(7, b"x")),
        pad_before=(0, 2),
        padding=8,
    )
    assert repr(full) == (
        "FlowIdentification(fid=0, pro=ADD, action=FORWARD, priority=0, flags=SEW, "
        "source=2001:db8::/32, destination=2001:db8::9/128, flow_label=5, "
        "sub_options=(BIDSubOption((1, 2)), UnknownSubOption(7, b'x')), res3=0x3, "
        "source.reserved=0x1, destination.reserved=0x2, pad_before=(0, 2), padding=8)"
    )
    assert repr(FlowIdentification(cls=1)).endswith("flags=-)")


def test_option_html_lists_what_is_present() -> None:
    html = FlowIdentification(
        fid=3, source_ports=PortRange(1, 2), sub_options=(BIDSubOption((4, 5)),)
    )._repr_html_()
    assert html.startswith("<table><caption>Flow Identification option</caption><tr>")
    assert (
        "<tr><th style='text-align:left'>fid</th><td style='text-align:left'><code>3</code></td></tr>" in html
    )
    assert "<code>1 2</code>" in html  # the port range's list, space-separated
    assert "<code>type=1, bids=4 5</code>" in html  # a sub-option's dict, comma-separated
    assert ">spi<" not in html and ">sub_options<" in html  # None left out, a non-empty list kept
    assert ">opaque<" not in html
    empty = FlowIdentification()._repr_html_()
    assert ">sub_options<" not in empty  # an empty list left out


def test_port_range_contains_both_ends() -> None:
    ports = PortRange(22, 24)
    assert [p in ports for p in (21, 22, 23, 24, 25)] == [False, True, True, True, False]
    assert "22" not in ports


def test_a_decoded_address_is_made_once_from_its_octets() -> None:
    wire = flowbind.encode(FlowIdentification(source=AddressPrefix("2001:db8::7", 64)))
    source = flowbind.decode(wire).source
    assert source is not None
    assert "address" not in source.__dict__
    first = source.address
    assert first == ipaddress.IPv6Address("2001:db8::7")
    assert source.__dict__["address"] is first and source.address is first
    with pytest.raises(AttributeError, match=r"^address$"):
        AddressPrefix.address  # noqa: B018 - the descriptor read on the class


# --- dict form ------------------------------------------------------------------------------


def _from(**form: Any) -> FlowIdentification:
    return FlowIdentification.from_dict(form)


def test_dict_form_defaults() -> None:
    assert _from(source={"address": "2001:db8::"}).source == AddressPrefix("2001:db8::", 128)
    assert _from(sub_options=[{"type": 9}]).sub_options == (UnknownSubOption(9, b""),)
    assert _from(sub_options=[{"type": 9, "data": [1, 2]}]).sub_options == (UnknownSubOption(9, b"\x01\x02"),)
    assert _from(sub_options=[{"type": 9, "data": "0a0b"}]).sub_options == (UnknownSubOption(9, b"\n\x0b"),)
    assert _from(destination_ports=80).destination_ports == PortRange(80, 80)
    assert _from(flags="RH").flags == Flag.R | Flag.H


DICT_ERRORS: list[tuple[Any, str, str]] = [
    ([1], "option", "option: the dict form is a mapping, not list"),
    ({"fid": 1, "zz": 1, "aa": 2}, "aa", "aa: unknown keys ['aa', 'zz']"),
    (
        {"reserved": {"x": 1}},
        "reserved",
        "reserved: reserved must map some of ['source', 'destination', 'res3', "
        "'res4', 'ignored_protocol', 'ignored_class_of_service'] to integers",
    ),
    ({"padding": {"middle": 1}}, "padding", "padding: padding must be {'before': [...], 'after': n}"),
    ({"flags": 5}, "flags", "flags: flags must be a list of letters, not 5"),
    ({"flags": ["Q"]}, "flags", "flags: unknown flag 'Q'; flags are S E F L O W T I R H"),
    (
        {"source": "2001:db8::"},
        "source",
        "source: source must be {'address': ..., 'prefix': ...} or null, not '2001:db8::'",
    ),
    (
        {"destination": {"prefix": 3}},
        "destination",
        "destination: destination must be {'address': ..., 'prefix': ...} or null, not {'prefix': 3}",
    ),
    (
        {"destination_ports": "80"},
        "destination_ports",
        "destination_ports: destination_ports must be [min, max] or null, not '80'",
    ),
    ({"sub_options": {"type": 1}}, "sub_options", "sub_options: sub_options must be a list"),
    (
        {"sub_options": [5]},
        "sub_options[0]",
        "sub_options[0]: sub_options[0] must be {'type': 1, 'bids': [...]} or {'type': n, 'data': hex}",
    ),
    (
        {"sub_options": [{"type": 1}]},
        "sub_options[0]",
        "sub_options[0]: sub_options[0]: a BID sub-option needs 'bids'",
    ),
    (
        {"sub_options": [{"type": 9, "data": "zz"}]},
        "sub_options[0]",
        "sub_options[0]: sub_options[0]: data must be hex text, not 'zz'",
    ),
    (
        {"sub_options": [{"type": 9, "data": 1.5}]},
        "sub_options[0]",
        "sub_options[0]: sub_options[0]: data must be hex text, not 1.5",
    ),
    ({"cls": 2, "opaque": "q"}, "opaque", "opaque: opaque must be hex text, not 'q'"),
    (
        {"fid": 1, "header_only": False},
        "header_only",
        "header_only: header_only is False but the fields and sub-options given make it True",
    ),
    ({"padding": {"before": 5}}, "option", "option: malformed dict form: "),
]


@pytest.mark.parametrize(("form", "field", "message"), DICT_ERRORS)
def test_dict_form_errors_name_the_key(form: Any, field: str, message: str) -> None:
    with pytest.raises(ModelError) as info:
        FlowIdentification.from_dict(form)
    assert info.value.field == field
    assert str(info.value).startswith(message)
    if not message.endswith(": "):
        assert str(info.value) == message


# --- codec: boundaries and what its errors say ------------------------------------------------


def test_prefix_128_with_every_reserved_bit_set_decodes() -> None:
    """The largest tail word a valid prefix can have: prefix 128, reserved 0xFFFFFF."""
    option = FlowIdentification(source=AddressPrefix("2001:db8::1", 128, 0xFFFFFF))
    wire = flowbind.encode(option)
    assert wire[8 + 16 : 8 + 20] == b"\x80\xff\xff\xff"
    assert flowbind.decode(wire) == option
    with pytest.raises(DecodeError, match="prefix length 129 is above 128"):
        flowbind.decode(wire[:24] + b"\x81\x00\x00\x00" + wire[28:])


def test_a_sub_option_of_len_255_encodes_and_one_more_does_not() -> None:
    most = FlowIdentification(sub_options=(BIDSubOption(tuple(range(253))),))
    wire = flowbind.encode(most)
    assert wire[8:10] == b"\x01\xff"
    assert flowbind.decode(wire) == most
    with pytest.raises(EncodeError) as info:
        flowbind.encode(
            FlowIdentification(sub_options=(BIDSubOption(tuple(range(127))),)), Profile(bid_width=2)
        )
    assert (
        str(info.value)
        == "sub_options[0]: 127 BIDs of 2 octets need Len 256; a sub-option's Len is one octet"
    )


def test_a_bid_too_wide_is_named_by_its_index() -> None:
    with pytest.raises(EncodeError) as info:
        flowbind.encode(FlowIdentification(sub_options=(BIDSubOption((255, 256)),)))
    assert str(info.value) == "sub_options[0].bids[1]: BID 256 does not fit the profile's 1-octet BID"


def test_two_octet_bids_are_big_endian() -> None:
    wire = flowbind.encode(FlowIdentification(sub_options=(BIDSubOption((0x0102,)),)), Profile(bid_width=2))
    assert wire[8:12] == b"\x01\x04\x01\x02"


SUB_OPTION_ERRORS = [
    (
        "12020000010100010000000000000005",
        DRAFT_02,
        "sub-option type 5 has no Len octet before the option ends",
    ),
    ("12020000010100010501000000000000", DRAFT_02, "sub-option Len 1 is below 2 (it counts Type and Len)"),
    ("12020000010100010509000000000000", DRAFT_02, "sub-option Len 9 runs 1 octet past the option's end"),
    ("1202000001010001050a000000000000", DRAFT_02, "sub-option Len 10 runs 2 octets past the option's end"),
    (
        "12020000010100010103010000000000",
        Profile(bid_width=2),
        "BID sub-option data of 1 octet is not a multiple of the 2-octet BID",
    ),
    (
        "12020000010100010105010203000000",
        Profile(bid_width=2),
        "BID sub-option data of 3 octets is not a multiple of the 2-octet BID",
    ),
]


@pytest.mark.parametrize(("hexed", "profile", "reason"), SUB_OPTION_ERRORS)
def test_sub_option_errors_say_what_is_wrong(hexed: str, profile: Profile, reason: str) -> None:
    with pytest.raises(DecodeError) as info:
        flowbind.decode(bytes.fromhex(hexed), profile)
    assert info.value.kind == "sub-option" and info.value.reason == reason


# --- model: what its errors say ----------------------------------------------------------------

MODEL_ERRORS: list[tuple[Any, str, str]] = [
    (lambda: PortRange(70000, 1), "min", "PortRange.min must be 0..65535, not 70000"),
    (lambda: PortRange(1, -1), "max", "PortRange.max must be 0..65535, not -1"),
    (lambda: UnknownSubOption(0), "type", "sub-option type 0 is one octet of padding, not a sub-option"),
    (lambda: UnknownSubOption(1), "type", "sub-option type 1 is the BID sub-option: use BIDSubOption"),
    (lambda: UnknownSubOption(300), "type", "UnknownSubOption.type must be 0..255, not 300"),
    (lambda: UnknownSubOption(5, "ab"), "data", "UnknownSubOption.data must be bytes, not 'ab'"),
    (lambda: UnknownSubOption(5, bytes(254)), "data", "254 octets of data; a sub-option holds at most 253"),
    (lambda: BIDSubOption((1, 70000)), "bids[1]", "BIDSubOption.bids[1] must be 0..65535, not 70000"),
    (lambda: AddressPrefix("::", 129), "prefix", "AddressPrefix.prefix must be 0..128, not 129"),
    (lambda: AddressPrefix("zz"), "address", "not an IPv6 or IPv4 address: 'zz'"),
    (lambda: AddressPrefix(1.5), "address", "not an IPv6 or IPv4 address: 1.5"),
    (
        lambda: AddressPrefix("::", 0, 1 << 24),
        "reserved",
        "AddressPrefix.reserved must be 0..16777215, not 16777216",
    ),
    (lambda: BIDSubOption("ab"), "bids", "BIDSubOption.bids must be a sequence of integers, not 'ab'"),
]


@pytest.mark.parametrize(("make", "field", "reason"), MODEL_ERRORS)
def test_model_errors_name_the_field_and_the_limit(make: Any, field: str, reason: str) -> None:
    with pytest.raises(ModelError) as info:
        make()
    assert (info.value.field, info.value.reason) == (field, reason)
    assert str(info.value) == f"{field}: {reason}"


def test_strict_decode_reports_what_validate_reports_under_the_profile() -> None:
    """An empty BID sub-option after two 2-octet BIDs: its offset depends on the profile's width."""
    profile = Profile(bid_width=2)
    wire = bytes.fromhex("12020000010300010106000100020102")
    with pytest.raises(flowbind.ValidationError) as info:
        flowbind.decode(wire, profile, strict=True)
    assert [(f.rule, f.offset) for f in info.value.findings] == [("bid-sub-option-empty", 14)]
    assert info.value.findings == flowbind.validate(flowbind.decode(wire, profile), profile=profile)
    assert str(info.value).startswith("1 validation finding; first: ")
    assert flowbind.decode(bytes.fromhex("1201000105010021"), strict=True).fid == 5  # nothing to report


def test_trailing_octets_are_counted_in_the_message() -> None:
    with pytest.raises(DecodeError) as info:
        flowbind.decode(bytes.fromhex("1201000105010021") + b"\1\2\3")
    assert str(info.value) == "trailing at octet 8: 3 octets after the option's 8"


CLS_2 = (
    "CLS 2 is not interpreted past the header: its body is `opaque`, "
    "so it takes no fields, sub-options or padding"
)
OPTION_ERRORS: list[tuple[dict[str, Any], str, str]] = [
    ({"fid": 256}, "fid", "FlowIdentification.fid must be 0..255, not 256"),
    ({"pro": 16}, "pro", "FlowIdentification.pro must be 0..15, not 16"),
    ({"action": 256}, "action", "FlowIdentification.action must be 0..255, not 256"),
    ({"status": 256}, "status", "FlowIdentification.status must be 0..255, not 256"),
    ({"cls": 16}, "cls", "FlowIdentification.cls must be 0..15, not 16"),
    ({"flags": "SQ"}, "flags", "unknown flag 'Q'; flags are S E F L O W T I R H"),
    ({"flags": 65536}, "flags", "FlowIdentification.flags must be 0..65535, not 65536"),
    ({"flags": 1}, "flags", "flags 0x0001 has bits outside S..H (PRI is priority)"),
    ({"spi": 4294967296}, "spi", "FlowIdentification.spi must be 0..4294967295, not 4294967296"),
    ({"flow_label": 1048576}, "flow_label", "FlowIdentification.flow_label must be 0..1048575, not 1048576"),
    ({"protocol": 256}, "protocol", "FlowIdentification.protocol must be 0..255, not 256"),
    (
        {"class_of_service": 256},
        "class_of_service",
        "FlowIdentification.class_of_service must be 0..255, not 256",
    ),
    ({"flow_label": 1, "res3": 4096}, "res3", "FlowIdentification.res3 must be 0..4095, not 4096"),
    ({"protocol": 1, "res4": 65536}, "res4", "FlowIdentification.res4 must be 0..65535, not 65536"),
    (
        {"class_of_service": 1, "ignored_protocol": 256},
        "ignored_protocol",
        "FlowIdentification.ignored_protocol must be 0..255, not 256",
    ),
    (
        {"protocol": 1, "ignored_class_of_service": 256},
        "ignored_class_of_service",
        "FlowIdentification.ignored_class_of_service must be 0..255, not 256",
    ),
    ({"priority": 64}, "priority", "FlowIdentification.priority must be 0..63, not 64"),
    ({"sub_options": BIDSubOption((1,))}, "sub_options", "sub_options must be a sequence of sub-options"),
    ({"sub_options": (5,)}, "sub_options[0]", "not a sub-option: 5"),
    ({"pad_before": 5}, "pad_before", "pad_before must be a sequence of counts"),
    ({"pad_before": (1,)}, "pad_before", "1 counts for 0 sub-options"),
    (
        {"pad_before": (65536,), "sub_options": (BIDSubOption(()),)},
        "pad_before[0]",
        "FlowIdentification.pad_before[0] must be 0..65535, not 65536",
    ),
    ({"padding": 65536}, "padding", "FlowIdentification.padding must be 0..65535, not 65536"),
    ({"sub_options": 5}, "sub_options", "sub_options must be a sequence of sub-options"),
    ({"cls": 2, "ignored_protocol": 1}, "cls", CLS_2),
    ({"cls": 2, "ignored_class_of_service": 1}, "cls", CLS_2),
    ({"cls": 2, "res4": 1}, "cls", CLS_2),
    ({"cls": 2, "spi": 1}, "cls", CLS_2),
    ({"cls": 2, "opaque": "ab"}, "opaque", "opaque must be bytes, not 'ab'"),
    ({"opaque": b"x"}, "opaque", "only an option whose CLS is not 1 has an opaque body"),
    ({"res3": 1}, "res3", "res3 follows the flow label, which is absent"),
    ({"res4": 1}, "res4", "res4 follows Protocol and C.S., which are absent"),
    (
        {"ignored_protocol": 1, "protocol": 1},
        "ignored_protocol",
        "an ignored Protocol octet exists only with T set and O clear",
    ),
    (
        {"ignored_class_of_service": 1, "class_of_service": 1},
        "ignored_class_of_service",
        "an ignored C.S. octet exists only with O set and T clear",
    ),
    (
        {"flags": "S", "spi": 1},
        "flags",
        "flag S announces a field that is absent; only a header-only option keeps field flags without fields",
    ),
]


@pytest.mark.parametrize(("kwargs", "field", "reason"), OPTION_ERRORS)
def test_option_errors_name_the_field_and_the_rule(kwargs: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(ModelError) as info:
        FlowIdentification(**kwargs)
    assert (info.value.field, info.value.reason) == (field, reason)


def test_sequences_are_kept_as_tuples_without_trailing_zero_counts() -> None:
    subs = [BIDSubOption((1,)), UnknownSubOption(9), BIDSubOption(())]
    option = FlowIdentification(sub_options=subs, pad_before=[2, 3, 0])
    assert option.sub_options == tuple(subs) and isinstance(option.sub_options, tuple)
    assert option.pad_before == (2, 3)
    assert FlowIdentification(sub_options=subs, pad_before=(0, 0, 0)).pad_before == ()
    assert hash(option) == hash(FlowIdentification(sub_options=tuple(subs), pad_before=(2, 3)))


# --- codec: every refusal's words, the start of iter_options, forced values, the largest option ----

REFRESH = bytes.fromhex("1201000105010021")


@pytest.mark.parametrize(
    ("data", "start", "kind", "offset", "reason"),
    [
        (b"", 0, "truncated", 0, "no octets where an option should start"),
        (b"\x11\x01", 0, "type", 0, "option type 17, not the profile's 18"),
        (b"\x12", 0, "truncated", 1, "the buffer ends before the Option Len octet"),
        (b"\xaa\x12\x00", 1, "length", 2, "Option Len 0 gives 0 octets, fewer than the 8-octet header"),
        (
            b"\xaa\xaa\xaa" + bytes.fromhex("1202000101010001"),
            3,
            "truncated",
            11,
            "Option Len 2 gives 16 octets; the buffer holds 8",
        ),
        (
            b"\xaa" + bytes.fromhex("12024001010100010000000000000000"),
            1,
            "length",
            2,
            "flags E announce 20 octets of fields; Option Len 2 leaves 8",
        ),
    ],
)
def test_decode_refusals_say_what_and_where(
    data: bytes, start: int, kind: str, offset: int, reason: str
) -> None:
    if data:
        with pytest.raises(DecodeError) as info:
            list(flowbind.iter_options(data, start=start))
        assert (info.value.kind, info.value.offset, info.value.reason) == (kind, offset, reason)
    if start == 0:
        with pytest.raises(DecodeError) as again:
            flowbind.decode(data)
        assert (again.value.kind, again.value.offset, again.value.reason) == (kind, offset, reason)


def test_octet_unit_length_refusal_counts_type_and_len() -> None:
    with pytest.raises(DecodeError) as info:
        flowbind.decode(bytes.fromhex("1204000101010001"), DRAFT_02_OCTETS)
    assert info.value.reason == "Option Len 4 gives 6 octets, fewer than the 8-octet header"


@pytest.mark.parametrize("start", [-1, 9, True, "1", 1.0, None])
def test_iter_options_refuses_a_start_outside_the_buffer(start: object) -> None:
    with pytest.raises(ValueError) as info:
        list(flowbind.iter_options(REFRESH, start=start))  # type: ignore[arg-type]
    assert str(info.value) == f"start must be an offset 0..8 into the buffer, not {start!r}"
    assert list(flowbind.iter_options(REFRESH, start=8)) == []


@pytest.mark.parametrize(
    "following",
    [
        # Three zero octets after the option: as many as the non-zero octets of its area.
        bytes.fromhex("1201000100010021"),
        # Eight zero octets after it: as many as its whole area.
        bytes.fromhex("1201000000000000") + bytes.fromhex("1201000001010121"),
        # Eight octets of the area's offset (8) after it: not an option at all.
        bytes([8]) * 8,
    ],
)
def test_padding_is_counted_inside_the_option_not_the_buffer(following: bytes) -> None:
    # The area starts with a zero but holds a sub-option; what follows the option in the
    # buffer must not be counted as its padding, however many zeros it has.
    first = bytes.fromhex("1202000101010001" + "0001030500000000")
    walk = flowbind.iter_options(first + following)
    offset, option = next(walk)
    assert (offset, option) == (0, flowbind.decode(first))
    assert option.sub_options == (BIDSubOption((5,)),) and option.pad_before == (1,)
    if following[0] == 0x12:
        assert [off for off, _ in walk] == [16, 24][: len(following) // 8]


def test_encode_refuses_a_non_option_by_its_type_name() -> None:
    with pytest.raises(TypeError) as info:
        flowbind.encode(REFRESH)  # type: ignore[arg-type]
    assert str(info.value) == "encode() takes a FlowIdentification, not bytes"


def _forced(**fields: object) -> FlowIdentification:
    """A value with fields set past the constructor's validation (as a careless subclass might)."""
    option = FlowIdentification(fid=1)
    for name, value in fields.items():
        object.__setattr__(option, name, value)
    return option


def test_encode_refuses_a_field_forced_out_of_range() -> None:
    with pytest.raises(EncodeError) as info:
        flowbind.encode(_forced(fid=256))
    assert info.value.field == "option"
    assert info.value.reason.startswith("a field is out of range: ")
    assert str(info.value).startswith("option: a field is out of range: ")


@pytest.mark.parametrize("fields", [{"priority": 64}, {"cls": 16, "opaque": b""}, {"flags": 1 << 16}])
def test_encode_refuses_priority_cls_or_flags_forced_past_validation(fields: dict[str, object]) -> None:
    with pytest.raises(EncodeError) as info:
        flowbind.encode(_forced(**fields))
    assert (info.value.field, info.value.reason) == (
        "option",
        "priority, CLS or flags out of range: the value bypassed validation",
    )


def test_encode_refusals_of_the_length_unit_say_why() -> None:
    with pytest.raises(EncodeError) as info:
        flowbind.encode(FlowIdentification(fid=1, source_ports=PortRange(1, 1), padding=3))
    assert (info.value.field, info.value.reason) == (
        "padding",
        "3 octets of extra padding: the 8-octet unit needs a multiple of 8",
    )
    with pytest.raises(EncodeError) as info:
        flowbind.encode(FlowIdentification(fid=1, cls=0, opaque=b"abc"))
    assert (info.value.field, info.value.reason) == (
        "opaque",
        "an opaque body of 3 octets makes a 11-octet option; "
        "the 8-octet unit needs a multiple of 8 and opaque octets are not padded",
    )


def test_the_largest_option_is_padded_to_exactly_2040_octets() -> None:
    # 8 + 4 + 7 * 255 + 240 = 2037 octets before the unit's padding: 3 more make 2040, the
    # most an 8-octet Option Len frames; 8 more octets of padding would be refused.
    subs = tuple(UnknownSubOption(2, bytes(range(253))) for _ in range(7))
    option = FlowIdentification(fid=1, source_ports=PortRange(1, 2), sub_options=subs, padding=240)
    wire = flowbind.encode(option)
    assert len(wire) == 2040 and wire[1] == 255 and wire[-243:] == bytes(243)
    assert flowbind.decode(wire) == option
    with pytest.raises(EncodeError) as info:
        flowbind.encode(option.replace(padding=248))
    assert info.value.field == "length"


# --- model: the lazy BID tuple, the words of type errors, the notebook table ---------------------


def test_decoded_bids_are_made_once_and_the_class_has_no_bids() -> None:
    sub = flowbind.decode(bytes.fromhex("1202000101010001" + "0104ff0700000000")).sub_options[0]
    assert isinstance(sub, BIDSubOption)
    assert sub.bids is sub.bids
    with pytest.raises(AttributeError) as info:
        BIDSubOption.bids  # noqa: B018
    assert str(info.value) == "bids"
    assert not hasattr(BIDSubOption, "bids")


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"fid": "1"}, "fid", "FlowIdentification.fid must be an integer, not '1'"),
        (
            {"source_ports": "x"},
            "source_ports",
            "FlowIdentification.source_ports must be a PortRange or None, not 'x'",
        ),
        ({"source": 7}, "source", "FlowIdentification.source must be a AddressPrefix or None, not 7"),
    ],
)
def test_model_type_errors_name_the_class_field_and_value(
    kwargs: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(ModelError) as info:
        FlowIdentification(**kwargs)
    assert (info.value.field, info.value.reason) == (field, reason)


def test_notebook_table_names_known_values_and_numbers_unknown_ones() -> None:
    def cells(option: FlowIdentification) -> dict[str, str]:
        table = option._repr_html_()
        assert table.startswith("<table><caption>Flow Identification option</caption><tr>")
        assert table.endswith("</tr></table>") and "</tr><tr>" in table
        rows = table.removesuffix("</table>").split("<tr>")[1:]
        out = {}
        for row in rows:
            head, _, rest = row.partition("</th>")
            out[head.split(">")[-1]] = rest.split("<code>")[1].split("</code>")[0]
        return out

    known = cells(flowbind.decode(REFRESH))
    assert (known["pro"], known["action"], known["status"]) == ("2 REFRESH", "1 FORWARD", "0 SUCCESS")
    unknown = cells(flowbind.decode(bytes.fromhex("12010001050909e1")))
    assert (unknown["pro"], unknown["action"], unknown["status"]) == ("14", "9", "9")


# --- schema: derive() strips only the names -------------------------------------------------------


def test_derive_mirrors_unnamed_fields() -> None:
    layout = schema.derive(c.Struct(c.Int16ub, c.BitStruct("a" / c.BitsInteger(4), "b" / c.BitsInteger(4))))
    assert (layout.fmt.format, layout.items) == (">HB", (None, None))
    assert layout.bits == {"a": (1, 4, 15), "b": (1, 0, 15)}


def test_a_lazy_field_made_afresh_makes_its_value_once() -> None:
    # The descriptors on the model classes are made at import; this one is made here.
    from flowbind.model import _Lazy

    class Box:
        pass

    lazy = _Lazy("value", "_raw", tuple)
    box = Box()
    box.__dict__["_raw"] = b"\x01\x02"
    assert lazy.__get__(box) == (1, 2)
    assert box.__dict__["value"] == (1, 2)
    with pytest.raises(AttributeError) as info:
        lazy.__get__(None, Box)
    assert str(info.value) == "value"
