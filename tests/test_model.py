"""Unit tests of the typed model (issue 2 items 3, 7, 8)."""

from __future__ import annotations

import dataclasses
import html.parser
import ipaddress
import json

import pytest

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    Action,
    AddressPrefix,
    BIDSubOption,
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
)

#: The keys issue 2 item 7 requires of to_dict(), in that order.
DICT_KEYS = [
    "type",
    "length",
    "flags",
    "priority",
    "fid",
    "action",
    "status",
    "pro",
    "cls",
    "header_only",
    "source",
    "destination",
    "source_ports",
    "destination_ports",
    "spi",
    "flow_label",
    "protocol",
    "class_of_service",
    "sub_options",
    "opaque",
]

FULL = FlowIdentification(
    fid=9,
    pro=Pro.REPLACE,
    action=Action.NCAST,
    priority=5,
    status=Status.FID_NOT_FOUND,
    flags=Flag.H,
    source=AddressPrefix("192.0.2.1", 120),
    destination=AddressPrefix("2001:db8::2", 64),
    source_ports=PortRange(1000, 2000),
    destination_ports=PortRange.single(443),
    spi=0xDEADBEEF,
    flow_label=0x12345,
    protocol=17,
    class_of_service=0xB8,
    sub_options=(BIDSubOption((1, 2)), UnknownSubOption(9, b"\x01\x02")),
)


# --- validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"priority": 64}, "priority"),
        ({"priority": -1}, "priority"),
        ({"fid": 256}, "fid"),
        ({"pro": 16}, "pro"),
        ({"action": 256}, "action"),
        ({"status": -1}, "status"),
        ({"cls": 16}, "cls"),
        ({"spi": -1}, "spi"),
        ({"protocol": 256}, "protocol"),
        ({"class_of_service": 300}, "class_of_service"),
        ({"fid": True}, "fid"),
        ({"fid": 1.0}, "fid"),
        ({"source": "2001:db8::1/x"}, "source"),
        ({"source_ports": (1, 2, 3)}, "source_ports"),
        ({"flags": 0x3F}, "flags"),
        ({"flags": "X"}, "flags"),
        ({"flags": ["S", "SS"]}, "flags"),
        ({"res3": 1}, "res3"),
        ({"res4": 1}, "res4"),
        ({"ignored_protocol": 1, "protocol": 6}, "ignored_protocol"),
        ({"ignored_class_of_service": 1}, "ignored_class_of_service"),
        ({"sub_options": BIDSubOption((1,))}, "sub_options"),
        ({"sub_options": (1,)}, "sub_options[0]"),
        ({"pad_before": (1, 2), "sub_options": (BIDSubOption((1,)),)}, "pad_before"),
        ({"padding": -8}, "padding"),
    ],
)
def test_invalid_values_are_refused_naming_the_field(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError) as info:
        FlowIdentification(**kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, ModelError), repr(info.value)
    assert isinstance(info.value, flowbind.FlowbindError)
    assert info.value.field == field
    assert field.split("[")[0] in str(info.value)


def test_messages_say_the_owner_field_and_range() -> None:
    with pytest.raises(ModelError, match=r"FlowIdentification\.priority must be 0\.\.63, not 64"):
        FlowIdentification(priority=64)
    with pytest.raises(ModelError, match=r"PortRange\.max must be 0\.\.65535, not 70000"):
        PortRange(1, 70000)
    with pytest.raises(ModelError, match="not an IPv6 or IPv4 address"):
        AddressPrefix("not an address")


