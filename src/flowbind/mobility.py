"""Mobility Header messages: Binding Update, Binding Acknowledgement, options.

The Flow Identification option travels in the mobility options list of a
Mobile IPv6 Binding Update (RFC 6275 §6.1.7), and its 8-octet copies in the
Binding Acknowledgement that answers it (§6.1.8, the draft's §3.8 and §7.2).
This module reads and writes those messages exactly:

* :func:`decode_message` / :func:`encode_message`: one whole Mobility Header
  message, octet for octet (``encode_message(decode_message(b)) == b`` for
  every ``b`` that decode accepts), with every mobility option kept in order,
  Pad1 and PadN included;
* :func:`build_message`: the sender's side, which places Pad1/PadN so that
  each option meets its alignment, pads the message to a multiple of 8
  octets and computes the checksum over the IPv6 pseudo-header;
* :func:`acknowledge` and :func:`check_acknowledgement`: the home agent's
  8-octet copies (honouring :attr:`Profile.ack_copy
  <flowbind.profile.Profile.ack_copy>`) and the mobile node's check that
  every option sent was answered (§5.1.4).

>>> from flowbind import FlowIdentification, PortRange, DRAFT_02_OCTETS
>>> bu = BindingUpdate(sequence=7, flags=BUFlag.A | BUFlag.H, lifetime=100, options=(
...     FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22)),))
>>> mh = build_message(bu, DRAFT_02_OCTETS, source="2001:db8::1", destination="2001:db8::2")
>>> wire = encode_message(mh, DRAFT_02_OCTETS)
>>> len(wire), wire[:8].hex()
(32, '3b0305006e370007')
>>> back = decode_message(wire, DRAFT_02_OCTETS, source="2001:db8::1", destination="2001:db8::2")
>>> back == mh, back.findings
(True, ())
>>> [type(o).__name__ for o in back.message.options], back.option_offsets
(['PadN', 'FlowIdentification', 'PadN'], (12, 16, 28))

Layouts are declared in :mod:`flowbind.schema_mobility`; the ``struct``
formats used here are derived from them when flowbind is imported.
"""

from __future__ import annotations

import dataclasses
import enum
import ipaddress
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .codec import _decode_at, encode, encoded_size
from .enums import Status, is_success
from .errors import DecodeError, DecodeErrorKind, EncodeError, ModelError
from .model import FlowIdentification, _as_octets, _int
from .profile import DRAFT_02, HEADER_SIZE, AckCopy, Profile
from .schema_mobility import (
    ALTERNATE_COA_LAYOUT,
    BINDING_ACK_LAYOUT,
    BINDING_IDENTIFIER_LAYOUT,
    BINDING_REFRESH_ADVICE_LAYOUT,
    BINDING_UPDATE_LAYOUT,
    MH_HEADER_LAYOUT,
)

__all__ = [
    "ALIGNMENT",
    "FLOW_IDENTIFICATION_ALIGNMENT",
    "AckAnswer",
    "AckCheck",
    "AlternateCareOfAddress",
    "BAFlag",
    "BUFlag",
    "BindingAcknowledgement",
    "BindingIdentifier",
    "BindingRefreshAdvice",
    "BindingUpdate",
    "MHType",
    "Message",
    "MessageDecodeError",
    "MessageFinding",
    "MobilityHeader",
    "MobilityOption",
    "MobilityOptionType",
    "OtherMessage",
    "Pad1",
    "PadN",
    "UnknownMobilityOption",
    "acknowledge",
    "build_message",
    "check_acknowledgement",
    "decode_message",
    "encode_message",
    "mh_checksum",
]

#: The Next Header value of the Mobility Header (RFC 6275 §6.1.1).
IPPROTO_MH: Final = 135
#: IPv6 "No Next Header": the payload proto a Mobility Header should carry.
IPPROTO_NONE: Final = 59
#: The 6 octets of the header every message starts with.
MH_HEADER_SIZE: Final = MH_HEADER_LAYOUT.fmt.size
#: Where the options of a Binding Update or Acknowledgement start.
OPTIONS_START: Final = MH_HEADER_SIZE + BINDING_UPDATE_LAYOUT.fmt.size
#: Header Len frames at most 8 + 255 * 8 octets.
MAX_MESSAGE: Final = 8 + 255 * 8

assert BINDING_ACK_LAYOUT.fmt.size == BINDING_UPDATE_LAYOUT.fmt.size


class MHType(enum.IntEnum):
    """MH Type (RFC 6275 §6.1.2-§6.1.9)."""

    BINDING_REFRESH_REQUEST = 0
    HOME_TEST_INIT = 1
    CARE_OF_TEST_INIT = 2
    HOME_TEST = 3
    CARE_OF_TEST = 4
    BINDING_UPDATE = 5
    BINDING_ACKNOWLEDGEMENT = 6
    BINDING_ERROR = 7

    def __str__(self) -> str:
        return self.name


class MobilityOptionType(enum.IntEnum):
    """Mobility option types flowbind names (RFC 6275 §6.2, RFC 5648 §6.1)."""

    PAD1 = 0
    PADN = 1
    BINDING_REFRESH_ADVICE = 2
    ALTERNATE_COA = 3
    NONCE_INDICES = 4
    BINDING_AUTHORIZATION_DATA = 5
    BINDING_IDENTIFIER = 35

    def __str__(self) -> str:
        return self.name


class BUFlag(enum.IntFlag):
    """Flags of a Binding Update, as bits of its 16-bit flags word."""

    A = 0x8000  #: Acknowledge (RFC 6275)
    H = 0x4000  #: Home Registration (RFC 6275)
    L = 0x2000  #: Link-Local Address Compatibility (RFC 6275)
    K = 0x1000  #: Key Management Mobility Capability (RFC 6275)
    M = 0x0800  #: MAP Registration (RFC 5380)

    @property
    def letters(self) -> str:
        return "".join(f.name or "" for f in BUFlag if f in self)


