"""flowbind.scapy: the option as a scapy mobility option, through flowbind's codec (issue 5 item 2)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scapy.layers.inet6 import (
    MIP6MH_BA,
    MIP6MH_BU,
    IPv6,
    MIP6OptAltCoA,
    MIP6OptBRAdvice,
    MIP6OptUnknown,
    moboptcls,
)
from scapy.layers.inet6 import PadN as ScapyPadN

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    AddressPrefix,
    BIDSubOption,
    BindingUpdate,
    BUFlag,
    DecodeError,
    FlowIdentification,
    PortRange,
    Pro,
    Profile,
)
from flowbind import scapy as fsc
from flowbind import strategies as fs

SRC, DST = "2001:db8::1", "2001:db8::2"
PROFILES = [DRAFT_02, DRAFT_02_OCTETS, Profile(bid_width=2)]
VERBATIM = Profile(ack_copy="verbatim")
SSH = FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22))
NCAST = FlowIdentification(
    fid=10,
    priority=10,
    action=3,
    source=AddressPrefix("2001:db8::", 64),
    destination_ports=PortRange(80, 443),
    sub_options=(BIDSubOption((7, 9)),),
)


@pytest.fixture(autouse=True)
def _clean_table() -> Iterator[None]:
    """Every test leaves scapy's mobility-option table as it found it."""
    before = dict(moboptcls)
    yield
    for profile in [*PROFILES, VERBATIM]:
        fsc.unregister(profile)
    assert moboptcls == before


def _flow_options(pkt: object) -> list[FlowIdentification | bytes]:
    mh = pkt[MIP6MH_BU] if MIP6MH_BU in pkt else pkt[MIP6MH_BA]  # type: ignore[index,operator]
    return [o.option for o in mh.options if isinstance(o, fsc.FlowIdentificationOption)]


# --- the option alone --------------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=repr)
@settings(max_examples=60)
@given(data=st.data())
def test_dissecting_is_flowbind_decode(profile: Profile, data: st.DataObject) -> None:
    cls = fsc.option_class(profile)
    wire = data.draw(fs.encodings(profile))
    pkt = cls(wire)
    assert pkt.option == flowbind.decode(wire, profile)
    assert bytes(pkt) == wire
    assert bytes(cls(option=pkt.option)) == wire
    assert (pkt.type, pkt.length) == (wire[0], wire[1])


@pytest.mark.parametrize("profile", PROFILES, ids=repr)
@settings(max_examples=60)
@given(data=st.data())
def test_building_is_flowbind_encode(profile: Profile, data: st.DataObject) -> None:
    value = data.draw(fs.options(profile))
    pkt = fsc.option_class(profile)(option=value)
    assert bytes(pkt) == flowbind.encode(value, profile)
    assert fsc.option_class(profile)(bytes(pkt)).option == value


@settings(max_examples=100)
@given(data=st.data())
def test_undecodable_octets_are_kept_and_explained(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES))
    wire = data.draw(st.one_of(fs.near_encodings(profile), fs.plausible_bytes(profile)))
    if not wire or wire[0] != profile.option_type:
        return
    pkt = fsc.option_class(profile)(wire)
    assert bytes(pkt) == wire  # the option, then scapy's Padding layer with what follows it
    value = pkt.option
    size = max(2, min(profile.option_size(wire[1]) if len(wire) > 1 else 2, len(wire)))
    try:
        expected = flowbind.decode(wire[:size], profile)
    except DecodeError as exc:
        assert value == wire[:size]
        assert pkt.decode_error is not None
        assert (pkt.decode_error.kind, pkt.decode_error.offset) == (exc.kind, exc.offset)
        assert "undecodable" in pkt.show(dump=True)
    else:
        assert value == expected and pkt.decode_error is None


def test_keyword_arguments_and_assignment_go_through_the_model() -> None:
    pkt = fsc.FlowIdentificationOption(fid=1, priority=1, source_ports=PortRange(22, 22))
    assert pkt.option == SSH
    assert bytes(pkt).hex() == "12022001010100010016001600000000"
    pkt.fid = 5
    pkt.pro = Pro.REPLACE
    assert pkt.option == SSH.replace(fid=5, pro=Pro.REPLACE)
    assert (pkt.fid, pkt.pro, pkt.source_ports, pkt.flags) == (5, Pro.REPLACE, PortRange(22, 22), SSH.flags)
    with pytest.raises(flowbind.ModelError):
        pkt.priority = 64
    with pytest.raises(ValueError, match="read from the option"):
        pkt.length = 3
    with pytest.raises(TypeError, match="read from the option"):
        fsc.FlowIdentificationOption(bids=(1,))
    assert fsc.FlowIdentificationOption(option=SSH.to_dict()).option == SSH
    assert fsc.FlowIdentificationOption(option=bytes(pkt)).option == pkt.option