def test_values_are_frozen() -> None:
    option = FlowIdentification(fid=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        option.fid = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        PortRange(1, 2).min = 3  # type: ignore[misc]
    assert hash(option) == hash(FlowIdentification(fid=1))


def test_replace_revalidates_and_keeps_the_rest() -> None:
    changed = FULL.replace(fid=10)
    assert changed.fid == 10 and changed.spi == FULL.spi
    with pytest.raises(ModelError):
        FULL.replace(flow_label=1 << 20)
    with pytest.raises(ModelError):
        dataclasses.replace(FULL, priority=99)


# --- flags ----------------------------------------------------------------------


def test_field_flags_follow_the_fields_r_and_h_are_explicit() -> None:
    assert FULL.flags == Flag.S | Flag.E | Flag.F | Flag.L | Flag.O | Flag.W | Flag.T | Flag.I | Flag.H
    assert FlowIdentification(spi=1).flags == Flag.I
    assert FlowIdentification(class_of_service=1).flags == Flag.T
    assert FlowIdentification(flags="rh", spi=1).flags == Flag.R | Flag.H | Flag.I
    assert FlowIdentification(flags=["R"], flow_label=1).flags == Flag.R | Flag.W


def test_a_field_flag_without_its_field_is_refused_unless_header_only() -> None:
    with pytest.raises(ModelError, match="announces a field that is absent"):
        FlowIdentification(flags=Flag.S, spi=1)
    with pytest.raises(ModelError):
        FlowIdentification(flags=Flag.E, sub_options=(BIDSubOption((1,)),))
    with pytest.raises(ModelError):
        FlowIdentification(flags=Flag.F, padding=8)
    kept = FlowIdentification(flags=Flag.S | Flag.E)
    assert kept.header_only and kept.flags == Flag.S | Flag.E


def test_cls_other_than_1_keeps_flags_and_takes_only_opaque() -> None:
    option = FlowIdentification(cls=4, flags="SEF", opaque=bytearray(b"12345678"))
    assert option.flags == Flag.S | Flag.E | Flag.F
    assert option.opaque == b"12345678" and type(option.opaque) is bytes
    assert not option.header_only
    assert FlowIdentification(cls=4).opaque == b""
    assert FlowIdentification(cls=4).header_only
    for extra in ({"spi": 1}, {"sub_options": (BIDSubOption(()),)}, {"padding": 8}, {"res4": 1}):
        with pytest.raises(ModelError) as info:
            FlowIdentification(cls=4, **extra)  # type: ignore[arg-type]
        assert info.value.field == "cls"


def test_header_only_and_wildcard() -> None:
    assert FlowIdentification().header_only
    assert FlowIdentification().is_wildcard
    assert FlowIdentification(flags="RH").is_wildcard
    assert not FlowIdentification(flags="F").is_wildcard
    assert not FlowIdentification(pro=Pro.REMOVE).is_wildcard
    assert not FlowIdentification(padding=8).header_only
    assert not FlowIdentification(sub_options=(BIDSubOption(()),)).header_only


# --- enums ------------------------------------------------------------------------------


def test_known_enum_values_become_members_unknown_stay_int() -> None:
    option = FlowIdentification(pro=2, action=3, status=136)
    assert option.pro is Pro.REFRESH
    assert option.action is Action.NCAST
    assert option.status is Status.FID_NOT_FOUND
    unknown = FlowIdentification(pro=7, action=0, status=5)
    for value, enum in ((unknown.pro, Pro), (unknown.action, Action), (unknown.status, Status)):
        assert type(value) is int and not isinstance(value, enum)
    assert (unknown.pro, unknown.action, unknown.status) == (7, 0, 5)
    decoded = decode(encode(unknown))
    assert type(decoded.pro) is int and decoded == unknown


def test_status_success_is_below_128() -> None:
    assert Status.SUCCESS.is_success
    assert not Status.REASON_UNSPECIFIED.is_success
    assert flowbind.is_success(127) and not flowbind.is_success(255)


def test_flag_letters_in_draft_order() -> None:
    flags = Flag.H | Flag.S | Flag.I | Flag.O
    assert flags.letters == ["S", "O", "I", "H"]
    assert str(flags) == "SOIH"
    assert str(Flag(0)) == "-"
    assert Flag.from_letters("hios") == flags
    with pytest.raises(ValueError, match="unknown flag"):
        Flag.from_letters("SX")


# --- sub-values -------------------------------------------------------------------------


def test_address_prefix_accepts_the_usual_forms() -> None:
    want = AddressPrefix(ipaddress.IPv6Address("::ffff:192.0.2.1"), 128)
    assert AddressPrefix("192.0.2.1") == want
    assert AddressPrefix(ipaddress.IPv4Address("192.0.2.1")) == want
    assert AddressPrefix(bytes([192, 0, 2, 1])) == want
    assert AddressPrefix(bytes(10) + b"\xff\xff" + bytes([192, 0, 2, 1])) == want
    assert AddressPrefix(int(want.address)) == want
    assert AddressPrefix("2001:db8::1").prefix == 128
    assert str(AddressPrefix("2001:db8::", 32)) == "2001:db8::/32"
    with pytest.raises(ModelError) as info:
        AddressPrefix(True)  # type: ignore[arg-type]
    assert info.value.field == "address"
    with pytest.raises(ModelError):
        AddressPrefix("::1", 0, reserved=1 << 24)


def test_port_range() -> None:
    ports = PortRange(1000, 2000)
    assert list(ports) == [1000, 2000]
    assert 1500 in ports and 999 not in ports and "1500" not in ports
    assert str(ports) == "1000-2000" and str(PortRange.single(22)) == "22"
    assert PortRange(2000, 1000).min == 2000  # a finding for validate, not a model error


def test_bid_sub_option() -> None:
    assert BIDSubOption([3, 4]).bids == (3, 4)  # type: ignore[arg-type]
    assert BIDSubOption(()).type == 1
    assert BIDSubOption((0xFFFF,)).bids == (0xFFFF,)
    with pytest.raises(ModelError):
        BIDSubOption("12")  # type: ignore[arg-type]
    with pytest.raises(ModelError) as info:
        BIDSubOption((1, -1))
    assert info.value.field == "bids[1]"


def test_unknown_sub_option() -> None:
    sub = UnknownSubOption(200, bytearray(b"xy"))
    assert sub.data == b"xy" and type(sub.data) is bytes
    assert UnknownSubOption(2).data == b""
    assert len(UnknownSubOption(2, bytes(253)).data) == 253
    for bad_type in (0, 1, 256):
        with pytest.raises(ModelError) as info:
            UnknownSubOption(bad_type)
        assert info.value.field == "type"
    with pytest.raises(ModelError):
        UnknownSubOption(2, "text")  # type: ignore[arg-type]


def test_padding_counts() -> None:
    subs = (BIDSubOption((1,)), BIDSubOption((2,)))
    assert FlowIdentification(sub_options=subs, pad_before=(1, 0)).pad_before == (1,)
    assert FlowIdentification(sub_options=subs, pad_before=[0, 0]).pad_before == ()  # type: ignore[arg-type]
    assert FlowIdentification(sub_options=subs, pad_before=(1, 0)) == FlowIdentification(
        sub_options=subs, pad_before=(1,)
    )


def test_bids_collects_every_bid_sub_option() -> None:
    assert FULL.bids == (1, 2)
    option = FlowIdentification(sub_options=(BIDSubOption((1,)), UnknownSubOption(5), BIDSubOption((7, 8))))
    assert option.bids == (1, 7, 8)


# --- text forms --------------------------------------------------------------------------


def test_repr_is_one_line_with_enum_names() -> None:
    text = repr(FULL)
    assert "\n" not in text
    assert text.startswith("FlowIdentification(fid=9, pro=REPLACE, action=NCAST, priority=5, flags=SEFLOWTIH")
    assert "status=FID_NOT_FOUND" in text
    assert "source=::ffff:192.0.2.1/120" in text
    assert "destination_ports=443" in text and "source_ports=1000-2000" in text
    assert "BIDSubOption((1, 2))" in text
    unknown = repr(FlowIdentification(pro=7, action=0))
    assert "pro=7" in unknown and "action=0" in unknown
    assert "status" not in repr(FlowIdentification())  # success is not shown
    reserved = decode(bytes.fromhex("1202040000010001abcde123") + bytes(4))
    assert "res3=0x123" in repr(reserved)
    assert repr(AddressPrefix("2001:db8::1", 64, 5)) == "AddressPrefix('2001:db8::1', 64, reserved=0x5)"


class _Table(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.cells.append(data)


def test_repr_html_is_a_table() -> None:
    page = FULL._repr_html_()
    parser = _Table()
    parser.feed(page)
    assert parser.tags[0] == "table"
    assert parser.tags.count("tr") >= 10
    assert "fid" in parser.cells and "9" in parser.cells
    assert "::ffff:192.0.2.1" in page
    assert (
        "<script>" not in FlowIdentification(sub_options=(UnknownSubOption(60, b"<script>"),))._repr_html_()
    )


# --- dict form ---------------------------------------------------------------------------


def test_to_dict_has_the_keys_of_issue_2_item_7() -> None:
    form = FULL.to_dict()
    assert list(form)[: len(DICT_KEYS)] == DICT_KEYS
    assert form["flags"] == ["S", "E", "F", "L", "O", "W", "T", "I", "H"]
    assert form["source"] == {"address": "::ffff:192.0.2.1", "prefix": 120}
    assert form["destination_ports"] == [443, 443]
    assert form["sub_options"] == [{"type": 1, "bids": [1, 2]}, {"type": 9, "data": "0102"}]
    assert (form["action"], form["pro"], form["status"]) == (3, 1, 136)
    assert form["type"] == 18 and form["length"] == encode(FULL)[1]
    assert form["opaque"] is None and form["header_only"] is False
    json.dumps(form)
    empty = FlowIdentification().to_dict()
    assert {k: empty[k] for k in ("source", "spi", "protocol", "class_of_service", "sub_options")} == {
        "source": None,
        "spi": None,
        "protocol": None,
        "class_of_service": None,
        "sub_options": [],
    }
    assert FlowIdentification(cls=2, opaque=b"\xab" * 8).to_dict()["opaque"] == "ab" * 8


def test_to_dict_type_and_length_follow_the_profile_or_the_decoded_octets() -> None:
    option = FlowIdentification(source_ports=PortRange(22, 22))
    assert (option.to_dict()["type"], option.to_dict()["length"]) == (18, 2)
    assert option.to_dict(DRAFT_02_OCTETS)["length"] == 10
    assert option.to_dict(Profile(option_type=99))["type"] == 99
    decoded = decode(encode(option, DRAFT_02_OCTETS), DRAFT_02_OCTETS)
    assert (decoded.option_type, decoded.length) == (18, 10)
    assert decoded.to_dict()["length"] == 10
    assert option.option_type is None and option.length is None
    too_big = FlowIdentification(sub_options=(UnknownSubOption(9, bytes(253)),))
    assert too_big.to_dict(DRAFT_02_OCTETS)["length"] is None  # 263 octets: not framable
    assert too_big.to_dict(DRAFT_02)["length"] == 33


def test_to_dict_carries_reserved_values_and_padding() -> None:
    data = bytes.fromhex("12040c1100010001abcde1230be5beef") + bytes([0, 1, 3, 7]) + bytes(12)
    option = decode(data)
    form = option.to_dict()
    assert form["reserved"] == {"res3": 0x123, "res4": 0xBEEF, "ignored_class_of_service": 0xE5}
    assert form["padding"] == {"before": [1], "after": 8}
    assert encode(FlowIdentification.from_dict(json.loads(json.dumps(form)))) == data


def test_from_dict_inverts_to_dict() -> None:
    assert FlowIdentification.from_dict(FULL.to_dict()) == FULL
    minimal = FlowIdentification.from_dict({"fid": 3, "flags": "F", "source_ports": 22})
    assert minimal == FlowIdentification(fid=3, source_ports=PortRange(22, 22))


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"fid": 1, "fidd": 2}, "fidd"),
        ({"reserved": {"res5": 1}}, "reserved"),
        ({"padding": {"middle": 1}}, "padding"),
        ({"source": "::1"}, "source"),
        ({"source_ports": [1, 2, 3]}, "source_ports"),
        ({"sub_options": [{"bids": [1]}]}, "sub_options[0]"),
        ({"sub_options": [{"type": 1}]}, "sub_options[0]"),
        ({"sub_options": [{"type": 5, "data": "zz"}]}, "sub_options[0]"),
        ({"opaque": "xyz", "cls": 2}, "opaque"),
        ({"flags": 5}, "flags"),
        ({"flags": ["Q"]}, "flags"),
        ({"header_only": False}, "header_only"),
    ],
)
def test_from_dict_refuses_unknown_keys_and_bad_shapes(form: dict[str, object], field: str) -> None:
    with pytest.raises(ModelError) as info:
        FlowIdentification.from_dict(form)
    assert info.value.field == field