class BAFlag(enum.IntFlag):
    """Flags of a Binding Acknowledgement, as bits of its flags octet."""

    K = 0x80  #: Key Management Mobility Capability (RFC 6275)

    @property
    def letters(self) -> str:
        return "K" if self & BAFlag.K else ""


_BU_FLAGS: Final = int(BUFlag.A | BUFlag.H | BUFlag.L | BUFlag.K | BUFlag.M)
_BU_RESERVED: Final = BINDING_UPDATE_LAYOUT.bits["reserved"][2]
_BA_FLAGS: Final = int(BAFlag.K)
_BA_RESERVED: Final = BINDING_ACK_LAYOUT.bits["reserved"][2]
_BID_H: Final = BINDING_IDENTIFIER_LAYOUT.mask("H")
_BID_RESERVED: Final = BINDING_IDENTIFIER_LAYOUT.bits["reserved"][2]
assert BINDING_UPDATE_LAYOUT.mask("A") == BUFlag.A and BINDING_UPDATE_LAYOUT.mask("M") == BUFlag.M
assert BINDING_ACK_LAYOUT.mask("K") == BAFlag.K

_set = object.__setattr__
_new = object.__new__


# --- errors and findings -------------------------------------------------------


class MessageDecodeError(DecodeError):
    """A :class:`~flowbind.errors.DecodeError` in a Mobility Header message.

    ``offset`` counts from the start of the message, by the rules of
    interpretation §6 for faults inside a Flow Identification option, and as
    said in ``docs/messages.md`` for the message's own framing.

    :ivar option_offset: the octet where the mobility option at fault starts
        (its Type octet), or None for a fault in the message's own header.
    :ivar option_type: that option's Type octet, or None.
    """

    option_offset: int | None
    option_type: int | None

    def __init__(
        self,
        kind: DecodeErrorKind,
        offset: int,
        reason: str,
        option_offset: int | None = None,
        option_type: int | None = None,
    ) -> None:
        super().__init__(kind, offset, reason)
        self.option_offset = option_offset
        self.option_type = option_type

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.kind, self.offset, self.reason, self.option_offset, self.option_type),
        )


@dataclass(frozen=True)
class MessageFinding:
    """Something wrong with a message that decoded: reported, not raised.

    ``kind`` is ``"checksum"`` (the only kind so far): ``offset`` is the
    checksum field's octet (4), ``expected`` the checksum the pseudo-header
    and message give, ``received`` the one in the message.
    """

    kind: Literal["checksum"]
    offset: int
    message: str
    expected: int
    received: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# --- mobility options ------------------------------------------------------------

AddressInput = ipaddress.IPv6Address | ipaddress.IPv4Address | str | bytes | int


def _ipv6(owner: str, name: str, value: object) -> ipaddress.IPv6Address:
    if isinstance(value, ipaddress.IPv6Address):
        return value
    try:
        return ipaddress.IPv6Address(value)
    except (ValueError, TypeError) as exc:
        raise ModelError(name, f"{owner}.{name} must be an IPv6 address, not {value!r}") from exc


def _bytes(owner: str, name: str, value: object, top: int) -> bytes:
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise ModelError(name, f"{owner}.{name} must be bytes, not {value!r}")
    data = bytes(value)
    if len(data) > top:
        raise ModelError(name, f"{owner}.{name} holds {len(data)} octets; a one-octet Length frames {top}")
    return data


@dataclass(frozen=True)
class Pad1:
    """One octet of padding (RFC 6275 §6.2.2): the lone octet 0."""

    @property
    def size(self) -> int:
        return 1

    def to_dict(self) -> dict[str, Any]:
        return {"type": 0, "name": "Pad1"}


@dataclass(frozen=True)
class PadN:
    """Two or more octets of padding (RFC 6275 §6.2.3).

    ``data`` is what follows Type and Length: zero octets when sent, kept as
    received.  :meth:`of` makes the PadN that pads ``n`` octets.
    """

    data: bytes = b""

    def __post_init__(self) -> None:
        _set(self, "data", _bytes("PadN", "data", self.data, 255))

    @classmethod
    def of(cls, octets: int) -> PadN:
        """The PadN of ``octets`` octets in all (2..257), its data zero."""
        if not 2 <= octets <= 257:
            raise ModelError("octets", f"a PadN pads 2..257 octets, not {octets}")
        return cls(bytes(octets - 2))

    @property
    def size(self) -> int:
        return len(self.data) + 2

    def to_dict(self) -> dict[str, Any]:
        return {"type": 1, "name": "PadN", "data": self.data.hex()}


@dataclass(frozen=True)
class BindingRefreshAdvice:
    """Binding Refresh Advice (RFC 6275 §6.2.4): the interval in 4-second units."""

    interval: int

    def __post_init__(self) -> None:
        _int("BindingRefreshAdvice", "interval", self.interval, 0xFFFF)

    @property
    def size(self) -> int:
        return 4

    def to_dict(self) -> dict[str, Any]:
        return {"type": 2, "name": "BindingRefreshAdvice", "interval": self.interval}


@dataclass(frozen=True)
class AlternateCareOfAddress:
    """Alternate Care-of Address (RFC 6275 §6.2.5)."""

    address: ipaddress.IPv6Address

    def __post_init__(self) -> None:
        _set(self, "address", _ipv6("AlternateCareOfAddress", "address", self.address))

    @property
    def size(self) -> int:
        return 18

    def to_dict(self) -> dict[str, Any]:
        return {"type": 3, "name": "AlternateCareOfAddress", "address": str(self.address)}


