"""The public strategies of ``flowbind.strategies`` draw what they promise (issue 5 item 1).

The option strategies' laws are in ``test_properties.py``; this file covers
the finer faults and the Mobility Header message strategies, and that
``st.from_type`` finds them.
"""

from __future__ import annotations

import collections

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flowbind
from flowbind import DRAFT_02, DRAFT_02_OCTETS, DecodeError, FlowIdentification, Profile
from flowbind import strategies as fs
from flowbind.mobility import (
    FLOW_IDENTIFICATION_ALIGNMENT,
    BindingAcknowledgement,
    BindingUpdate,
    MobilityHeader,
    Pad1,
    PadN,
    check_acknowledgement,
    decode_message,
    encode_message,
)

PROFILES = [
    DRAFT_02,
    DRAFT_02_OCTETS,
    Profile(bid_width=2),
    Profile(ack_copy="verbatim"),
    Profile(option_type=201, length_unit="octet", bid_width=2, ack_copy="verbatim"),
]
#: Profiles whose option type collides with Pad1 (0) or PadN (1).
CLASHING = [Profile(option_type=0), Profile(option_type=1, length_unit="octet")]
SRC, DST = "2001:db8::1", "2001:db8::2"


# --- faults --------------------------------------------------------------------------


def _profiles_for(fault: str) -> list[Profile]:
    return [p for p in PROFILES if fault != "bid-data-not-whole" or p.bid_width == 2]


@pytest.mark.parametrize("fault", sorted(fs.FAULTS))
@settings(max_examples=40)
@given(data=st.data())
def test_each_fault_is_refused_with_its_kind_and_offset(fault: fs.Fault, data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(_profiles_for(fault)), label="profile")
    wire, at = data.draw(fs.fault_cases(fault, profile))
    with pytest.raises(DecodeError) as info:
        flowbind.decode(wire, profile)
    assert (info.value.kind, info.value.offset) == (fs.FAULTS[fault], at)
    # And the fault is the one named, not just one of its kind: look inside the bytes.
    size = profile.option_size(wire[1]) if len(wire) > 1 else None
    if fault == "short-option-len":
        assert size is not None and size < 8
    elif fault == "flags-exceed-length":
        assert size is not None and size >= 8
        assert 8 + flowbind.schema.fields_size(int.from_bytes(wire[2:4], "big")) > size
    elif fault == "prefix-over-128":
        assert wire[at] > 128
    elif fault == "zero-length-sub-option":
        assert wire[at + 1] in (0, 1)
    elif fault == "sub-option-overrun":
        assert size is not None and at + wire[at + 1] > size
    elif fault == "sub-option-without-len":
        assert size is not None and at == size - 1
    elif fault == "bid-data-not-whole":
        assert wire[at] == 1 and (wire[at + 1] - 2) % profile.bid_width
    elif fault == "wrong-type":
        assert wire[0] != profile.option_type
    elif fault == "truncated":
        assert at == len(wire)
    else:
        assert fault == "trailing" and size is not None and at == size < len(wire)


def test_fault_refuses_unknown_names_and_impossible_faults() -> None:
    with pytest.raises(ValueError, match="fault must be one of"):
        fs.faulty("bogus")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="1-octet BIDs"):
        fs.fault_cases("bid-data-not-whole", DRAFT_02)
    assert set(fs.FAULTS.values()) == set(flowbind.errors.DECODE_ERROR_KINDS)


@given(wire=fs.faulty("zero-length-sub-option", DRAFT_02_OCTETS))
def test_faulty_draws_bytes(wire: bytes) -> None:
    assert isinstance(wire, bytes)
    with pytest.raises(DecodeError, match="sub-option"):
        flowbind.decode(wire, DRAFT_02_OCTETS)


# --- messages ------------------------------------------------------------------------


@settings(max_examples=120)
@given(data=st.data())
def test_mobility_headers_round_trip(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES + CLASHING), label="profile")
    mh = data.draw(fs.mobility_headers(profile))
    wire = encode_message(mh, profile)
    assert len(wire) % 8 == 0
    back = decode_message(wire, profile)
    assert back == mh
    assert encode_message(back, profile) == wire
    if profile.option_type in (0, 1):
        # Pad1 and PadN would be read as Flow Identification options.
        assert not any(isinstance(o, (Pad1, PadN)) for o in mh.message.options)


@settings(max_examples=60)
@given(data=st.data())
def test_built_messages_are_aligned_and_checksummed(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES), label="profile")
    mh = data.draw(fs.mobility_headers(profile, built=True))
    wire = encode_message(mh, profile)
    back = decode_message(wire, profile, source=SRC, destination=DST)
    assert back == mh
    assert back.findings == ()
    x, y = FLOW_IDENTIFICATION_ALIGNMENT
    for off, option in zip(back.option_offsets, back.message.options, strict=True):
        if isinstance(option, FlowIdentification):
            assert off % x == y


@settings(max_examples=60)
@given(data=st.data())
def test_message_encodings_are_accepted_exactly(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES), label="profile")
    wire = data.draw(fs.message_encodings(profile, built=data.draw(st.sampled_from([None, True, False]))))
    assert encode_message(decode_message(wire, profile), profile) == wire


def test_unbuilt_messages_do_put_padding_in_the_middle() -> None:
    seen = collections.Counter[str]()

    @settings(max_examples=100, derandomize=True, database=None)
    @given(mh=fs.mobility_headers(DRAFT_02, built=False))
    def run(mh: MobilityHeader) -> None:
        opts = mh.message.options
        if any(isinstance(o, (Pad1, PadN)) for o in opts[:-1]):
            seen["inner padding"] += 1
        if any(isinstance(o, FlowIdentification) for o in opts):
            seen["flow"] += 1
        seen[type(mh.message).__name__] += 1

    run()
    assert {"inner padding", "flow", "BindingUpdate", "BindingAcknowledgement", "OtherMessage"} <= set(seen)


@settings(max_examples=40)
@given(data=st.data())
def test_acknowledged_updates_are_complete(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES), label="profile")
    bu, ba = data.draw(fs.acknowledged_updates(profile))
    check = check_acknowledgement(bu, ba)
    assert check.complete and not check.unexpected
    assert [a.copy.header_only for a in check.answered] == [True] * len(bu.flow_options)
    # And both survive the wire.
    for message in (bu, ba):
        mh = flowbind.build_message(message, profile)
        assert decode_message(encode_message(mh, profile), profile).message.flow_options == tuple(
            o for o in message.options if isinstance(o, FlowIdentification)
        )


@given(data=st.data())
def test_mobility_options_never_take_the_profiles_type(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES + CLASHING), label="profile")
    option = data.draw(fs.mobility_options(profile, padding=True))
    if not isinstance(option, FlowIdentification):
        mh = MobilityHeader(BindingUpdate(options=(option,)))
        body = flowbind.mobility._body(mh.message, profile)[0]
        assert body[6] != profile.option_type


@settings(max_examples=30)
@given(
    bu=st.from_type(BindingUpdate),
    ba=st.from_type(BindingAcknowledgement),
    mh=st.from_type(MobilityHeader),
)
def test_from_type_draws_messages(bu: BindingUpdate, ba: BindingAcknowledgement, mh: MobilityHeader) -> None:
    for message in (bu, ba):
        built = flowbind.build_message(message)
        assert decode_message(encode_message(built)) == built
    assert decode_message(encode_message(mh)) == mh