def test_from_dict_refuses_a_non_mapping() -> None:
    with pytest.raises(ModelError):
        FlowIdentification.from_dict([("fid", 1)])  # type: ignore[arg-type]


# --- decoded values are ordinary values --------------------------------------------------


def test_decoded_values_equal_and_hash_like_made_ones() -> None:
    wire = encode(FULL)
    decoded = decode(wire)
    assert decoded == FULL and hash(decoded) == hash(FULL)
    assert decoded.source == FULL.source and decoded.source.address == FULL.source.address  # type: ignore[union-attr]
    assert {decoded: 1}[FULL] == 1
    assert dataclasses.replace(decoded) == FULL
    assert dataclasses.asdict(decoded) == dataclasses.asdict(FULL)


def test_profile_repr_names_the_named_profiles() -> None:
    assert repr(DRAFT_02) == "DRAFT_02" and repr(DRAFT_02_OCTETS) == "DRAFT_02_OCTETS"
    assert "bid_width=2" in repr(Profile(bid_width=2))
    assert Profile(length_unit="octet") == DRAFT_02_OCTETS


def test_fields_take_the_short_forms_the_dict_form_takes() -> None:
    made = FlowIdentification(
        fid=1, source="2001:db8::/32", destination="192.0.2.1", source_ports=22, destination_ports=(1, 2)
    )
    assert made.source == AddressPrefix("2001:db8::", 32)
    assert made.destination == AddressPrefix("::ffff:192.0.2.1", 128)
    assert made.source_ports == PortRange(22, 22)
    assert made.destination_ports == PortRange(1, 2)
    assert made == FlowIdentification.from_dict(made.to_dict())
