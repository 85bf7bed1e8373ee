"""Unit tests of the codec's interface: input types, iter_options, errors (issue 2 items 4, 5)."""

from __future__ import annotations

import array
import dataclasses
import pickle

import pytest

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    AddressPrefix,
    BIDSubOption,
    DecodeError,
    EncodeError,
    FlowIdentification,
    ModelError,
    PortRange,
    UnknownSubOption,
    decode,
    encode,
    encoded_size,
    iter_options,
)

SSH = bytes.fromhex("12022001010100010016001600000000")  # vector h01
HTTPS = bytes.fromhex("120220010201000101bb01bb00000000")  # vector h02
REFRESH = bytes.fromhex("1201000105010021")  # vector h03
PREFIX_129 = bytes.fromhex(  # vector h11: prefix 129 at octet 24
    "120480000701000120010db80000000000000000000000018100000000000000"
)


# --- input types -------------------------------------------------------------------


def test_decode_takes_bytes_bytearray_and_memoryview() -> None:
    want = decode(SSH)
    assert decode(bytearray(SSH)) == want
    assert decode(memoryview(SSH)) == want
    # A slice of a bigger buffer, and a memoryview of another item type.
    big = b"\xff\xff" + SSH + b"\xee"
    assert decode(memoryview(big)[2:-1]) == want
    assert decode(memoryview(array.array("B", SSH))) == want


def test_decode_copies_a_mutable_buffer() -> None:
    buf = bytearray(bytes.fromhex("1202000a0a030001") + bytes([42, 4, 0xAA, 0xBB]) + bytes(4))
    option = decode(buf)
    view_option = decode(memoryview(buf))
    buf[10:12] = b"\x00\x00"
    assert option.sub_options == (UnknownSubOption(42, b"\xaa\xbb"),)
    assert view_option == option
    assert encode(option) != bytes(buf)


