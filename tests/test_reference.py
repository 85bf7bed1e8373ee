"""The fast codec equals the construct-driven reference, and both equal the schema.

:mod:`flowbind.codec` reads ``struct`` formats derived from the construct
declarations of :mod:`flowbind.schema`; :mod:`flowbind.reference` parses and
builds with the declarations themselves.  Here both meet on valid and
malformed input (same value, or same error kind and offset), and the derived
layouts are checked against the declarations field by field.
"""

from __future__ import annotations

from typing import Any

import construct as c
import pytest
from hypothesis import given
from hypothesis import strategies as st

from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    DecodeError,
    EncodeError,
    Flag,
    FlowIdentification,
    Profile,
    codec,
    reference,
    schema,
)
from flowbind import strategies as fs
from flowbind.enums import FIELD_FLAGS, FLAG_ORDER, PRIORITY_MASK
from flowbind.errors import DECODE_ERROR_KINDS

PROFILES = [
    DRAFT_02,
    DRAFT_02_OCTETS,
    Profile(bid_width=2),
    Profile(option_type=201, length_unit="octet", bid_width=2),
]
any_profile = st.sampled_from(PROFILES)


def _outcome(decode: Any, data: bytes, profile: Profile) -> tuple[Any, ...]:
    try:
        value = decode(data, profile)
    except DecodeError as exc:
        return ("refused", exc.kind, exc.offset)
    return ("accepted", value, value.option_type, value.length, value.header_only)


def _same_decode(data: bytes, profile: Profile) -> tuple[Any, ...]:
    fast = _outcome(codec.decode, data, profile)
    slow = _outcome(reference.decode, data, profile)
    assert fast == slow
    if fast[0] == "accepted":
        # Equal values must also write the same bytes through both encoders.
        assert codec.encode(fast[1], profile) == reference.encode(slow[1], profile) == data
    return fast


# --- decode --------------------------------------------------------------------------


@given(profile=any_profile, data=st.binary(max_size=200))
def test_decode_agrees_on_arbitrary_bytes(profile: Profile, data: bytes) -> None:
    _same_decode(data, profile)


@given(profile=any_profile, data=st.data())
def test_both_codecs_agree_on_every_valid_value(profile: Profile, data: st.DataObject) -> None:
    option = data.draw(fs.options(profile))
    wire = codec.encode(option, profile)
    assert reference.encode(option, profile) == wire
    assert _same_decode(wire, profile) == (
        "accepted",
        option,
        profile.option_type,
        wire[1],
        option.header_only,
    )


@given(profile=any_profile, data=st.data())
def test_decode_agrees_on_near_valid_bytes(profile: Profile, data: st.DataObject) -> None:
    _same_decode(data.draw(st.one_of(fs.near_encodings(profile), fs.plausible_bytes(profile))), profile)


@pytest.mark.parametrize("kind", DECODE_ERROR_KINDS)
@given(profile=any_profile, data=st.data())
def test_decode_agrees_on_malformed_bytes(kind: str, profile: Profile, data: st.DataObject) -> None:
    wire, offset = data.draw(fs.malformed_cases(kind, profile))  # type: ignore[arg-type]
    assert _same_decode(wire, profile) == ("refused", kind, offset)


# --- encode --------------------------------------------------------------------------


def _encode_outcome(encode: Any, option: FlowIdentification, profile: Profile) -> tuple[str, Any]:
    try:
        return ("bytes", encode(option, profile))
    except EncodeError as exc:
        return ("refused", exc.field)


@given(profile=any_profile, data=st.data())
def test_both_codecs_agree_under_another_profile(profile: Profile, data: st.DataObject) -> None:
    """A value made for one profile, written and read under another: both write or refuse alike."""
    made_for = data.draw(any_profile, label="made for")
    option = data.draw(fs.options(made_for))
    outcome = _encode_outcome(codec.encode, option, profile)
    assert outcome == _encode_outcome(reference.encode, option, profile)
    # Its bytes under the first profile, read under the second.
    _same_decode(codec.encode(option, made_for), profile)


# --- schema: derived layouts == construct declarations -------------------------------


def _leaves(con: c.Construct) -> list[tuple[str, str | None, c.Construct]]:
    """``(item, bit field or None, construct)`` for every leaf of a flat Struct."""
    out: list[tuple[str, str | None, c.Construct]] = []
    for sub in con.subcons:
        inner = sub.subcon
        if isinstance(inner, c.Transformed):  # a BitStruct
            out.extend((sub.name, bit.name, bit.subcon) for bit in inner.subcon.subcons)
        else:
            out.append((sub.name, None, inner))
    return out


def _leaf_values(leaf: c.Construct) -> st.SearchStrategy[Any]:
    if leaf is c.Flag:
        return st.booleans()
    if isinstance(leaf, c.BitsInteger):
        return st.integers(0, (1 << leaf.length) - 1)
    if isinstance(leaf, c.Bytes):
        return st.binary(min_size=leaf.length, max_size=leaf.length)
    assert isinstance(leaf, c.FormatField), leaf
    return st.integers(0, (1 << (8 * leaf.sizeof())) - 1)


LAYOUTS = [
    ("HEADER", schema.HEADER, schema.HEADER_LAYOUT),
    ("SUB_OPTION_HEADER", schema.SUB_OPTION_HEADER, schema.SUB_OPTION_HEADER_LAYOUT),
    *((spec.name, spec.con, spec.layout) for spec in schema.FIELDS),
]


