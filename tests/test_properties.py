"""The codec's laws, stated as hypothesis properties (issue 2 items 5, 6, 7, 10).

* every valid value survives ``encode`` then ``decode`` (interpretation §6);
* every byte string decode accepts is re-encoded exactly; every other one is
  refused with a ``DecodeError`` and nothing else;
* the dict form and ``dataclasses.replace`` keep a value (and its bytes);
* ``flowbind.strategies.malformed(kind)`` draws what decode refuses with that kind.
"""

from __future__ import annotations

import collections
import dataclasses
import json
from collections.abc import Callable

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import flowbind
from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    BIDSubOption,
    DecodeError,
    FlowIdentification,
    Profile,
    UnknownSubOption,
    decode,
    encode,
)
from flowbind import strategies as fs
from flowbind.errors import DECODE_ERROR_KINDS
from flowbind.schema import fields_size

#: The laws are checked for each of these; the tests that draw a profile also
#: use a fourth, with another option type and both alternatives at once.
MAIN_PROFILES = [DRAFT_02, DRAFT_02_OCTETS, Profile(bid_width=2)]
PROFILES = [*MAIN_PROFILES, Profile(option_type=201, length_unit="octet", bid_width=2)]
by_profile = pytest.mark.parametrize("profile", MAIN_PROFILES, ids=["draft02", "octets", "bid16"])


def _accepts_or_refuses(data: bytes, profile: Profile) -> FlowIdentification | DecodeError:
    """Decode ``data``: the value, or the DecodeError (any other exception fails the test)."""
    try:
        return decode(data, profile)
    except DecodeError as exc:
        return exc


def _check_exact(data: bytes, profile: Profile) -> FlowIdentification | DecodeError:
    """The law for arbitrary bytes: refused with DecodeError, or re-encoded exactly."""
    got = _accepts_or_refuses(data, profile)
    if isinstance(got, DecodeError):
        assert got.kind in DECODE_ERROR_KINDS
        assert 0 <= got.offset <= len(data)
        event(f"refused: {got.kind}")
    else:
        assert encode(got, profile) == data
        event("accepted")
    return got


def _revalidate(option: FlowIdentification) -> None:
    """A decoded value passes the validating constructors again, unchanged."""
    again = dataclasses.replace(option)
    assert again == option
    assert hash(again) == hash(option)
    for part in (option.source, option.destination, option.source_ports, option.destination_ports):
        if part is not None:
            assert dataclasses.replace(part) == part
    for sub in option.sub_options:
        assert dataclasses.replace(sub) == sub


# --- model -> bytes -> model ----------------------------------------------------


def _content_size(option: FlowIdentification, profile: Profile) -> int:
    """Octets of header, fields, sub-options and pads: what an encoder must write before padding."""
    if option.cls != flowbind.CLS_FLOW:
        return 8 + len(option.opaque or b"")
    if option.header_only:
        return 8
    size = 8 + fields_size(int(option.flags)) + sum(option.pad_before) + option.padding
    for sub in option.sub_options:
        size += 2 + (len(sub.bids) * profile.bid_width if isinstance(sub, BIDSubOption) else len(sub.data))
    return size


@by_profile
@given(data=st.data())
def test_decode_encode_is_identity_on_valid_values(profile: Profile, data: st.DataObject) -> None:
    """decode(encode(v)) == v; the framing is minimal; the dict/JSON form keeps the bytes."""
    canonical = data.draw(st.booleans(), label="canonical")
    option = data.draw(fs.options(profile, canonical=canonical))
    wire = encode(option, profile)
    assert wire[0] == profile.option_type
    assert profile.option_size(wire[1]) == len(wire) <= profile.max_size
    # Exactly the least padding the unit needs, as zero octets.
    content = _content_size(option, profile)
    assert len(wire) == content + (-content) % profile.granule
    assert set(wire[content:]) <= {0}

    back = decode(wire, profile)
    assert back == option
    assert (back.header_only, back.flags) == (option.header_only, option.flags)
    if canonical:  # a new value writes reserved bits, ignored octets and padding as zero
        assert (back.res3, back.res4, back.padding, back.pad_before) == (0, 0, 0, ())
        assert (back.ignored_protocol, back.ignored_class_of_service) == (0, 0)

    for value in (option, back):
        form = value.to_dict(profile)
        assert (form["type"], form["length"]) == (profile.option_type, wire[1])
        text = json.dumps(form)
        again = FlowIdentification.from_dict(json.loads(text))
        assert again == option
        assert encode(again, profile) == wire


@given(option=fs.header_only_options())
def test_header_only_options_are_8_octets_in_every_profile(option: FlowIdentification) -> None:
    for profile in PROFILES:
        wire = encode(option, profile)
        assert len(wire) == 8
        assert wire[1] == profile.header_only_length
        back = decode(wire, profile)
        assert back.header_only
        assert back.flags == option.flags
        assert back == option


@given(sub=fs.bid_sub_options(Profile(bid_width=2)), other=fs.unknown_sub_options())
def test_sub_option_strategies_round_trip_inside_an_option(
    sub: BIDSubOption, other: UnknownSubOption
) -> None:
    profile = Profile(bid_width=2)
    option = FlowIdentification(fid=3, sub_options=(sub, other))
    assert decode(encode(option, profile), profile).sub_options == (sub, other)


# --- bytes -> model -> bytes ----------------------------------------------------


@by_profile
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_or_reencoded_exactly(profile: Profile, data: bytes) -> None:
    _check_exact(data, profile)


