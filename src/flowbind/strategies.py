"""Hypothesis strategies for Flow Identification options, valid and malformed.

For property tests of flowbind itself and of code built on it (a mobility
message layer, a peer's decoder, a fuzzer).  Every strategy takes the
:class:`~flowbind.Profile` whose wire format it targets, so that what it draws
respects that profile's limits (BID width, largest option, padding granule):

* :func:`options` draws :class:`~flowbind.FlowIdentification` values that
  ``flowbind.encode(value, profile)`` accepts, including non-zero reserved
  bits, ignored octets, padding, unknown sub-options, unknown enum values and
  opaque bodies (CLS other than 1);
* :func:`encodings` draws wire bytes that ``flowbind.decode`` accepts;
* :func:`malformed` draws bytes that decode refuses with one given
  :attr:`~flowbind.DecodeError.kind` (:func:`malformed_cases` also gives the
  offset decode must report);
* :func:`faulty` and :func:`fault_cases` do the same by finer fault
  (:data:`FAULTS`: a bad Option Len, flags that exceed it, a zero-length
  sub-option, an overrun, a prefix above 128, ...);
* :func:`near_encodings` and :func:`plausible_bytes` draw bytes near valid
  ones, which decode must either accept or refuse with a ``DecodeError``;
* :func:`binding_updates`, :func:`binding_acknowledgements`,
  :func:`acknowledged_updates`, :func:`mobility_headers` and
  :func:`message_encodings` draw whole Mobility Header messages
  (:mod:`flowbind.mobility`), and :func:`mobility_options` their options.

``docs/testing.md`` shows them testing a decoder of one's own.

This is the only flowbind module that imports hypothesis; ``import flowbind``
does not import it.  Once flowbind is installed, hypothesis loads
:func:`_hypothesis_setup_hook` through its entry point, so that
``st.from_type(FlowIdentification)`` (and of the sub-options, ``Profile``,
``BindingUpdate``, ``BindingAcknowledgement`` and ``MobilityHeader``) and
``st.builds(...)`` work:

>>> from hypothesis import given, settings, strategies as st
>>> import flowbind
>>> @settings(max_examples=25, deadline=None)
... @given(st.from_type(flowbind.FlowIdentification))
... def test(option):
...     assert flowbind.decode(flowbind.encode(option)) == option
>>> test()
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Mapping
from typing import Final, Literal, ParamSpec, TypeVar, get_args

from .codec import encode, encoded_size
from .enums import ALL_FLAGS, CLS_FLOW, FIELD_FLAGS, Action, Flag, Pro, Status, SubOptionType
from .errors import DecodeErrorKind
from .mobility import (
    MAX_MESSAGE,
    OPTIONS_START,
    AlternateCareOfAddress,
    BAFlag,
    BindingAcknowledgement,
    BindingIdentifier,
    BindingRefreshAdvice,
    BindingUpdate,
    BUFlag,
    Message,
    MobilityHeader,
    MobilityOption,
    OtherMessage,
    Pad1,
    PadN,
    UnknownMobilityOption,
    acknowledge,
    build_message,
    encode_message,
)
from .model import (
    MAX_FLOW_LABEL,
    MAX_PORT,
    MAX_PREFIX,
    MAX_PRIORITY,
    MAX_SPI,
    MAX_SUB_OPTION_DATA,
    AddressPrefix,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    SubOption,
    UnknownSubOption,
)
from .profile import DRAFT_02, HEADER_SIZE, AckCopy, LengthUnit, Profile
from .schema import FIELDS, SUB_OPTION_HEADER_LAYOUT, fields_size

# The entry-point hook is defined before hypothesis is imported: when this
# module is imported first, importing hypothesis runs its entry points, which
# look the hook up in this (then half-initialised) module.  The hook then only
# notes that it was called; the registration happens at the end of the module.
_ready = False
_hook_called = False


def _hypothesis_setup_hook() -> None:
    """Register flowbind's types with ``st.from_type`` (hypothesis's entry point runs it).

    The strategies registered are those for :data:`~flowbind.DRAFT_02`.
    """
    global _hook_called
    _hook_called = True
    if _ready:
        _register_types()


from hypothesis import strategies as st  # noqa: E402
from hypothesis.strategies import DrawFn, SearchStrategy  # noqa: E402

__all__ = [
    "FAULTS",
    "Fault",
    "MalformedKind",
    "acknowledged_updates",
    "address_prefixes",
    "bid_sub_options",
    "binding_acknowledgements",
    "binding_updates",
    "encodings",
    "fault_cases",
    "faulty",
    "header_only_options",
    "malformed",
    "malformed_cases",
    "message_encodings",
    "mobility_headers",
    "mobility_options",
    "near_encodings",
    "options",
    "plausible_bytes",
    "port_ranges",
    "profiles",
    "sub_options",
    "unknown_sub_options",
]

#: The kinds :func:`malformed` can draw: every :class:`~flowbind.DecodeError` kind.
MalformedKind = DecodeErrorKind

_SUB_HDR: Final = SUB_OPTION_HEADER_LAYOUT.fmt.size
#: The most octets one sub-option can take (its Len is one octet).
_MAX_SUB: Final = 0xFF
_FIELD_SIZE: Final = {spec.name: spec.size for spec in FIELDS}
_PREFIX_IN_ADDRESS: Final = 16
#: Sub-option types the draft does not define (0 is padding, 1 the BID sub-option).
_UNKNOWN_TYPES: Final = st.integers(int(SubOptionType.BID) + 1, 0xFF)


_P = ParamSpec("_P")
_T = TypeVar("_T")


def _cached(make: Callable[_P, _T]) -> Callable[_P, _T]:
    """Build each strategy once per distinct arguments.

    Strategies are immutable; reusing them spares hypothesis re-validating a
    fresh strategy object at every draw, which dominates the cost otherwise.
    """
    cache: dict[object, _T] = {}

    @functools.wraps(make)
    def cached(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        key = (args, tuple(sorted(kwargs.items())))
        try:
            return cache[key]
        except KeyError:
            made = cache[key] = make(*args, **kwargs)
            return made

    return cached


@_cached
def _enum_or_int(members: SearchStrategy[int], top: int) -> SearchStrategy[int]:
    """Named values most of the time, any value in range some of the time."""
    return st.one_of(members, st.integers(0, top))


@_cached
def _reserved(top: int, canonical: bool) -> SearchStrategy[int]:
    if canonical:
        return st.just(0)
    return st.one_of(st.just(0), st.integers(1, top))


@_cached
def profiles() -> SearchStrategy[Profile]:
    """Any :class:`~flowbind.Profile` (the named ones most often)."""
    return st.one_of(
        st.sampled_from([DRAFT_02, Profile(length_unit=LengthUnit.OCTET)]),
        st.builds(
            Profile,
            option_type=st.integers(0, 0xFF),
            length_unit=st.sampled_from(LengthUnit),
            bid_width=st.sampled_from([1, 2]),
            ack_copy=st.sampled_from(AckCopy),
        ),
    )


@_cached
def address_prefixes(*, canonical: bool = False) -> SearchStrategy[AddressPrefix]:
    """Addresses (IPv6 or IPv4-mapped) with any prefix 0..128.

    With ``canonical=False`` the 24 reserved bits after the prefix are
    sometimes non-zero, as a peer may send them.
    """
    return st.builds(
        AddressPrefix,
        st.builds(_address, st.binary(min_size=16, max_size=16), st.booleans()),
        st.integers(0, MAX_PREFIX),
        _reserved(0xFFFFFF, canonical),
    )


def _address(raw: bytes, mapped: bool) -> ipaddress.IPv6Address:
    """16 octets as an IPv6 address, or their first 4 as an IPv4-mapped one."""
    if mapped:
        raw = bytes(10) + b"\xff\xff" + raw[:4]
    return ipaddress.IPv6Address(raw)


@_cached
def port_ranges() -> SearchStrategy[PortRange]:
    """Any port range, including ``min > max`` (a validation finding, not a codec error)."""
    port = st.integers(0, MAX_PORT)
    return st.builds(PortRange, port, port)


@_cached
def bid_sub_options(profile: Profile = DRAFT_02, *, max_size: int = _MAX_SUB) -> SearchStrategy[BIDSubOption]:
    """BID sub-options that ``profile`` can encode in at most ``max_size`` octets.

    BIDs fit the profile's ``bid_width``; an empty BID list is drawn too.
    """
    width = profile.bid_width
    most = max(0, (min(max_size, _MAX_SUB) - _SUB_HDR) // width)
    # One draw of raw octets rather than one draw per BID: much cheaper to generate.
    return st.binary(max_size=most * width).map(lambda raw: BIDSubOption(_bids(raw, width)))


def _bids(raw: bytes, width: int) -> tuple[int, ...]:
    if width == 1:
        return tuple(raw)
    whole = len(raw) - len(raw) % width
    return tuple(int.from_bytes(raw[i : i + width], "big") for i in range(0, whole, width))


@_cached
def unknown_sub_options(*, max_size: int = _MAX_SUB) -> SearchStrategy[UnknownSubOption]:
    """Sub-options of types the draft does not define (2..255), of at most ``max_size`` octets."""
    most = max(0, min(max_size - _SUB_HDR, MAX_SUB_OPTION_DATA))
    return st.builds(
        UnknownSubOption,
        _UNKNOWN_TYPES,
        st.binary(max_size=most),
    )


@_cached
def sub_options(profile: Profile = DRAFT_02, *, max_size: int = _MAX_SUB) -> SearchStrategy[SubOption]:
    """BID or unknown sub-options (BID ones more often)."""
    return st.one_of(bid_sub_options(profile, max_size=max_size), unknown_sub_options(max_size=max_size))


@_cached
def _flags(mask: Flag) -> SearchStrategy[Flag]:
    """Any subset of ``mask``."""
    bits = [int(f) for f in Flag if f & mask]

    def spread(n: int) -> Flag:
        return Flag(sum(bit for i, bit in enumerate(bits) if n >> i & 1))

    # One integer draw (each of its bits picks a flag): much cheaper than a set.
    return st.integers(0, (1 << len(bits)) - 1).map(spread)


@_cached
@st.composite
def _header(draw: DrawFn) -> dict[str, object]:
    """The header's values apart from flags and CLS."""
    return {
        "fid": draw(st.integers(0, 0xFF)),
        "pro": draw(_enum_or_int(st.sampled_from(Pro), 0xF)),
        "action": draw(_enum_or_int(st.sampled_from(Action), 0xFF)),
        "priority": draw(st.integers(0, MAX_PRIORITY)),
        "status": draw(st.one_of(st.just(Status.SUCCESS), _enum_or_int(st.sampled_from(Status), 0xFF))),
    }