@dataclass(frozen=True)
class BindingIdentifier:
    """Binding Identifier (RFC 5648 §6.1, type 35).

    ``reserved`` holds the 7 bits after H (reserved in RFC 5648; RFC 6089
    calls them BID-PRI), kept as received.  ``care_of_address`` is an IPv4 or
    IPv6 address, or None (Length 8, 20 or 4).
    """

    bid: int
    status: int = 0
    h: bool = False
    reserved: int = 0
    care_of_address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = None

    def __post_init__(self) -> None:
        own = "BindingIdentifier"
        _int(own, "bid", self.bid, 0xFFFF)
        _int(own, "status", self.status, 0xFF)
        if not isinstance(self.h, bool):
            raise ModelError("h", f"{own}.h must be a bool, not {self.h!r}")
        _int(own, "reserved", self.reserved, _BID_RESERVED)
        coa = self.care_of_address
        if coa is not None and not isinstance(coa, (ipaddress.IPv4Address, ipaddress.IPv6Address)):
            try:
                coa = ipaddress.ip_address(coa)
            except ValueError as exc:
                raise ModelError("care_of_address", f"{own}.care_of_address: {exc}") from exc
            _set(self, "care_of_address", coa)

    @property
    def size(self) -> int:
        coa = self.care_of_address
        return 6 + (0 if coa is None else len(coa.packed))

    def to_dict(self) -> dict[str, Any]:
        coa = self.care_of_address
        return {
            "type": 35,
            "name": "BindingIdentifier",
            "bid": self.bid,
            "status": self.status,
            "h": self.h,
            "reserved": self.reserved,
            "care_of_address": None if coa is None else str(coa),
        }


#: Types that have a class of their own here (an unknown option may not use them).
_NAMED_TYPES: Final = frozenset({0, 1, 2, 3, 35})


@dataclass(frozen=True)
class UnknownMobilityOption:
    """Any other mobility option, kept as its Type and the octets after Length."""

    type: int
    data: bytes = b""

    def __post_init__(self) -> None:
        _int("UnknownMobilityOption", "type", self.type, 0xFF)
        if self.type in _NAMED_TYPES:
            name = MobilityOptionType(self.type).name
            raise ModelError("type", f"type {self.type} is {name}: use its own class")
        _set(self, "data", _bytes("UnknownMobilityOption", "data", self.data, 255))

    @property
    def size(self) -> int:
        return len(self.data) + 2

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "name": "Unknown", "data": self.data.hex()}


MobilityOption = (
    Pad1
    | PadN
    | BindingRefreshAdvice
    | AlternateCareOfAddress
    | BindingIdentifier
    | UnknownMobilityOption
    | FlowIdentification
)
_OPTION_CLASSES: Final = (
    Pad1,
    PadN,
    BindingRefreshAdvice,
    AlternateCareOfAddress,
    BindingIdentifier,
    UnknownMobilityOption,
    FlowIdentification,
)


def _options(owner: str, value: object) -> tuple[MobilityOption, ...]:
    if isinstance(value, _OPTION_CLASSES) or not isinstance(value, Iterable):
        raise ModelError("options", f"{owner}.options must be a sequence of mobility options")
    opts = tuple(value)
    for i, o in enumerate(opts):
        if not isinstance(o, _OPTION_CLASSES):
            raise ModelError(f"options[{i}]", f"not a mobility option: {o!r}")
    return opts


# --- messages --------------------------------------------------------------------


@dataclass(frozen=True)
class BindingUpdate:
    """A Binding Update's message data (RFC 6275 §6.1.7).

    ``lifetime`` counts 4-second units.  ``reserved`` holds the 11 bits after
    the flags A H L K M (RFC 3963's R and RFC 5213's P fall there), kept as
    received.  ``options`` is the whole mobility options list, in order.
    """

    sequence: int = 0
    flags: BUFlag = BUFlag(0)  # noqa: RUF009 - an immutable IntFlag
    reserved: int = 0
    lifetime: int = 0
    options: tuple[MobilityOption, ...] = ()

    MH_TYPE = MHType.BINDING_UPDATE

    def __post_init__(self) -> None:
        own = "BindingUpdate"
        _int(own, "sequence", self.sequence, 0xFFFF)
        flags = _int(own, "flags", self.flags, 0xFFFF)
        if flags & ~_BU_FLAGS:
            raise ModelError("flags", f"{own}.flags {flags:#06x} has bits outside A H L K M (see reserved)")
        _set(self, "flags", BUFlag(flags))
        _int(own, "reserved", self.reserved, _BU_RESERVED)
        _int(own, "lifetime", self.lifetime, 0xFFFF)
        _set(self, "options", _options(own, self.options))

    @property
    def flow_options(self) -> tuple[FlowIdentification, ...]:
        """The Flow Identification options, in order."""
        return tuple(o for o in self.options if isinstance(o, FlowIdentification))

    def replace(self, **changes: Any) -> BindingUpdate:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class BindingAcknowledgement:
    """A Binding Acknowledgement's message data (RFC 6275 §6.1.8).

    ``status`` is the BA's own Status (the draft's §7.2 leaves it to RFC
    6275); the status of each flow binding is in the 8-octet copies among
    ``options``.  ``reserved`` holds the 7 bits after K.
    """

    status: int = 0
    flags: BAFlag = BAFlag(0)  # noqa: RUF009 - an immutable IntFlag
    reserved: int = 0
    sequence: int = 0
    lifetime: int = 0
    options: tuple[MobilityOption, ...] = ()

    MH_TYPE = MHType.BINDING_ACKNOWLEDGEMENT

    def __post_init__(self) -> None:
        own = "BindingAcknowledgement"
        _int(own, "status", self.status, 0xFF)
        flags = _int(own, "flags", self.flags, 0xFF)
        if flags & ~_BA_FLAGS:
            raise ModelError("flags", f"{own}.flags {flags:#04x} has bits outside K (see reserved)")
        _set(self, "flags", BAFlag(flags))
        _int(own, "reserved", self.reserved, _BA_RESERVED)
        _int(own, "sequence", self.sequence, 0xFFFF)
        _int(own, "lifetime", self.lifetime, 0xFFFF)
        _set(self, "options", _options(own, self.options))

    @property
    def flow_options(self) -> tuple[FlowIdentification, ...]:
        """The Flow Identification options (the 8-octet copies), in order."""
        return tuple(o for o in self.options if isinstance(o, FlowIdentification))

    def replace(self, **changes: Any) -> BindingAcknowledgement:
        return dataclasses.replace(self, **changes)