@pytest.mark.parametrize(("name", "con", "layout"), LAYOUTS, ids=[n for n, _, _ in LAYOUTS])
@given(data=st.data())
def test_derived_layout_packs_as_the_declaration_builds(
    name: str, con: c.Construct, layout: schema.Layout, data: st.DataObject
) -> None:
    tree: dict[str, Any] = {}
    items: dict[str, int | bytes] = {}
    for item, bit, leaf in _leaves(con):
        value = data.draw(_leaf_values(leaf), label=f"{item}.{bit}")
        if bit is None:
            tree[item] = value
            items[item] = value
        else:
            tree.setdefault(item, {})[bit] = value
            index, shift, mask = layout.bits[bit]
            assert layout.items[index] == item
            assert int(value) <= mask
            items[item] = int(items.get(item, 0)) | (int(value) << shift)
    built = con.build(tree)
    packed = layout.fmt.pack(*(items[i] for i in layout.items))
    assert built == packed
    assert len(built) == layout.fmt.size == con.sizeof()
    # And back: the declaration parses what the layout packed into the same values.
    parsed = con.parse(packed)
    for item, bit, _ in _leaves(con):
        got = parsed[item] if bit is None else parsed[item][bit]
        want = tree[item] if bit is None else tree[item][bit]
        assert got == want, (item, bit)
    assert layout.fmt.unpack(built) == tuple(items[i] for i in layout.items)


def test_flag_bits_are_the_derived_bit_positions() -> None:
    for flag in FLAG_ORDER:
        assert int(flag) == schema.HEADER_LAYOUT.mask(str(flag.name)), flag
    assert schema.HEADER_LAYOUT.mask("priority") == PRIORITY_MASK
    every = 0
    for flag in FLAG_ORDER:
        every |= int(flag)
    assert every & PRIORITY_MASK == 0 and every | PRIORITY_MASK == 0xFFFF


def test_the_header_declaration_matches_figure_1() -> None:
    assert schema.HEADER.sizeof() == 8
    assert schema.HEADER_LAYOUT.fmt.format == ">BBHBBBB"
    # PRO is the high nibble of octet 7, CLS the low one.
    assert schema.HEADER_LAYOUT.mask("pro") == 0xF0
    assert schema.HEADER_LAYOUT.mask("cls") == 0x0F


def test_fields_follow_figure_1_order_with_their_sizes() -> None:
    got = [(spec.name, spec.flags, spec.size) for spec in schema.FIELDS]
    assert got == [
        ("source", Flag.S, 20),
        ("destination", Flag.E, 20),
        ("source_ports", Flag.F, 4),
        ("destination_ports", Flag.L, 4),
        ("spi", Flag.I, 4),
        ("flow_label", Flag.W, 4),
        ("protocol", Flag.O | Flag.T, 4),
    ]
    # Every field flag is served by exactly one field.
    served = Flag(0)
    for spec in schema.FIELDS:
        assert not served & spec.flags
        served |= spec.flags
    assert served == FIELD_FLAGS


def test_reserved_bits_are_named_fields_not_padding() -> None:
    """Lossless: no declaration drops bits (no Padding, every octet is a named value)."""
    assert schema.ADDRESS.parse(bytes(16) + bytes([128, 1, 2, 3])).tail.reserved == 0x010203
    assert schema.FLOW_LABEL.parse(bytes.fromhex("abcde123")).word.reserved == 0x123
    assert schema.PROTOCOL_WORD.parse(bytes.fromhex("0611beef")).reserved == 0xBEEF
    for _, con, _ in LAYOUTS:
        for item, bit, leaf in _leaves(con):
            assert isinstance(item, str) and item and (bit is None or bit), (item, bit)
            assert leaf is c.Flag or isinstance(leaf, (c.BitsInteger, c.Bytes, c.FormatField)), leaf


@given(high=st.integers(0, 0xFF))
def test_fields_size_table_is_the_sum_of_the_announced_fields(high: int) -> None:
    flags = Flag(high << 8)
    want = sum(spec.size for spec in schema.FIELDS if flags & spec.flags)
    assert schema.FIELDS_SIZE[high] == schema.fields_size(high << 8) == want
    # The protocol word is one field for O, T or both.
    both = Flag.O | Flag.T
    if flags & both:
        assert schema.fields_size(int(flags | both)) == schema.fields_size(int(flags & ~both | Flag.O))


def test_derive_refuses_what_the_fast_path_cannot_mirror() -> None:
    with pytest.raises(TypeError):
        schema.derive(c.Int8ub)
    with pytest.raises(TypeError):
        schema.derive(c.Struct("x" / c.Int16ul))
    with pytest.raises(TypeError):
        schema.derive(c.Struct("x" / c.GreedyBytes))
    with pytest.raises(TypeError):
        schema.derive(c.Struct("x" / c.BitStruct("a" / c.BitsInteger(12))))


def test_bid_element_formats_follow_the_width() -> None:
    for width, con in schema.BID_ELEMENT.items():
        assert con.sizeof() == width
        assert con.build((1 << (8 * width)) - 1) == b"\xff" * width
        assert schema.BID_FORMAT[width] in "BH"