@pytest.mark.parametrize("bad", ["12020000", [0x12, 0x01], 0x12, None, bytes.fromhex])
def test_decode_refuses_non_bytes_with_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="bytes"):
        decode(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        list(iter_options(bad))  # type: ignore[arg-type]


class _Disguised(bytes):
    """A bytes subclass whose ``__bytes__`` says something else than its contents."""

    def __bytes__(self) -> bytes:
        return REFRESH


def test_bytes_subclasses_are_read_through_their_buffer() -> None:
    from flowbind import reference
    from flowbind.mobility import decode_message

    data = _Disguised(SSH)
    assert decode(data) == decode(SSH) and encode(decode(data)) == data
    assert reference.decode(data) == decode(SSH)
    assert list(iter_options(data)) == [(0, decode(SSH))]
    assert UnknownSubOption(2, _Disguised(b"ab")).data == b"ab"
    update = bytes.fromhex("3b010500000000070000006400000000")  # a Binding Update, 4 Pad1
    assert decode_message(_Disguised(update)) == decode_message(update)


def test_a_released_memoryview_is_a_type_error() -> None:
    from flowbind import reference
    from flowbind.mobility import decode_message

    view = memoryview(SSH)
    view.release()
    for name, call in (
        ("decode()", decode),
        ("reference.decode()", reference.decode),
        ("iter_options()", iter_options),
        ("decode_message()", decode_message),
    ):
        with pytest.raises(TypeError) as info:
            call(view)
        assert str(info.value) == f"{name} takes bytes, bytearray or memoryview, not a released memoryview"
    with pytest.raises(ModelError):
        UnknownSubOption(2, view)


def test_iter_options_copies_and_checks_at_the_call() -> None:
    buf = bytearray(REFRESH)
    walk = iter_options(buf)
    buf[2] = 0x80  # set S after the call: not seen
    assert next(walk) == (0, decode(REFRESH))
    with pytest.raises(ValueError, match="start must be"):
        iter_options(REFRESH, start=9)  # raised by the call, before any next()
    with pytest.raises(TypeError, match="iter_options"):
        iter_options("1201")  # type: ignore[arg-type]


def test_encode_refuses_a_non_option_with_type_error() -> None:
    with pytest.raises(TypeError, match="FlowIdentification"):
        encode(SSH)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encode({"fid": 1})  # type: ignore[arg-type]


def test_encode_returns_bytes_and_encoded_size_is_its_length() -> None:
    for option in (decode(SSH), decode(REFRESH), FlowIdentification(sub_options=(BIDSubOption((1,)),))):
        for profile in (DRAFT_02, DRAFT_02_OCTETS):
            wire = encode(option, profile)
            assert type(wire) is bytes
            assert encoded_size(option, profile) == len(wire)
    with pytest.raises(EncodeError):
        encoded_size(FlowIdentification(sub_options=(BIDSubOption((300,)),)))


def test_decoded_options_remember_type_and_length() -> None:
    option = decode(SSH)
    assert (option.option_type, option.length) == (18, 2)
    again = decode(encode(option, DRAFT_02_OCTETS), DRAFT_02_OCTETS)
    assert (again.option_type, again.length) == (18, 10)
    assert option == again  # the framing is not part of the value


# --- iter_options -------------------------------------------------------------------


def test_iter_options_yields_each_option_with_its_offset() -> None:
    buf = SSH + REFRESH + HTTPS
    assert list(iter_options(buf)) == [(0, decode(SSH)), (16, decode(REFRESH)), (24, decode(HTTPS))]
    assert list(iter_options(b"")) == []
    assert list(iter_options(b"\x00\x00" + REFRESH, start=2)) == [(2, decode(REFRESH))]
    assert list(iter_options(bytearray(REFRESH))) == [(0, decode(REFRESH))]
    octets = encode(decode(SSH), DRAFT_02_OCTETS) + encode(decode(HTTPS), DRAFT_02_OCTETS)
    assert [off for off, _ in iter_options(octets, DRAFT_02_OCTETS)] == [0, 12]


@pytest.mark.parametrize(
    ("tail", "kind", "offset"),
    [
        (PREFIX_129, "value", 24 + 24),
        (b"\x13\x01", "type", 24),
        (b"\x12", "truncated", 25),
        (b"\x12\x00", "length", 25),
        (SSH[:10], "truncated", 34),
        (bytes.fromhex("1202000a0a0300010103070509eeeeee"), "sub-option", 24 + 11),
    ],
)
def test_iter_options_errors_count_offsets_from_the_buffer_start(tail: bytes, kind: str, offset: int) -> None:
    buf = SSH + REFRESH + tail
    walked = []
    with pytest.raises(DecodeError) as info:
        for item in iter_options(buf):
            walked.append(item)
    assert walked == [(0, decode(SSH)), (16, decode(REFRESH))]  # yielded before the fault
    assert (info.value.kind, info.value.offset) == (kind, offset)
    assert f"at octet {offset}" in str(info.value)


def test_iter_options_with_start_counts_from_the_buffer_start() -> None:
    with pytest.raises(DecodeError) as info:
        list(iter_options(b"\xaa" * 5 + PREFIX_129, start=5))
    assert (info.value.kind, info.value.offset) == ("value", 29)


# --- errors -------------------------------------------------------------------------------


def test_decode_error_attributes_message_and_hierarchy() -> None:
    with pytest.raises(DecodeError) as info:
        decode(PREFIX_129)
    err = info.value
    assert (err.kind, err.offset) == ("value", 24)
    assert "129" in err.reason and "128" in err.reason
    assert str(err) == f"value at octet 24: {err.reason}"
    assert isinstance(err, flowbind.FlowbindError) and isinstance(err, ValueError)
    copy = pickle.loads(pickle.dumps(err))
    assert (type(copy), copy.kind, copy.offset, str(copy)) == (DecodeError, "value", 24, str(err))


def test_encode_error_attributes_and_pickling() -> None:
    with pytest.raises(EncodeError) as info:
        encode(FlowIdentification(sub_options=(BIDSubOption((1, 2, 300)),)))
    err = info.value
    assert err.field == "sub_options[0].bids[2]"
    assert str(err).startswith("sub_options[0].bids[2]: ")
    assert isinstance(err, flowbind.FlowbindError) and isinstance(err, ValueError)
    copy = pickle.loads(pickle.dumps(err))
    assert (type(copy), copy.field, str(copy)) == (EncodeError, err.field, str(err))


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "truncated"),
        (b"\x00", "type"),
        (b"\x12\xff", "truncated"),
        (b"\x12\x01\xff\xff\xff\xff\xff", "truncated"),
        (b"\x12\x01\xff\xff\xff\xff\xff\xff\xff", "trailing"),
        (b"\x12\x02\xff\xc0\x00\x00\x00\x01" + bytes(8), "length"),
        (b"\x12\x02\xff\xc0" + bytes(13), "trailing"),
        (b"\x12\x02\x00\x00\x00\x00\x00\x01" + b"\x01\xff" + bytes(6), "sub-option"),
        (b"\x12\x02\x00\x00\x00\x00\x00\x01" + bytes(7) + b"\x01", "sub-option"),
    ],
)
def test_edge_inputs_raise_only_decode_error(data: bytes, kind: str) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)
    assert info.value.kind == kind