def test_show_names_the_fields() -> None:
    text = fsc.FlowIdentificationOption(option=NCAST).show(dump=True)
    lines = {
        line.split("=")[0].strip(): line.split("=", 1)[1].strip() for line in text.splitlines() if "=" in line
    }
    assert lines["option"] == flowbind.encode(NCAST).hex()
    assert lines["type"] == "18" and lines["length"] == str(flowbind.encode(NCAST)[1])
    assert lines["flags"] == "SL"
    assert (lines["fid"], lines["priority"]) == ("10", "10")
    assert lines["pro"] == "ADD (0)" and lines["action"] == "NCAST (3)" and lines["status"] == "SUCCESS (0)"
    assert lines["source"] == "2001:db8::/64"
    assert lines["destination_ports"] == "80-443"
    assert lines["bids"] == "[7, 9]"
    # Absent fields are not shown.
    assert "spi" not in lines and "destination" not in lines and "source_ports" not in lines
    assert fsc.FlowIdentificationOption(option=NCAST).summary().startswith("Flow Identification FID 10")


# --- in a Binding Update -----------------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=repr)
@settings(max_examples=40)
@given(data=st.data())
def test_a_scapy_bu_is_the_bu_flowbind_builds(profile: Profile, data: st.DataObject) -> None:
    """A scapy BU is flowbind's ``packet_for`` octet for octet, and flowbind decodes its options."""
    cls = fsc.option_class(profile)
    bu = data.draw(fs.binding_updates(profile, max_options=4))
    bu = bu.replace(options=bu.flow_options, reserved=0)
    scapy_bu = IPv6(src=SRC, dst=DST) / MIP6MH_BU(
        seq=bu.sequence,
        flags=int(bu.flags) >> 9,  # A..M are scapy's 7-bit field's high bits
        mhtime=bu.lifetime,
        options=[cls(option=o) for o in bu.options],
    )
    wire = bytes(scapy_bu)
    assert wire == flowbind.packet_for(bu, profile, source=SRC, destination=DST)
    mh = flowbind.decode_message(wire[40:], profile, source=SRC, destination=DST)
    assert mh.findings == ()
    assert mh.message.flow_options == bu.flow_options
    # flowbind.decode of each option's octets, at the offsets the decoder reports.
    for off, opt in zip(mh.option_offsets, mh.message.options, strict=True):
        if isinstance(opt, FlowIdentification):
            size = profile.option_size(wire[40 + off + 1])
            assert flowbind.decode(wire[40 + off : 40 + off + size], profile) == opt


@pytest.mark.parametrize("profile", PROFILES, ids=repr)
@settings(max_examples=40)
@given(data=st.data())
def test_scapy_dissects_what_flowbind_builds(profile: Profile, data: st.DataObject) -> None:
    fsc.register(profile)
    bu = data.draw(fs.binding_updates(profile, max_options=5))
    # Only the Flow Identification options: scapy's own classes of the others are scapy's business
    # (its Binding Authorization Data, say, reads 12 octets whatever the option's Length says).
    bu = bu.replace(options=bu.flow_options)
    wire = flowbind.packet_for(bu, profile, source=SRC, destination=DST)
    pkt = IPv6(wire)
    assert _flow_options(pkt) == list(bu.flow_options)
    assert bytes(pkt) == wire
    # Rebuilt by scapy, its Header Len and checksum computed anew: the same octets.
    mh = pkt[MIP6MH_BU].copy()
    mh.len = None
    mh.cksum = None
    assert bytes(IPv6(src=SRC, dst=DST) / mh) == wire


def test_other_mobility_options_sit_beside_it() -> None:
    fsc.register()
    bu = BindingUpdate(
        sequence=9,
        flags=BUFlag.A | BUFlag.H,
        lifetime=50,
        options=(
            flowbind.BindingRefreshAdvice(4),
            SSH,
            flowbind.AlternateCareOfAddress("2001:db8::7"),
            NCAST,
        ),
    )
    wire = flowbind.packet_for(bu, source=SRC, destination=DST)
    built = IPv6(src=SRC, dst=DST) / MIP6MH_BU(
        seq=9,
        flags="AH",
        mhtime=50,
        options=[
            MIP6OptBRAdvice(rinter=4),
            fsc.FlowIdentificationOption(option=SSH),
            MIP6OptAltCoA(acoa="2001:db8::7"),
            fsc.FlowIdentificationOption(option=NCAST),
        ],
    )
    assert bytes(built) == wire
    scapy_names = {
        "BindingRefreshAdvice": "MIP6OptBRAdvice",
        "AlternateCareOfAddress": "MIP6OptAltCoA",
        "FlowIdentification": "FlowIdentificationOption",
        "PadN": "PadN",
        "Pad1": "Pad1",
    }
    kinds = [type(o).__name__ for o in IPv6(wire)[MIP6MH_BU].options]
    ours = [scapy_names[type(o).__name__] for o in flowbind.decode_message(wire[40:]).message.options]
    assert kinds == ours
    assert kinds[:2] == ["MIP6OptBRAdvice", "FlowIdentificationOption"]
    assert _flow_options(IPv6(wire)) == [SSH, NCAST]