@_cached
@st.composite
def header_only_options(draw: DrawFn) -> FlowIdentification:
    """Header-only options (8 octets in every profile) with any flags.

    These are the Refresh, Remove, acknowledgement-copy, wildcard-Add and
    movement-Replace forms (interpretation §5); their flags are kept as given.
    Mostly CLS 1; sometimes another CLS, with no opaque part.
    """
    header = draw(_header())
    cls = draw(st.one_of(st.just(CLS_FLOW), st.integers(0, 0xF)))
    return FlowIdentification(cls=cls, flags=draw(_flags(ALL_FLAGS)), **header)  # type: ignore[arg-type]


@_cached
@st.composite
def _opaque_options(draw: DrawFn, profile: Profile) -> FlowIdentification:
    """Options whose CLS is not 1: any flags, an opaque body the unit can frame unpadded."""
    header = draw(_header())
    cls = draw(st.integers(0, 0xF).filter(lambda n: n != CLS_FLOW))
    g = profile.granule
    room = profile.max_size - HEADER_SIZE
    # Mostly short bodies; sometimes one that (nearly) fills the largest option.
    short = st.binary(max_size=room)
    body = draw(st.one_of(short, short, short, st.binary(min_size=room - 2 * g, max_size=room)))
    body = body[: len(body) - len(body) % g]
    return FlowIdentification(
        cls=cls,
        flags=draw(_flags(ALL_FLAGS)),
        opaque=body,
        **header,  # type: ignore[arg-type]
    )