def test_header_only_option_decodes_whatever_its_flags() -> None:
    every = decode(b"\x12\x01\xff\xc0\x00\x00\x00\x01")
    assert every.header_only and str(every.flags) == "SEFLOWTIRH"
    assert encode(every) == b"\x12\x01\xff\xc0\x00\x00\x00\x01"


def test_decoded_bids_are_an_ordinary_tuple_of_ints() -> None:
    # Decode keeps the octets of a 1-octet-BID sub-option and makes the tuple on first
    # access; nothing of that may show: type, equality, hash, repr, replace, pickle.
    wire = bytes.fromhex("1202000101010001" + "0104ff0700000000")
    made = BIDSubOption((255, 7))
    for touch in ("eq", "hash", "repr", "replace", "pickle", "dict", "bids"):
        sub = decode(wire).sub_options[0]
        assert isinstance(sub, BIDSubOption)
        if touch == "eq":
            assert sub == made and made == sub
        elif touch == "hash":
            assert hash(sub) == hash(made)
        elif touch == "repr":
            assert repr(sub) == "BIDSubOption((255, 7))"
        elif touch == "replace":
            assert dataclasses.replace(sub) == made
            assert dataclasses.replace(sub, bids=(1,)) == BIDSubOption((1,))
        elif touch == "pickle":
            assert pickle.loads(pickle.dumps(sub)) == made
        elif touch == "dict":
            assert sub.to_dict() == {"type": 1, "bids": [255, 7]}
        else:
            assert type(sub.bids) is tuple and sub.bids == (255, 7)
            assert all(type(b) is int for b in sub.bids)
        assert sub.bids == (255, 7)
    assert encode(decode(wire)) == wire
    # Under 2-octet BIDs the tuple is made at decode, and a partial BID is still an error there.
    two = flowbind.Profile(bid_width=2)
    assert decode(bytes.fromhex("1202000101010001" + "010601020304" + "0000"), two).sub_options == (
        BIDSubOption((0x102, 0x304)),
    )
    with pytest.raises(DecodeError) as info:
        decode(bytes.fromhex("1202000101010001" + "0105010203" + "000000"), two)
    assert (info.value.kind, info.value.offset) == ("sub-option", 8)


@pytest.mark.parametrize("zeros", [1, 2, 3, 9, 40])
def test_zero_runs_between_sub_options_are_counted(zeros: int) -> None:
    # A run of zeros before a sub-option is its pad_before, however long; the zeros
    # after the last one are the unit's padding.
    area = bytes(zeros) + bytes.fromhex("0103") + b"\x05" + bytes(2) + bytes.fromhex("0203aa")
    body = area + bytes(-(8 + len(area)) % 8)
    wire = bytes((0x12, (8 + len(body)) // 8)) + bytes.fromhex("000101010001") + body
    option = decode(wire)
    assert option.sub_options == (BIDSubOption((5,)), UnknownSubOption(2, b"\xaa"))
    assert option.pad_before == (zeros, 2)
    assert encode(option) == wire


def test_decoded_addresses_are_ordinary_ipv6_addresses() -> None:
    option = decode(
        bytes.fromhex(
            "1206c0010701000120010db80000000000000000000000018000000020010db800000000000000000000000280000000"
        )
    )
    assert option.source == AddressPrefix("2001:db8::1")
    assert str(option.source.address) == "2001:db8::1"  # type: ignore[union-attr]
    assert option.destination is not None and option.destination.address.packed[-1] == 2
    assert encode(option.replace(source_ports=PortRange(1, 2)))[48:52] == bytes.fromhex("00010002")