def test_an_undecodable_option_in_a_bu_is_kept_and_the_rest_dissects() -> None:
    fsc.register()
    bad = bytearray(flowbind.encode(NCAST))
    bad[8 + 16] = 200  # source prefix 200
    bu = BindingUpdate(sequence=1, options=(SSH,))
    mh = flowbind.build_message(bu)
    raw = flowbind.encode_message(mh)
    # Put the bad option where SSH was (same size): the message stays framed.
    at = mh.option_offsets[1]
    wire = raw[:at] + bytes(bad) + raw[at + 16 :]
    wire = wire[:1] + bytes(((len(wire) - 8) // 8,)) + wire[2:]
    pkt = MIP6MH_BU(wire)
    options = [o for o in pkt.options if isinstance(o, fsc.FlowIdentificationOption)]
    assert len(options) == 1 and options[0].option == bytes(bad)
    assert options[0].decode_error is not None and options[0].decode_error.kind == "value"
    assert bytes(pkt)[6:] == wire[6:]


# --- in a Binding Acknowledgement --------------------------------------------------------


@pytest.mark.parametrize("profile", [DRAFT_02, DRAFT_02_OCTETS, VERBATIM], ids=repr)
@settings(max_examples=30)
@given(data=st.data())
def test_acknowledgement_copies(profile: Profile, data: st.DataObject) -> None:
    cls = fsc.register(profile)
    bu, ba = data.draw(fs.acknowledged_updates(profile))
    wire = flowbind.packet_for(ba, profile, source=DST, destination=SRC)
    pkt = IPv6(wire)
    copies = _flow_options(pkt)
    assert copies == list(ba.flow_options)
    assert [c.length for c in copies if isinstance(c, FlowIdentification)] == [
        c.length if c.length is not None else profile.header_only_length for c in ba.flow_options
    ]
    assert bytes(pkt) == wire
    built = IPv6(src=DST, dst=SRC) / MIP6MH_BA(
        status=ba.status,
        flags=0,
        seq=ba.sequence,
        mhtime=ba.lifetime,
        options=[cls(option=o) for o in ba.options],
    )
    assert bytes(built) == wire
    assert flowbind.check_acknowledgement(bu, flowbind.decode_message(wire[40:], profile).message).complete


def test_a_verbatim_copy_keeps_its_option_len_and_is_read_as_8_octets() -> None:
    cls = fsc.register(VERBATIM)
    bu = BindingUpdate(sequence=3, options=(NCAST,))
    ba = flowbind.acknowledge(bu, [flowbind.Status.SUCCESS], VERBATIM)
    wire = flowbind.packet_for(ba, VERBATIM, source=DST, destination=SRC)
    (copy,) = [o for o in IPv6(wire)[MIP6MH_BA].options if isinstance(o, cls)]
    assert copy.length == flowbind.encode(NCAST, VERBATIM)[1] == 5
    assert len(bytes(copy)) == 8
    assert copy.option.header_only and copy.fid == 10


# --- the table ---------------------------------------------------------------------------


def test_register_and_unregister() -> None:
    assert fsc.registered() is None and 18 not in moboptcls
    assert fsc.register() is fsc.FlowIdentificationOption
    assert fsc.registered(18) is fsc.FlowIdentificationOption
    octets = fsc.register(DRAFT_02_OCTETS)
    assert octets is fsc.option_class(DRAFT_02_OCTETS) and octets.profile == DRAFT_02_OCTETS
    assert fsc.registered(18) is octets  # one class per type: the last one registered
    other = fsc.register(Profile(option_type=201))
    assert moboptcls[201] is other
    fsc.unregister(Profile(option_type=201))
    fsc.unregister(DRAFT_02_OCTETS)
    assert 201 not in moboptcls and fsc.registered() is None
    fsc.unregister(DRAFT_02)  # nothing left to undo


def test_without_registration_scapy_misframes_the_8_octet_unit_only() -> None:
    """What docs/scapy.md says: a generic walker frames the octet unit right and the 8-octet unit wrong."""
    for profile, framed in ((DRAFT_02_OCTETS, True), (DRAFT_02, False)):
        wire = flowbind.packet_for(BindingUpdate(options=(SSH,)), profile, source=SRC, destination=DST)
        options = IPv6(wire)[MIP6MH_BU].options
        unknown = [o for o in options if isinstance(o, MIP6OptUnknown)]
        assert unknown and unknown[0].otype == 18
        if framed:
            assert flowbind.decode(bytes(unknown[0]), profile) == SSH
            assert [type(o) for o in options] == [ScapyPadN, MIP6OptUnknown, ScapyPadN][: len(options)]
        else:
            assert len(bytes(unknown[0])) == 2 + wire[40 + 17]  # Len 2 read as 2 octets, not 16
            with pytest.raises(DecodeError):
                flowbind.decode(bytes(unknown[0]), profile)