@by_profile
@given(data=st.data())
def test_arbitrary_bytes_after_the_right_type_and_length(profile: Profile, data: st.DataObject) -> None:
    """The first octet forced to the profile's type, the Len octet framing the rest."""
    body = data.draw(st.binary(min_size=6, max_size=120))
    size = 2 + len(body)
    size -= size % profile.granule
    body = body[: size - 2]
    wire = bytes([profile.option_type, profile.length_octet(size)]) + body
    _check_exact(wire, profile)


@by_profile
@given(data=st.data())
def test_near_valid_bytes_are_refused_or_reencoded_exactly(profile: Profile, data: st.DataObject) -> None:
    """Mutated encodings and random options of the right type and Len.

    What decode accepts re-encodes exactly, re-validates through
    ``dataclasses.replace`` and keeps its bytes through the JSON form.
    """
    wire = data.draw(st.one_of(fs.near_encodings(profile), fs.plausible_bytes(profile)))
    got = _check_exact(wire, profile)
    if isinstance(got, FlowIdentification):
        _revalidate(got)
        assert encode(dataclasses.replace(got), profile) == wire
        form = json.loads(json.dumps(got.to_dict()))
        assert (form["type"], form["length"]) == (wire[0], wire[1])
        assert encode(FlowIdentification.from_dict(form), profile) == wire


@given(profile=fs.profiles(), data=st.data())
def test_nothing_but_decode_error_escapes_decode(profile: Profile, data: st.DataObject) -> None:
    wire = data.draw(
        st.one_of(
            st.binary(max_size=64),
            fs.plausible_bytes(profile),
            fs.near_encodings(profile),
            st.sampled_from(DECODE_ERROR_KINDS).flatmap(lambda kind: fs.malformed(kind, profile)),
        )
    )
    for form in (wire, bytearray(wire), memoryview(wire)):
        _check_exact(form, profile)  # type: ignore[arg-type]


def _tally(make: Callable[[Profile], st.SearchStrategy[bytes]]) -> collections.Counter[str]:
    """What decode does with 120 draws of ``make`` over the profiles: accepts, or refuses by kind."""
    counts: collections.Counter[str] = collections.Counter()

    @settings(max_examples=120, derandomize=True, database=None)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        profile = data.draw(st.sampled_from(PROFILES))
        got = _check_exact(data.draw(make(profile)), profile)
        counts["ok" if isinstance(got, FlowIdentification) else got.kind] += 1

    run()
    return counts


def test_near_valid_generators_are_often_accepted() -> None:
    """plausible_bytes and near_encodings really reach acceptance, and every early refusal."""
    seen = {"plausible": _tally(fs.plausible_bytes), "near": _tally(fs.near_encodings)}
    for source, counts in seen.items():
        total = sum(counts.values())
        assert total >= 100, seen
        assert counts["ok"] >= total // 8, (source, counts)
        assert total - counts["ok"] >= total // 8, (source, counts)
    # Which refusals hypothesis's choices reach moves with its internals; between them
    # the two generators must reach each refusal that comes before the fields are read.
    reached = set(seen["plausible"]) | set(seen["near"])
    assert {"truncated", "length", "sub-option", "trailing"} <= reached, seen


# --- the malformed strategies ------------------------------------------------------


@given(data=st.data())
def test_malformed_draws_exactly_its_kind(data: st.DataObject) -> None:
    """(test_reference checks each kind against both codecs; here every kind at once.)"""
    kind = data.draw(st.sampled_from(DECODE_ERROR_KINDS), label="kind")
    profile = data.draw(st.sampled_from(PROFILES), label="profile")
    wire, offset = data.draw(fs.malformed_cases(kind, profile))
    with pytest.raises(DecodeError) as info:
        decode(wire, profile)
    assert (info.value.kind, info.value.offset) == (kind, offset)
    assert f"at octet {offset}" in str(info.value)
    event(kind)


def test_malformed_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        fs.malformed("bogus")  # type: ignore[arg-type]


# --- st.from_type, through the installed entry point ----------------------------------


@given(
    option=st.from_type(FlowIdentification),
    bid=st.from_type(BIDSubOption),
    other=st.from_type(UnknownSubOption),
    profile=st.from_type(Profile),
)
def test_from_type_draws_encodable_values(
    option: FlowIdentification, bid: BIDSubOption, other: UnknownSubOption, profile: Profile
) -> None:
    assert decode(encode(option)) == option
    both = FlowIdentification(sub_options=(bid, other))
    assert decode(encode(both)).sub_options == (bid, other)
    assert isinstance(profile, Profile)


def _python(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_importing_flowbind_does_not_import_hypothesis() -> None:
    assert _python("import sys, flowbind; print('hypothesis' in sys.modules)").strip() == "False"


def test_from_type_works_whichever_is_imported_first() -> None:
    """The entry point finds its hook even when flowbind.strategies imports hypothesis itself."""
    code = (
        "import flowbind.strategies\n"
        "from hypothesis import strategies as st\n"
        "import flowbind\n"
        "print('_flow_options(' in repr(st.from_type(flowbind.FlowIdentification)))"
    )
    assert _python(code).strip() == "True"


# --- iter_options -----------------------------------------------------------------------


@given(data=st.data())
def test_iter_options_walks_consecutive_encodings(data: st.DataObject) -> None:
    profile = data.draw(st.sampled_from(PROFILES), label="profile")
    values = data.draw(st.lists(fs.options(profile), max_size=3))
    lead = data.draw(st.binary(max_size=5))
    buf = lead
    offsets = []
    for value in values:
        offsets.append(len(buf))
        buf += encode(value, profile)
    walked = list(flowbind.iter_options(buf, profile, start=len(lead)))
    assert [off for off, _ in walked] == offsets
    assert [opt for _, opt in walked] == values