@dataclass(frozen=True)
class OtherMessage:
    """A message of any other MH Type, kept opaque: the octets after the checksum."""

    mh_type: int
    data: bytes = b""

    def __post_init__(self) -> None:
        _int("OtherMessage", "mh_type", self.mh_type, 0xFF)
        if self.mh_type in (MHType.BINDING_UPDATE, MHType.BINDING_ACKNOWLEDGEMENT):
            raise ModelError("mh_type", "MH Type 5 and 6 have their own classes")
        if not isinstance(self.data, (bytes, bytearray, memoryview)):
            raise ModelError("data", f"OtherMessage.data must be bytes, not {self.data!r}")
        _set(self, "data", bytes(self.data))

    @property
    def options(self) -> tuple[MobilityOption, ...]:
        return ()


Message = BindingUpdate | BindingAcknowledgement | OtherMessage


@dataclass(frozen=True)
class MobilityHeader:
    """One Mobility Header message (RFC 6275 §6.1.1) and what it carries.

    ``checksum`` is the one in the message (decode) or to be written
    (encode).  Header Len is not held: it follows from the message's size.
    ``findings`` and ``option_offsets`` are filled by :func:`decode_message`
    and :func:`build_message` and take no part in equality.
    """

    message: Message
    payload_proto: int = IPPROTO_NONE
    reserved: int = 0
    checksum: int = 0
    #: What decode found wrong without refusing the message (checksum).
    findings: tuple[MessageFinding, ...] = field(default=(), compare=False)
    #: The octet where each of ``message.options`` starts, in the message.
    option_offsets: tuple[int, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        own = "MobilityHeader"
        if not isinstance(self.message, (BindingUpdate, BindingAcknowledgement, OtherMessage)):
            raise ModelError("message", f"{own}.message must be a message, not {self.message!r}")
        _int(own, "payload_proto", self.payload_proto, 0xFF)
        _int(own, "reserved", self.reserved, 0xFF)
        _int(own, "checksum", self.checksum, 0xFFFF)
        _set(self, "findings", tuple(self.findings))
        _set(self, "option_offsets", tuple(self.option_offsets))

    @property
    def mh_type(self) -> int:
        m = self.message
        return m.mh_type if isinstance(m, OtherMessage) else int(m.MH_TYPE)

    @property
    def sequence(self) -> int | None:
        m = self.message
        return None if isinstance(m, OtherMessage) else m.sequence

    def replace(self, **changes: Any) -> MobilityHeader:
        return dataclasses.replace(self, **changes)

    def to_dict(self, profile: Profile | None = None) -> dict[str, Any]:
        """JSON-ready form: the header, the message's fields and each option's dict."""
        m = self.message
        out: dict[str, Any] = {
            "payload_proto": self.payload_proto,
            "mh_type": self.mh_type,
            "reserved": self.reserved,
            "checksum": self.checksum,
        }
        if isinstance(m, OtherMessage):
            out["data"] = m.data.hex()
        else:
            for f in dataclasses.fields(m):
                if f.name == "options":
                    continue
                value = getattr(m, f.name)
                out[f.name] = value.letters if f.name == "flags" else value
            out["options"] = [
                o.to_dict(profile) if isinstance(o, FlowIdentification) else o.to_dict() for o in m.options
            ]
        if self.findings:
            out["findings"] = [f.to_dict() for f in self.findings]
        return out


# --- the checksum ----------------------------------------------------------------


def _packed16(owner: str, value: AddressInput) -> bytes:
    if isinstance(value, bytes) and len(value) == 16:
        return value
    if isinstance(value, ipaddress.IPv4Address):
        raise ValueError(f"{owner}: the pseudo-header takes IPv6 addresses, not {value}")
    try:
        return ipaddress.IPv6Address(value).packed
    except ValueError as exc:
        raise ValueError(f"{owner}: {exc}") from None


def _ones_sum(data: bytes) -> int:
    """The 16-bit ones' complement sum of ``data`` (even length), folded.

    2**16 is 1 modulo 0xFFFF, so the big-endian integer of the octets leaves
    the sum of its 16-bit words as remainder; a non-zero input summing to a
    multiple of 0xFFFF folds to 0xFFFF (ones' complement "negative zero").
    """
    r = int.from_bytes(data, "big") % 0xFFFF
    if r == 0 and data.count(0) != len(data):
        return 0xFFFF
    return r


def _pseudo_header(source: bytes, destination: bytes, length: int) -> bytes:
    return source + destination + length.to_bytes(4, "big") + b"\0\0\0" + bytes((IPPROTO_MH,))


def mh_checksum(message: bytes, source: AddressInput, destination: AddressInput) -> int:
    """The checksum a Mobility Header message should carry (RFC 6275 §6.1.1).

    The ones' complement of the ones' complement sum of the IPv6 pseudo-header
    (RFC 8200 §8.1: source, destination, the message's length, Next Header
    135) and the message with its checksum field taken as zero.  With a Home
    Address option the source is the home address; with a type 2 routing
    header the destination is the final one (:mod:`flowbind.capture` passes
    them so).

    >>> hex(mh_checksum(bytes.fromhex("3b000100 0000 0000"), "2001:db8::1", "2001:db8::2"))
    '0x67fb'
    """
    data = bytes(message)
    if len(data) % 2:
        data += b"\0"
    body = data[:4] + b"\0\0" + data[6:] if len(data) >= 6 else data
    s = _ones_sum(
        _pseudo_header(_packed16("source", source), _packed16("destination", destination), len(message))
        + body
    )
    return ~s & 0xFFFF


def _verify(buf: bytes, source: AddressInput, destination: AddressInput) -> MessageFinding | None:
    src = _packed16("source", source)
    dst = _packed16("destination", destination)
    total = _ones_sum(_pseudo_header(src, dst, len(buf)) + buf)
    if total == 0xFFFF:
        return None
    received = (buf[4] << 8) | buf[5]
    expected = mh_checksum(buf, src, dst)
    return MessageFinding(
        "checksum",
        4,
        f"checksum {received:#06x} does not match {expected:#06x}, computed over the pseudo-header of "
        f"{ipaddress.IPv6Address(src)} -> {ipaddress.IPv6Address(dst)}",
        expected,
        received,
    )


# --- decode ----------------------------------------------------------------------

_unpack_mh = MH_HEADER_LAYOUT.fmt.unpack_from
_unpack_bu = BINDING_UPDATE_LAYOUT.fmt.unpack_from
_unpack_ba = BINDING_ACK_LAYOUT.fmt.unpack_from
_unpack_bra = BINDING_REFRESH_ADVICE_LAYOUT.fmt.unpack_from
_unpack_bid = BINDING_IDENTIFIER_LAYOUT.fmt.unpack_from
_pack_bid = BINDING_IDENTIFIER_LAYOUT.fmt.pack
_pack_bu = BINDING_UPDATE_LAYOUT.fmt.pack
_pack_ba = BINDING_ACK_LAYOUT.fmt.pack
_ACOA_SIZE: Final = ALTERNATE_COA_LAYOUT.fmt.size
_BID_FIXED: Final = BINDING_IDENTIFIER_LAYOUT.fmt.size
#: RFC 5648: Length 4 (no care-of address), 8 (IPv4), 20 (IPv6).
_BID_LENGTHS: Final = {_BID_FIXED: None, _BID_FIXED + 4: 4, _BID_FIXED + 16: 16}
_PAD1: Final = Pad1()
_IPv6 = ipaddress.IPv6Address
_BU_FLAG_CACHE: Final = {bits: BUFlag(bits) for bits in range(0, _BU_FLAGS + 1, 0x800)}
_BA_FLAG_CACHE: Final = {0: BAFlag(0), 0x80: BAFlag.K}


def _opt_error(kind: DecodeErrorKind, offset: int, reason: str, at: int, ty: int) -> MessageDecodeError:
    return MessageDecodeError(kind, offset, f"mobility option at octet {at} (type {ty}): {reason}", at, ty)


def _walk(
    buf: bytes, off: int, end: int, profile: Profile, copies: bool
) -> tuple[list[MobilityOption], list[int]]:
    """Read the options list ``buf[off:end]``; ``copies``: 8 octets per Flow Identification option."""
    opts: list[MobilityOption] = []
    offs: list[int] = []
    ours = profile.option_type
    eight = profile.length_unit.value == "8-octet"
    while off < end:
        ty = buf[off]
        offs.append(off)
        if ty == ours:
            if off + 1 >= end:
                raise _opt_error("length", off + 1, "the message ends before its Option Len octet", off, ty)
            ln = buf[off + 1]
            size = ln * 8 if eight else ln + 2
            if size < HEADER_SIZE:
                raise _opt_error(
                    "length",
                    off + 1,
                    f"Option Len {ln} gives {size} octets, fewer than the 8-octet header",
                    off,
                    ty,
                )
            if copies:
                size = HEADER_SIZE
            if off + size > end:
                raise _opt_error(
                    "length",
                    off + 1,
                    f"Option Len {ln} gives {size} octets; it runs {off + size - end} octets past the "
                    f"message's end at octet {end}",
                    off,
                    ty,
                )
            try:
                if copies:
                    head = bytearray(buf[off : off + HEADER_SIZE])
                    head[1] = profile.header_only_length
                    opt, _ = _decode_at(bytes(head), 0, profile)
                    opt.__dict__["_length"] = ln
                else:
                    opt, _ = _decode_at(buf, off, profile)
            except DecodeError as exc:
                raise MessageDecodeError(
                    exc.kind, exc.offset, f"Flow Identification option at octet {off}: {exc.reason}", off, ty
                ) from None
            opts.append(opt)
            off += size
            continue
        if ty == 0:
            opts.append(_PAD1)
            off += 1
            continue
        if off + 1 >= end:
            raise _opt_error("length", off + 1, "the message ends before its Length octet", off, ty)
        ln = buf[off + 1]
        nxt = off + 2 + ln
        if nxt > end:
            raise _opt_error(
                "length",
                off + 1,
                f"Length {ln} runs {nxt - end} octets past the message's end at octet {end}",
                off,
                ty,
            )
        o: MobilityOption
        if ty == 1:
            o = _new(PadN)
            _set(o, "data", buf[off + 2 : nxt])
        elif ty == 2:
            if ln != 2:
                raise _opt_error(
                    "length", off + 1, f"a Binding Refresh Advice has Length 2, not {ln}", off, ty
                )
            o = _new(BindingRefreshAdvice)
            _set(o, "interval", _unpack_bra(buf, off + 2)[0])
        elif ty == 3:
            if ln != _ACOA_SIZE:
                raise _opt_error(
                    "length", off + 1, f"an Alternate Care-of Address has Length 16, not {ln}", off, ty
                )
            o = _new(AlternateCareOfAddress)
            _set(o, "address", _IPv6(buf[off + 2 : nxt]))
        elif ty == 35:
            if ln not in _BID_LENGTHS:
                raise _opt_error(
                    "length", off + 1, f"a Binding Identifier has Length 4, 8 or 20, not {ln}", off, ty
                )
            bid, st, word = _unpack_bid(buf, off + 2)
            raw = buf[off + 2 + _BID_FIXED : nxt]
            coa: ipaddress.IPv4Address | ipaddress.IPv6Address | None
            coa = None if not raw else ipaddress.IPv4Address(raw) if len(raw) == 4 else _IPv6(raw)
            o = _new(BindingIdentifier)
            _set(
                o,
                "__dict__",
                {
                    "bid": bid,
                    "status": st,
                    "h": bool(word & _BID_H),
                    "reserved": word & _BID_RESERVED,
                    "care_of_address": coa,
                },
            )
        else:
            o = _new(UnknownMobilityOption)
            _set(o, "__dict__", {"type": ty, "data": buf[off + 2 : nxt]})
        opts.append(o)
        off = nxt
    return opts, offs


def decode_message(
    data: bytes | bytearray | memoryview,
    profile: Profile = DRAFT_02,
    *,
    source: AddressInput | None = None,
    destination: AddressInput | None = None,
) -> MobilityHeader:
    """Decode exactly one Mobility Header message from ``data``.

    Flow Identification options are framed by ``profile`` (its option type
    and length unit); in a Binding Acknowledgement under ``ack_copy
    'verbatim'`` each is read as its 8-octet copy.  With ``source`` and
    ``destination`` (the pseudo-header's addresses) the checksum is verified
    and a mismatch is a finding in ``findings``, not an error.

    Raises :class:`MessageDecodeError` (a :class:`~flowbind.errors.DecodeError`)
    and nothing else for bytes that are not one message; ``TypeError`` for a
    ``data`` that is not bytes-like.
    """
    buf = _as_octets(data, "decode_message()")
    n = len(buf)
    if n < 2:
        raise MessageDecodeError("truncated", n, "the buffer ends before the Header Len octet")
    size = (buf[1] + 1) * 8
    if size > n:
        raise MessageDecodeError(
            "truncated", n, f"Header Len {buf[1]} gives {size} octets; the buffer holds {n}"
        )
    if size < n:
        raise MessageDecodeError("trailing", size, f"{n - size} octets after the message's {size}")
    return _decode(buf, profile, source, destination)


def _decode(
    buf: bytes, profile: Profile, source: AddressInput | None, destination: AddressInput | None
) -> MobilityHeader:
    """Decode ``buf``, whose length Header Len has been checked to be."""
    size = len(buf)
    pp, _hl, mht, res, ck = _unpack_mh(buf, 0)
    message: Message
    offs: list[int] = []
    if mht == 5 or mht == 6:
        if size < OPTIONS_START:
            name = "Update" if mht == 5 else "Acknowledgement"
            raise MessageDecodeError(
                "length", 1, f"Header Len 0 gives 8 octets; a Binding {name} needs at least {OPTIONS_START}"
            )
        if mht == 5:
            seq, word, life = _unpack_bu(buf, MH_HEADER_SIZE)
            opts, offs = _walk(buf, OPTIONS_START, size, profile, False)
            message = _new(BindingUpdate)
            flags = _BU_FLAG_CACHE[word & _BU_FLAGS]
            _set(
                message,
                "__dict__",
                {
                    "sequence": seq,
                    "flags": flags,
                    "reserved": word & _BU_RESERVED,
                    "lifetime": life,
                    "options": tuple(opts),
                },
            )
        else:
            st, word, seq, life = _unpack_ba(buf, MH_HEADER_SIZE)
            copies = profile.ack_copy is AckCopy.VERBATIM
            opts, offs = _walk(buf, OPTIONS_START, size, profile, copies)
            message = _new(BindingAcknowledgement)
            _set(
                message,
                "__dict__",
                {
                    "status": st,
                    "flags": _BA_FLAG_CACHE[word & _BA_FLAGS],
                    "reserved": word & _BA_RESERVED,
                    "sequence": seq,
                    "lifetime": life,
                    "options": tuple(opts),
                },
            )
    else:
        message = _new(OtherMessage)
        _set(message, "__dict__", {"mh_type": mht, "data": buf[MH_HEADER_SIZE:]})
    findings: tuple[MessageFinding, ...] = ()
    if source is not None or destination is not None:
        if source is None or destination is None:
            raise TypeError("checksum verification needs both source and destination")
        finding = _verify(buf, source, destination)
        if finding is not None:
            findings = (finding,)
    mh = _new(MobilityHeader)
    d: dict[str, object] = {
        "message": message,
        "payload_proto": pp,
        "reserved": res,
        "checksum": ck,
        "findings": findings,
        "option_offsets": tuple(offs),
    }
    _set(mh, "__dict__", d)
    return mh


# --- encode ----------------------------------------------------------------------


_NAMED_CLASS_TYPE: Final[Mapping[type, int]] = {
    Pad1: 0,
    PadN: 1,
    BindingRefreshAdvice: 2,
    AlternateCareOfAddress: 3,
    BindingIdentifier: 35,
}


def _option_type(o: MobilityOption, profile: Profile) -> int:
    if isinstance(o, FlowIdentification):
        return profile.option_type
    if isinstance(o, UnknownMobilityOption):
        return o.type
    return _NAMED_CLASS_TYPE[type(o)]


def _encode_option(o: MobilityOption, i: int, profile: Profile, copies: bool) -> bytes:
    if isinstance(o, FlowIdentification):
        wire = encode(o, profile)
        if copies:
            if len(wire) != HEADER_SIZE:
                raise EncodeError(
                    f"options[{i}]",
                    "under ack_copy 'verbatim' a Binding Acknowledgement carries the 8-octet copy of each "
                    "Flow Identification option (acknowledge() makes them); this one is not header-only",
                )
            ln = o.length
            if ln is not None and ln != wire[1]:
                wire = wire[:1] + bytes((ln,)) + wire[2:]
        return wire
    ty = _option_type(o, profile)
    if ty == profile.option_type:
        raise EncodeError(
            f"options[{i}]",
            f"type {ty} is the profile's Flow Identification option type: this option would not decode back",
        )
    if isinstance(o, Pad1):
        return b"\0"
    if isinstance(o, (PadN, UnknownMobilityOption)):
        return bytes((ty, len(o.data))) + o.data
    if isinstance(o, BindingRefreshAdvice):
        return b"\x02\x02" + o.interval.to_bytes(2, "big")
    if isinstance(o, AlternateCareOfAddress):
        return b"\x03\x10" + o.address.packed
    coa = b"" if o.care_of_address is None else o.care_of_address.packed
    word = (_BID_H if o.h else 0) | o.reserved
    return bytes((35, _BID_FIXED + len(coa))) + _pack_bid(o.bid, o.status, word) + coa


def _body(message: Message, profile: Profile) -> tuple[bytes, list[int]]:
    if isinstance(message, OtherMessage):
        return message.data, []
    if isinstance(message, BindingUpdate):
        fixed = _pack_bu(message.sequence, int(message.flags) | message.reserved, message.lifetime)
        copies = False
    else:
        fixed = _pack_ba(
            message.status, int(message.flags) | message.reserved, message.sequence, message.lifetime
        )
        copies = profile.ack_copy is AckCopy.VERBATIM
    parts = [fixed]
    offs: list[int] = []
    off = OPTIONS_START
    for i, o in enumerate(message.options):
        wire = _encode_option(o, i, profile, copies)
        offs.append(off)
        off += len(wire)
        parts.append(wire)
    return b"".join(parts), offs


def _header(payload_proto: int, size: int, mh_type: int, reserved: int, checksum: int) -> bytes:
    return MH_HEADER_LAYOUT.fmt.pack(payload_proto, size // 8 - 1, mh_type, reserved, checksum)


def encode_message(mh: MobilityHeader, profile: Profile = DRAFT_02) -> bytes:
    """The wire form of ``mh``: every option as held, the checksum as held.

    Nothing is added: the message must already be a multiple of 8 octets
    (:func:`build_message` pads it).  Raises
    :class:`~flowbind.errors.EncodeError` for what cannot be written.
    """
    if not isinstance(mh, MobilityHeader):
        raise TypeError(f"encode_message() takes a MobilityHeader, not {type(mh).__name__}")
    body, _ = _body(mh.message, profile)
    size = MH_HEADER_SIZE + len(body)
    _check_size(size)
    return _header(mh.payload_proto, size, mh.mh_type, mh.reserved, mh.checksum) + body


def _check_size(size: int) -> None:
    if size % 8:
        raise EncodeError(
            "message", f"the message is {size} octets, not a multiple of 8 (build_message() pads it)"
        )
    if size > MAX_MESSAGE:
        raise EncodeError("message", f"the message is {size} octets; Header Len frames at most {MAX_MESSAGE}")


# --- build -----------------------------------------------------------------------

#: Alignment ``(x, y)``, meaning offset ≡ y (mod x) from the start of the
#: message, of the options RFC 6275 §6.2 and RFC 5648 define, by type.
ALIGNMENT: Final[Mapping[int, tuple[int, int]]] = {
    2: (2, 0),  # Binding Refresh Advice: 2n
    3: (8, 6),  # Alternate Care-of Address: 8n+6
    4: (2, 0),  # Nonce Indices: 2n
    5: (8, 2),  # Binding Authorization Data: 8n+2
    35: (8, 2),  # Binding Identifier: 8n+2 (care-of address on an 8-octet boundary)
}

#: flowbind's alignment for the Flow Identification option, which the draft
#: does not state: 8n, so that the 8-octet header, and each 16-octet
#: address after it, starts on an 8-octet boundary (as the Alternate CoA's
#: address does), and a run of `8-octet`-profile options needs no padding.
FLOW_IDENTIFICATION_ALIGNMENT: Final = (8, 0)


def _padding(n: int) -> list[MobilityOption]:
    if n == 0:
        return []
    if n == 1:
        return [_PAD1]
    return [PadN.of(n)]


def build_message(
    message: Message,
    profile: Profile = DRAFT_02,
    *,
    source: AddressInput | None = None,
    destination: AddressInput | None = None,
    payload_proto: int = IPPROTO_NONE,
    alignment: Mapping[int, tuple[int, int]] | None = None,
) -> MobilityHeader:
    """The message ready to send: aligned, padded, with its checksum.

    Pad1/PadN are placed before each option that needs it to meet its
    alignment (:data:`ALIGNMENT`, :data:`FLOW_IDENTIFICATION_ALIGNMENT`;
    ``alignment`` overrides by type; other types need none) and at the end to
    make the message a multiple of 8 octets.  With ``source`` and
    ``destination`` the checksum is computed over the pseudo-header; without,
    it is 0.  ``message.options`` must not hold padding already: this places
    it (:func:`encode_message` writes a list exactly as given).
    """
    if not isinstance(message, (BindingUpdate, BindingAcknowledgement, OtherMessage)):
        raise TypeError(f"build_message() takes a message, not {type(message).__name__}")
    if (source is None) != (destination is None):
        raise TypeError("the checksum needs both source and destination (or neither)")
    if not isinstance(message, OtherMessage):
        table = dict(ALIGNMENT)
        table[profile.option_type] = FLOW_IDENTIFICATION_ALIGNMENT
        if alignment:
            table.update(alignment)
        copies = isinstance(message, BindingAcknowledgement) and profile.ack_copy is AckCopy.VERBATIM
        placed: list[MobilityOption] = []
        off = OPTIONS_START
        for i, o in enumerate(message.options):
            if isinstance(o, (Pad1, PadN)):
                raise EncodeError(
                    f"options[{i}]",
                    "build_message() places the padding itself; give the options without Pad1/PadN "
                    "(encode_message() writes a list exactly as given)",
                )
            x, y = table.get(_option_type(o, profile), (1, 0))
            if x > 1:
                pad = (y - off) % x
                placed += _padding(pad)
                off += pad
            size = len(_encode_option(o, i, profile, copies))
            placed.append(o)
            off += size
        placed += _padding(-off % 8)
        message = dataclasses.replace(message, options=tuple(placed))
    body, offs = _body(message, profile)
    size = MH_HEADER_SIZE + len(body)
    _check_size(size)
    mht = message.mh_type if isinstance(message, OtherMessage) else int(message.MH_TYPE)
    checksum = 0
    if source is not None and destination is not None:
        checksum = mh_checksum(_header(payload_proto, size, mht, 0, 0) + body, source, destination)
    return MobilityHeader(message, payload_proto, 0, checksum, (), tuple(offs))


# --- acknowledgements ---------------------------------------------------------------

StatusInput = Status | int


def _copy(o: FlowIdentification, status: StatusInput, profile: Profile) -> FlowIdentification:
    """The 8-octet copy of ``o`` with ``status`` (interpretation §5)."""
    copy = FlowIdentification(
        fid=o.fid,
        pro=o.pro,
        action=o.action,
        priority=o.priority,
        status=status,
        cls=o.cls,
        flags=o.flags,
        opaque=None if o.cls == 1 else b"",
    )
    if profile.ack_copy is AckCopy.VERBATIM:
        ln = o.length if o.length is not None else profile.length_octet(encoded_size(o, profile))
        copy.__dict__["_option_type"] = profile.option_type
        copy.__dict__["_length"] = ln
    return copy


def acknowledge(
    update: BindingUpdate | MobilityHeader,
    statuses: Sequence[StatusInput]
    | Mapping[int, StatusInput]
    | StatusInput
    | Callable[[FlowIdentification], StatusInput],
    profile: Profile = DRAFT_02,
    *,
    status: int = 0,
    flags: BAFlag = BAFlag(0),  # noqa: B008 - an immutable IntFlag
    lifetime: int | None = None,
    options: Sequence[MobilityOption] = (),
) -> BindingAcknowledgement:
    """The Binding Acknowledgement answering ``update`` (§3.8, §7.2).

    It holds, in order, the 8-octet copy of each Flow Identification option
    of the update with only its Status changed (and Option Len, as
    ``profile.ack_copy`` says: ``rewrite`` describes 8 octets, ``verbatim``
    keeps the original), then ``options``.  ``statuses`` gives each option's
    Status: one per option in order, a mapping from FID, one Status for all,
    or a function of the option.  The BA's own ``status`` is RFC 6275's,
    which the draft leaves alone; its sequence is the update's, its lifetime
    the update's unless given.  Pass the result to :func:`build_message`.
    """
    bu = update.message if isinstance(update, MobilityHeader) else update
    if not isinstance(bu, BindingUpdate):
        raise TypeError(f"acknowledge() answers a Binding Update, not {type(bu).__name__}")
    sent = bu.flow_options
    per: list[StatusInput]
    if callable(statuses):
        per = [statuses(o) for o in sent]
    elif isinstance(statuses, int):
        per = [statuses] * len(sent)
    elif isinstance(statuses, Mapping):
        fids = [o.fid for o in sent]
        if len(set(fids)) != len(fids):
            raise ValueError("the update repeats an FID: give the statuses as a sequence, one per option")
        missing = [f for f in fids if f not in statuses]
        if missing:
            raise ValueError(f"no status for FID {missing[0]}")
        per = [statuses[f] for f in fids]
    else:
        per = list(statuses)
        if len(per) != len(sent):
            raise ValueError(f"{len(per)} statuses for {len(sent)} Flow Identification options")
    copies = [_copy(o, st, profile) for o, st in zip(sent, per, strict=True)]
    return BindingAcknowledgement(
        status=status,
        flags=flags,
        sequence=bu.sequence,
        lifetime=bu.lifetime if lifetime is None else lifetime,
        options=(*copies, *options),
    )


@dataclass(frozen=True)
class AckAnswer:
    """One option of the update and the copy that answers it."""

    #: Its position among the update's Flow Identification options.
    index: int
    sent: FlowIdentification
    copy: FlowIdentification
    #: False when only the FID matched and other octets of the header differ.
    exact: bool

    @property
    def status(self) -> Status | int:
        return self.copy.status

    @property
    def accepted(self) -> bool:
        return is_success(self.copy.status)


@dataclass(frozen=True)
class AckCheck:
    """What a mobile node learns from a BA about the options it sent (§5.1.4)."""

    answered: tuple[AckAnswer, ...]
    #: ``(index, option)`` of each option sent that no copy answers.
    missing: tuple[tuple[int, FlowIdentification], ...]
    #: Copies that answer no option sent.
    unexpected: tuple[FlowIdentification, ...]
    sequence_matches: bool

    @property
    def supported(self) -> bool:
        """False when the BA holds no Flow Identification option: a negative acknowledgement (§3.8)."""
        return bool(self.answered or self.unexpected)

    @property
    def complete(self) -> bool:
        """Every option sent was answered (and the BA's sequence is the update's)."""
        return not self.missing and self.sequence_matches

    @property
    def rejected(self) -> tuple[AckAnswer, ...]:
        """The answers whose Status is a failure (128..255)."""
        return tuple(a for a in self.answered if not a.accepted)


def _key(o: FlowIdentification) -> tuple[int, int, int, int, int, int]:
    return (o.fid, int(o.pro), int(o.action), o.priority, int(o.flags), o.cls)


def check_acknowledgement(
    update: BindingUpdate | MobilityHeader, ack: BindingAcknowledgement | MobilityHeader
) -> AckCheck:
    """Whether ``ack`` holds a copy of the first 8 octets of every option ``update`` sent.

    A copy answers an option when all of its first 8 octets but Option Len and
    Status are the option's; an option left over is then matched by FID alone
    (``exact=False``).  Every option nothing answers is in ``missing``.
    """
    bu = update.message if isinstance(update, MobilityHeader) else update
    ba = ack.message if isinstance(ack, MobilityHeader) else ack
    if not isinstance(bu, BindingUpdate) or not isinstance(ba, BindingAcknowledgement):
        raise TypeError("check_acknowledgement() takes a Binding Update and a Binding Acknowledgement")
    sent = bu.flow_options
    left = list(ba.flow_options)
    answers: dict[int, AckAnswer] = {}
    for i, o in enumerate(sent):
        k = _key(o)
        j = next((j for j, c in enumerate(left) if _key(c) == k), None)
        if j is not None:
            answers[i] = AckAnswer(i, o, left.pop(j), True)
    for i, o in enumerate(sent):
        if i in answers:
            continue
        j = next((j for j, c in enumerate(left) if c.fid == o.fid), None)
        if j is not None:
            answers[i] = AckAnswer(i, o, left.pop(j), False)
    return AckCheck(
        answered=tuple(answers[i] for i in sorted(answers)),
        missing=tuple((i, o) for i, o in enumerate(sent) if i not in answers),
        unexpected=tuple(left),
        sequence_matches=ba.sequence == bu.sequence,
    )