@_cached
@st.composite
def _flow_options(
    draw: DrawFn,
    profile: Profile,
    *,
    canonical: bool = False,
    subs: bool = True,
    need_address: bool = False,
) -> FlowIdentification:
    """CLS 1 options with any fields, sub-options and padding ``profile`` can frame."""
    header = draw(_header())
    fields: dict[str, object] = {}
    if need_address:
        which = draw(st.sampled_from(["source", "destination", "both"]))
        with_source = which != "destination"
        with_destination = which != "source"
    else:
        with_source = draw(st.booleans())
        with_destination = draw(st.booleans())
    if with_source:
        fields["source"] = draw(address_prefixes(canonical=canonical))
    if with_destination:
        fields["destination"] = draw(address_prefixes(canonical=canonical))
    if draw(st.booleans()):
        fields["source_ports"] = draw(port_ranges())
    if draw(st.booleans()):
        fields["destination_ports"] = draw(port_ranges())
    if draw(st.booleans()):
        fields["spi"] = draw(st.integers(0, MAX_SPI))
    if draw(st.booleans()):
        fields["flow_label"] = draw(st.integers(0, MAX_FLOW_LABEL))
        fields["res3"] = draw(_reserved(0xFFF, canonical))
    word = draw(st.sampled_from(["none", "protocol", "class_of_service", "both"]))
    if word != "none":
        fields["res4"] = draw(_reserved(0xFFFF, canonical))
        if word in ("protocol", "both"):
            fields["protocol"] = draw(st.integers(0, 0xFF))
        else:
            fields["ignored_protocol"] = draw(_reserved(0xFF, canonical))
        if word in ("class_of_service", "both"):
            fields["class_of_service"] = draw(st.integers(0, 0xFF))
        else:
            fields["ignored_class_of_service"] = draw(_reserved(0xFF, canonical))

    # The Protocol/C.S. word is the field spec named "protocol"; it serves O and T.
    used = HEADER_SIZE + sum(
        size for name, size in _FIELD_SIZE.items() if name in fields and name != "protocol"
    )
    if word != "none":
        used += _FIELD_SIZE["protocol"]

    room = profile.max_size - used
    chosen: list[SubOption] = []
    pads: list[int] = []
    if subs:
        for _ in range(draw(st.integers(0, 8))):
            if room < _SUB_HDR:
                break
            pad = 0
            if not canonical and room > _SUB_HDR:
                pad = draw(st.one_of(st.just(0), st.integers(1, min(3, room - _SUB_HDR))))
            sub = draw(sub_options(profile, max_size=room - pad))
            room -= pad + len(_sub_option_bytes(sub, profile.bid_width))
            chosen.append(sub)
            pads.append(pad)
        if room >= _SUB_HDR and draw(st.integers(0, 7)) == 0:
            # Fill (nearly) all the room left: options of the largest size.
            while room >= _SUB_HDR:
                size = min(room, _MAX_SUB)
                data = draw(st.binary(min_size=size - _SUB_HDR, max_size=size - _SUB_HDR))
                chosen.append(UnknownSubOption(draw(_UNKNOWN_TYPES), data))
                pads.append(0)
                room -= size
    g = profile.granule
    padding = 0
    if not canonical:
        # Extra padding: a multiple of the granule, beyond the minimal padding.
        room_after = room - (room % g)
        padding = g * draw(st.one_of(st.just(0), st.integers(0, min(3, room_after // g))))
    flags = draw(_flags(Flag.R | Flag.H))
    return FlowIdentification(
        flags=flags,
        sub_options=tuple(chosen),
        pad_before=tuple(pads),
        padding=padding,
        **header,  # type: ignore[arg-type]
        **fields,  # type: ignore[arg-type]
    )


@_cached
def options(profile: Profile = DRAFT_02, *, canonical: bool = False) -> SearchStrategy[FlowIdentification]:
    """Valid options that ``flowbind.encode(option, profile)`` accepts.

    Header-only options with any flags, CLS 1 options with any fields,
    sub-options (within the profile's BID width and largest option) and
    padding, and options with another CLS and an opaque body.

    ``canonical=True`` keeps reserved bits, ignored octets and extra padding
    zero: the values a fresh encoder makes.

    >>> from hypothesis import given, settings
    >>> import flowbind
    >>> @settings(max_examples=25, deadline=None)
    ... @given(options(flowbind.DRAFT_02_OCTETS))
    ... def test(option):
    ...     data = flowbind.encode(option, flowbind.DRAFT_02_OCTETS)
    ...     assert len(data) <= flowbind.DRAFT_02_OCTETS.max_size
    >>> test()
    """
    flow = _flow_options(profile, canonical=canonical)
    return st.one_of(flow, header_only_options(), flow, _opaque_options(profile))


@_cached
def encodings(profile: Profile = DRAFT_02, *, canonical: bool = False) -> SearchStrategy[bytes]:
    """Wire forms of :func:`options` under ``profile``: bytes decode accepts."""
    return options(profile, canonical=canonical).map(lambda option: encode(option, profile))


# --- bytes near valid ones ------------------------------------------------------


@_cached
@st.composite
def near_encodings(draw: DrawFn, profile: Profile = DRAFT_02) -> bytes:
    """Valid encodings with a few octets flipped, inserted, deleted, or cut off.

    Decode may accept or refuse them; it must never raise anything but a
    ``DecodeError``.
    """
    data = bytearray(draw(encodings(profile)))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "set", "insert", "delete", "truncate", "append"]))
        if how == "append" or not data:
            data += draw(st.binary(min_size=1, max_size=8))
            continue
        at = draw(st.integers(0, len(data) - 1))
        if how == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "set":
            data[at] = draw(st.integers(0, 0xFF))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        elif how == "delete":
            del data[at : at + draw(st.integers(1, 4))]
        else:
            del data[at:]
    return bytes(data)


@_cached
@st.composite
def plausible_bytes(draw: DrawFn, profile: Profile = DRAFT_02) -> bytes:
    """Random options that start with the profile's type and a fitting Len.

    The body is random but zero-heavy and the flags sparse, so that decode
    accepts a good share of them while every check of interpretation §6 still
    gets exercised.  Sometimes the Len or the buffer's size is a little off.
    """
    top = min(profile.max_size, 96)
    size = draw(st.integers(HEADER_SIZE, top).map(lambda n: n - n % profile.granule))
    length = profile.length_octet(size)
    length = max(0, min(0xFF, length + draw(st.sampled_from([0, 0, 0, 0, 0, -1, 1]))))
    flags = draw(st.one_of(_flags(Flag.F | Flag.L | Flag.I | Flag.W | Flag.R | Flag.H), _flags(ALL_FLAGS)))
    word = int(flags) | draw(st.integers(0, MAX_PRIORITY))
    cls = draw(st.sampled_from([CLS_FLOW, CLS_FLOW, CLS_FLOW, 0, 2, 15]))
    header = bytes(
        [
            profile.option_type,
            length,
            word >> 8,
            word & 0xFF,
            draw(st.integers(0, 0xFF)),
            draw(st.integers(0, 0xFF)),
            draw(st.integers(0, 0xFF)),
            (draw(st.integers(0, 0xF)) << 4) | cls,
        ]
    )
    octet = st.one_of(st.just(0), st.just(0), st.integers(0, 0xFF))
    body = bytes(draw(st.lists(octet, min_size=size - HEADER_SIZE, max_size=size - HEADER_SIZE)))
    cut = draw(st.sampled_from([0, 0, 0, 0, 0, -1, 1]))
    data = header + body
    if cut < 0:
        data = data[:cut]
    elif cut > 0:
        data += draw(st.binary(min_size=1, max_size=2))
    return data


# --- malformed input --------------------------------------------------------------


def _frame(profile: Profile, header: bytes, body: bytes) -> bytes:
    """``header`` (8 octets) and ``body`` as one option, with the Len that frames them."""
    size = HEADER_SIZE + len(body)
    assert size % profile.granule == 0 and size <= profile.max_size, size
    return bytes([header[0], profile.length_octet(size)]) + header[2:HEADER_SIZE] + body


@_cached
@st.composite
def _truncated(draw: DrawFn, profile: Profile) -> tuple[bytes, int]:
    data = draw(encodings(profile))
    cut = draw(st.integers(0, len(data) - 1))
    return data[:cut], cut


@_cached
@st.composite
def _wrong_type(draw: DrawFn, profile: Profile) -> tuple[bytes, int]:
    other = draw(st.integers(0, 0xFF).filter(lambda t: t != profile.option_type))
    rest = draw(st.one_of(encodings(profile).map(lambda b: b[1:]), st.binary()))
    return bytes([other]) + rest, 0


@_cached
@st.composite
def _bad_length(
    draw: DrawFn, profile: Profile, hows: tuple[str, ...] = ("short-option-len", "flags-exceed-length")
) -> tuple[bytes, int]:
    if draw(st.sampled_from(hows)) == "short-option-len":
        # Option Len gives fewer octets than the header (Len 0 / Len 0..5).
        small = [n for n in range(0x100) if profile.option_size(n) < HEADER_SIZE]
        rest = draw(st.binary(max_size=40))
        return bytes([profile.option_type, draw(st.sampled_from(small))]) + rest, 1
    # The flags announce more fields than Option Len leaves room for.
    g = profile.granule
    announced = draw(
        _flags(FIELD_FLAGS).filter(lambda f: fields_size(int(f)) > g),
    )
    need = fields_size(int(announced))
    header_only = draw(header_only_options().filter(lambda o: o.cls == CLS_FLOW))
    header = encode(header_only.replace(flags=announced | (header_only.flags & (Flag.R | Flag.H))), profile)
    body_size = g * draw(st.integers(1, (need - 1) // g))
    body = draw(st.binary(min_size=body_size, max_size=body_size))
    return _frame(profile, header, body) + draw(st.binary(max_size=4)), 1


@_cached
@st.composite
def _bad_value(draw: DrawFn, profile: Profile) -> tuple[bytes, int]:
    option = draw(_flow_options(profile, need_address=True))
    data = bytearray(encode(option, profile))
    at = HEADER_SIZE + _PREFIX_IN_ADDRESS
    spots = []
    if option.source is not None:
        spots.append(at)
        at += _FIELD_SIZE["source"]
    if option.destination is not None:
        spots.append(at)
    bad = draw(st.lists(st.sampled_from(spots), min_size=1, unique=True))
    for spot in bad:
        data[spot] = draw(st.integers(MAX_PREFIX + 1, 0xFF))
    # Later faults (sub-options) must not matter: the prefix is checked first.
    return bytes(data), min(bad)


def _sub_option_bytes(sub: SubOption, width: int) -> bytes:
    if isinstance(sub, BIDSubOption):
        data = b"".join(b.to_bytes(width, "big") for b in sub.bids)
    else:
        data = sub.data
    return bytes([sub.type, _SUB_HDR + len(data)]) + data


#: The sub-option faults :func:`_bad_sub_option` can make, by their :data:`FAULTS` names.
_SUB_OPTION_FAULTS: Final = {
    "zero-length-sub-option": "short",
    "sub-option-overrun": "overrun",
    "sub-option-without-len": "no-len",
    "bid-data-not-whole": "bid-width",
}


@_cached
@st.composite
def _bad_sub_option(
    draw: DrawFn, profile: Profile, hows: tuple[str, ...] = tuple(_SUB_OPTION_FAULTS.values())
) -> tuple[bytes, int]:
    base = draw(_flow_options(profile, canonical=draw(st.booleans()), subs=False))
    base = base.replace(padding=0)
    if base.header_only:
        base = base.replace(flags=base.flags & ~FIELD_FLAGS)
    encoded = encode(base, profile)
    fields_end = HEADER_SIZE + fields_size(int(base.flags))
    header, fields = encoded[:HEADER_SIZE], encoded[HEADER_SIZE:fields_end]
    g = profile.granule
    width = profile.bid_width
    area = bytearray()
    for _ in range(draw(st.integers(0, 2))):
        area += bytes(draw(st.integers(0, 2)))
        area += _sub_option_bytes(draw(sub_options(profile, max_size=24)), width)
    area += bytes(draw(st.integers(0, 2)))

    def at() -> int:
        return fields_end + len(area)

    how = draw(st.sampled_from(hows))
    if how == "bid-width" and width == 1:
        how = "short"
    sub_type = draw(st.integers(1, 0xFF))
    if how == "no-len":
        # A type octet as the option's very last octet.
        area += bytes((-(at() + 1)) % g)
        where = at()
        area.append(sub_type)
        return _frame(profile, header, fields + bytes(area)) + draw(st.binary(max_size=4)), where
    where = at()
    # Fill up to the unit, with at least a few octets after the Type and Len.
    filler_size = draw(st.integers(1 if how == "bid-width" else 0, 12))
    filler_size += (-(where + _SUB_HDR + filler_size)) % g
    filler = draw(st.binary(min_size=filler_size, max_size=filler_size))
    if how == "short":
        sub_len = draw(st.integers(0, _SUB_HDR - 1))
    elif how == "overrun":
        sub_len = draw(st.integers(_SUB_HDR + filler_size + 1, 0xFF))
    else:
        sub_type = int(SubOptionType.BID)
        sub_len = draw(
            st.integers(_SUB_HDR, _SUB_HDR + filler_size).filter(lambda n: (n - _SUB_HDR) % width != 0)
        )
    area += bytes([sub_type, sub_len]) + filler
    return _frame(profile, header, fields + bytes(area)) + draw(st.binary(max_size=4)), where


@_cached
@st.composite
def _trailing(draw: DrawFn, profile: Profile) -> tuple[bytes, int]:
    data = draw(encodings(profile))
    return data + draw(st.binary(min_size=1, max_size=16)), len(data)


_MALFORMED: Final = {
    "truncated": _truncated,
    "type": _wrong_type,
    "length": _bad_length,
    "value": _bad_value,
    "sub-option": _bad_sub_option,
    "trailing": _trailing,
}
assert set(_MALFORMED) == set(get_args(DecodeErrorKind))


@_cached
def malformed_cases(kind: MalformedKind, profile: Profile = DRAFT_02) -> SearchStrategy[tuple[bytes, int]]:
    """``(data, offset)``: bytes decode refuses with ``kind`` at ``offset``.

    The offset is the one interpretation §6 names for the kind: the buffer's
    length for ``truncated``, 0 for ``type``, 1 for ``length``, the first bad
    prefix octet for ``value``, the bad sub-option's Type octet for
    ``sub-option`` and the first extra octet for ``trailing``.  Each input has
    exactly that first fault (it may have later ones: a bad prefix may be
    followed by bad sub-options).
    """
    try:
        make = _MALFORMED[kind]
    except KeyError:
        raise ValueError(f"kind must be one of {sorted(_MALFORMED)}, not {kind!r}") from None
    return make(profile)


@_cached
def malformed(kind: MalformedKind, profile: Profile = DRAFT_02) -> SearchStrategy[bytes]:
    """Bytes that ``flowbind.decode(data, profile)`` refuses with a ``DecodeError`` of ``kind``.

    ``kind`` is ``"truncated"`` (the buffer ends before the option),
    ``"type"`` (not the profile's option type), ``"length"`` (Option Len below
    8 octets, or fewer octets than the flags announce), ``"value"`` (a prefix
    above 128), ``"sub-option"`` (Len below 2, an overrun, a Type with no Len,
    BID data not a multiple of the BID width) or ``"trailing"`` (octets after
    the option).  See :func:`malformed_cases` for the offsets.
    """
    return malformed_cases(kind, profile).map(lambda case: case[0])


#: A finer name for each fault :func:`malformed` can make, and the
#: :class:`~flowbind.DecodeError` kind decode refuses it with.
Fault = Literal[
    "truncated",
    "wrong-type",
    "short-option-len",
    "flags-exceed-length",
    "prefix-over-128",
    "zero-length-sub-option",
    "sub-option-overrun",
    "sub-option-without-len",
    "bid-data-not-whole",
    "trailing",
]

#: The :class:`~flowbind.DecodeError` kind of each :data:`Fault`.
FAULTS: Final[Mapping[Fault, DecodeErrorKind]] = {
    "truncated": "truncated",
    "wrong-type": "type",
    "short-option-len": "length",
    "flags-exceed-length": "length",
    "prefix-over-128": "value",
    "zero-length-sub-option": "sub-option",
    "sub-option-overrun": "sub-option",
    "sub-option-without-len": "sub-option",
    "bid-data-not-whole": "sub-option",
    "trailing": "trailing",
}
assert set(FAULTS) == set(get_args(Fault))


@_cached
def fault_cases(fault: Fault, profile: Profile = DRAFT_02) -> SearchStrategy[tuple[bytes, int]]:
    """``(data, offset)``: bytes with exactly the first fault ``fault``, and its offset.

    Decode refuses ``data`` with the kind ``FAULTS[fault]`` at ``offset``:

    * ``truncated``: a valid encoding cut short (offset: the buffer's length);
    * ``wrong-type``: octet 0 is not the profile's option type (offset 0);
    * ``short-option-len``: Option Len gives fewer than 8 octets (offset 1);
    * ``flags-exceed-length``: the flags announce more fields than Option Len
      leaves room for (offset 1);
    * ``prefix-over-128``: a source or destination prefix above 128 (the
      first such prefix octet);
    * ``zero-length-sub-option``: a sub-option Len of 0 or 1, below its own
      Type and Len (the sub-option's Type octet);
    * ``sub-option-overrun``: a sub-option Len that runs past the option's
      end (the Type octet);
    * ``sub-option-without-len``: a sub-option Type as the option's last
      octet (the Type octet);
    * ``bid-data-not-whole``: BID data that is not a multiple of the BID width
      (the Type octet); only a profile with 2-octet BIDs can have it, for
      another this raises ``ValueError``;
    * ``trailing``: octets after a valid option (the first extra octet).

    >>> import flowbind
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20, deadline=None)
    ... @given(fault_cases("sub-option-overrun"))
    ... def test(case):
    ...     data, offset = case
    ...     try:
    ...         flowbind.decode(data)
    ...     except flowbind.DecodeError as exc:
    ...         assert (exc.kind, exc.offset) == ("sub-option", offset)
    ...     else:
    ...         raise AssertionError("accepted")
    >>> test()
    """
    if fault not in FAULTS:
        raise ValueError(f"fault must be one of {sorted(FAULTS)}, not {fault!r}")
    if fault == "bid-data-not-whole" and profile.bid_width == 1:
        raise ValueError("with 1-octet BIDs every BID data size is whole: pick a profile with bid_width=2")
    if fault in ("short-option-len", "flags-exceed-length"):
        return _bad_length(profile, (fault,))
    if fault in _SUB_OPTION_FAULTS:
        return _bad_sub_option(profile, (_SUB_OPTION_FAULTS[fault],))
    return malformed_cases(FAULTS[fault], profile)


@_cached
def faulty(fault: Fault, profile: Profile = DRAFT_02) -> SearchStrategy[bytes]:
    """Bytes with exactly the first fault ``fault`` (see :func:`fault_cases`)."""
    return fault_cases(fault, profile).map(lambda case: case[0])


# --- Mobility Header messages -------------------------------------------------------

#: Mobility option types that :mod:`flowbind.mobility` has a class for.
_NAMED_MOBILITY_TYPES: Final = frozenset({0, 1, 2, 3, 35})
#: The octets Header Len frames (8 + 255 * 8), less the Binding Update's fixed part.
_OPTIONS_ROOM: Final = MAX_MESSAGE - OPTIONS_START


@_cached
def _other_mobility_options(profile: Profile) -> SearchStrategy[MobilityOption]:
    """Mobility options other than Flow Identification and padding, that ``profile`` does not clash with."""
    ours = profile.option_type
    choices: list[SearchStrategy[MobilityOption]] = []
    if ours != 2:
        choices.append(st.builds(BindingRefreshAdvice, st.integers(0, 0xFFFF)))
    if ours != 3:
        choices.append(st.builds(AlternateCareOfAddress, st.ip_addresses(v=6)))
    if ours != 35:
        choices.append(
            st.builds(
                BindingIdentifier,
                bid=st.integers(0, 0xFFFF),
                status=st.integers(0, 0xFF),
                h=st.booleans(),
                reserved=st.one_of(st.just(0), st.integers(0, 0x7F)),
                care_of_address=st.one_of(st.none(), st.ip_addresses(v=4), st.ip_addresses(v=6)),
            )
        )
    unknown = st.integers(0, 0xFF).filter(lambda t: t not in _NAMED_MOBILITY_TYPES and t != ours)
    choices.append(st.builds(UnknownMobilityOption, unknown, st.binary(max_size=40)))
    return st.one_of(choices)


@_cached
def _padding_options(profile: Profile) -> SearchStrategy[MobilityOption]:
    """Pad1 and PadN (PadN data as a peer may send it: not always zero)."""
    choices: list[SearchStrategy[MobilityOption]] = []
    if profile.option_type != 0:
        choices.append(st.just(Pad1()))
    if profile.option_type != 1:
        choices.append(st.builds(PadN, st.one_of(st.integers(0, 6).map(bytes), st.binary(max_size=12))))
    return st.one_of(choices) if choices else st.nothing()


@_cached
def mobility_options(
    profile: Profile = DRAFT_02, *, padding: bool = False, ack_copies: bool = False
) -> SearchStrategy[MobilityOption]:
    """One mobility option that ``profile`` can write in a message.

    Flow Identification options (:func:`options`; with ``ack_copies``, the
    header-only ones, as a Binding Acknowledgement carries), Binding Refresh
    Advice, Alternate Care-of Address, Binding Identifier and unknown
    options, none of a type that collides with ``profile.option_type``;
    with ``padding``, Pad1 and PadN too.
    """
    flow = header_only_options() if ack_copies else options(profile)
    choices = [flow, flow, _other_mobility_options(profile)]
    if padding and profile.option_type not in (0, 1):
        choices.append(_padding_options(profile))
    return st.one_of(choices)


def _wire_size(option: MobilityOption, profile: Profile) -> int:
    if isinstance(option, FlowIdentification):
        return encoded_size(option, profile)
    return option.size


@_cached
@st.composite
def _option_list(
    draw: DrawFn, profile: Profile, padding: bool, ack_copies: bool, room: int, max_options: int
) -> tuple[MobilityOption, ...]:
    """Options that fit ``room`` octets, keeping 15 spare per option for alignment."""
    each = mobility_options(profile, padding=padding, ack_copies=ack_copies)
    drawn = draw(st.lists(each, max_size=max_options))
    out: list[MobilityOption] = []
    used = 0
    for option in drawn:
        size = _wire_size(option, profile) + (0 if padding else 15)
        if used + size > room:
            continue
        used += size
        out.append(option)
    return tuple(out)


@_cached
def binding_updates(profile: Profile = DRAFT_02, *, max_options: int = 6) -> SearchStrategy[BindingUpdate]:
    """Binding Updates that :func:`~flowbind.mobility.build_message` can send under ``profile``.

    Any sequence, flags, reserved bits and lifetime; up to ``max_options``
    mobility options (mostly Flow Identification options), with no padding:
    ``build_message`` places it.
    """
    return st.builds(
        BindingUpdate,
        sequence=st.integers(0, 0xFFFF),
        flags=_bu_flags(),
        reserved=st.one_of(st.just(0), st.integers(0, 0x7FF)),
        lifetime=st.integers(0, 0xFFFF),
        options=_option_list(profile, False, False, _OPTIONS_ROOM - 8, max_options),
    )


@_cached
def _bu_flags() -> SearchStrategy[BUFlag]:
    return st.sets(st.sampled_from(list(BUFlag))).map(lambda s: BUFlag(sum(int(f) for f in s)))


@_cached
def binding_acknowledgements(
    profile: Profile = DRAFT_02, *, max_options: int = 6
) -> SearchStrategy[BindingAcknowledgement]:
    """Binding Acknowledgements that ``build_message`` can send under ``profile``.

    Their Flow Identification options are 8-octet copies (header-only
    options, any Status), as §3.8 has a home agent answer; the other options
    are as in :func:`binding_updates`.  See :func:`acknowledged_updates` for
    an acknowledgement that answers a given update.
    """
    return st.builds(
        BindingAcknowledgement,
        status=st.integers(0, 0xFF),
        flags=st.sampled_from([BAFlag(0), BAFlag.K]),
        reserved=st.one_of(st.just(0), st.integers(0, 0x7F)),
        sequence=st.integers(0, 0xFFFF),
        lifetime=st.integers(0, 0xFFFF),
        options=_option_list(profile, False, True, _OPTIONS_ROOM - 8, max_options),
    )


@_cached
@st.composite
def acknowledged_updates(
    draw: DrawFn, profile: Profile = DRAFT_02
) -> tuple[BindingUpdate, BindingAcknowledgement]:
    """A Binding Update and the acknowledgement :func:`~flowbind.mobility.acknowledge` makes for it.

    Each Flow Identification option is answered with a drawn Status; the
    mobile node's :func:`~flowbind.mobility.check_acknowledgement` finds the
    pair complete.
    """
    bu = draw(binding_updates(profile))
    statuses = draw(
        st.lists(st.integers(0, 0xFF), min_size=len(bu.flow_options), max_size=len(bu.flow_options))
    )
    return bu, acknowledge(bu, statuses, profile)


@_cached
@st.composite
def mobility_headers(
    draw: DrawFn, profile: Profile = DRAFT_02, *, built: bool | None = None
) -> MobilityHeader:
    """Whole Mobility Header messages that ``encode_message(mh, profile)`` writes and decode reads back.

    Binding Updates, Binding Acknowledgements and (rarely) other MH Types.
    ``built=True`` gives what :func:`~flowbind.mobility.build_message` makes
    (aligned, padded, the checksum right for the 2001:db8::1 -> 2001:db8::2
    pseudo-header); ``built=False`` an options list as a peer may send it,
    Pad1 and PadN anywhere, with any checksum and reserved octet;
    ``None`` (the default) either.
    """
    if profile.option_type in (0, 1):
        built = False  # build_message pads with Pad1 and PadN, which such a profile cannot write
    elif built is None:
        built = draw(st.booleans())
    kind = draw(st.sampled_from(["bu", "bu", "ba", "other"]))
    if kind == "other":
        mh_type = draw(st.integers(0, 0xFF).filter(lambda t: t not in (5, 6)))
        size = 8 * draw(st.integers(1, 8))
        message: Message = OtherMessage(mh_type, draw(st.binary(min_size=size - 6, max_size=size - 6)))
    else:
        # The options of a message that is not built are drawn below, with padding.
        most = 6 if built else 0
        if kind == "bu":
            message = draw(binding_updates(profile, max_options=most))
        else:
            message = draw(binding_acknowledgements(profile, max_options=most))
    if built:
        return build_message(
            message,
            profile,
            source="2001:db8::1",
            destination="2001:db8::2",
            payload_proto=draw(st.sampled_from([59, 59, 0, 6, 255])),
        )
    if not isinstance(message, OtherMessage):
        ack = isinstance(message, BindingAcknowledgement)
        opts = list(draw(_option_list(profile, True, ack, _OPTIONS_ROOM - 16, 8)))
        size = OPTIONS_START + sum(_wire_size(o, profile) for o in opts)
        fill = -size % 8
        if fill and profile.option_type in (0, 1):
            # No Pad1/PadN to fill with: an unknown option of the right size does.
            fill += 8 if fill < 2 else 0
            opts.append(UnknownMobilityOption(_unknown_type(profile), bytes(fill - 2)))
        elif fill == 1:
            opts.append(Pad1())
        elif fill:
            opts.append(PadN(bytes(fill - 2)))
        message = message.replace(options=tuple(opts))
    return MobilityHeader(
        message,
        payload_proto=draw(st.integers(0, 0xFF)),
        reserved=draw(st.one_of(st.just(0), st.integers(0, 0xFF))),
        checksum=draw(st.integers(0, 0xFFFF)),
    )


def _unknown_type(profile: Profile) -> int:
    return next(t for t in range(6, 256) if t not in _NAMED_MOBILITY_TYPES and t != profile.option_type)


@_cached
def message_encodings(profile: Profile = DRAFT_02, *, built: bool | None = None) -> SearchStrategy[bytes]:
    """Wire forms of :func:`mobility_headers`: bytes ``decode_message(data, profile)`` accepts."""
    return mobility_headers(profile, built=built).map(lambda mh: encode_message(mh, profile))


# --- registration with hypothesis -------------------------------------------------


def _register_types() -> None:
    st.register_type_strategy(FlowIdentification, options())
    st.register_type_strategy(AddressPrefix, address_prefixes())
    st.register_type_strategy(PortRange, port_ranges())
    st.register_type_strategy(BIDSubOption, bid_sub_options())
    st.register_type_strategy(UnknownSubOption, unknown_sub_options())
    st.register_type_strategy(Profile, profiles())
    st.register_type_strategy(BindingUpdate, binding_updates())
    st.register_type_strategy(BindingAcknowledgement, binding_acknowledgements())
    st.register_type_strategy(MobilityHeader, mobility_headers())


_ready = True
if _hook_called:
    _register_types()
