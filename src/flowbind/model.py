"""The typed, immutable values users see.

Every class here is a frozen dataclass validated when it is made (so
``dataclasses.replace`` re-validates): a value that no encoding can carry
cannot be constructed.  Limits that depend on the profile (BID width, the
largest option) are checked by :func:`flowbind.encode`.
"""

from __future__ import annotations

import dataclasses
import html
import ipaddress
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from .enums import (
    ALL_FLAGS,
    CLS_FLOW,
    FIELD_FLAGS,
    Action,
    Flag,
    Pro,
    Status,
    SubOptionType,
)
from .errors import ModelError

if TYPE_CHECKING:
    from .profile import Profile

__all__ = [
    "AddressPrefix",
    "BIDSubOption",
    "FlowIdentification",
    "PortRange",
    "SubOption",
    "UnknownSubOption",
    "address_text",
]

#: The most bits a prefix can count (of a 128-bit address).
MAX_PREFIX: Final = 128
MAX_PORT: Final = 0xFFFF
MAX_FLOW_LABEL: Final = (1 << 20) - 1
MAX_SPI: Final = 0xFFFFFFFF
MAX_PRIORITY: Final = 0x3F
MAX_NIBBLE: Final = 0xF
MAX_OCTET: Final = 0xFF
#: The widest BID any profile allows (16 bits); the profile may allow less.
MAX_BID: Final = 0xFFFF
#: Sub-option data that a one-octet Len counting Type and Len can frame.
MAX_SUB_OPTION_DATA: Final = 0xFF - 2

_PRO = {int(m): m for m in Pro}
_ACTION = {int(m): m for m in Action}
_STATUS = {int(m): m for m in Status}

_new = object.__new__
_set = object.__setattr__


def _as_octets(data: object, who: str) -> bytes:
    """The octets a ``bytes``, ``bytearray`` or ``memoryview`` holds, as ``bytes``.

    Read through the buffer, so a ``bytes`` subclass's ``__bytes__`` is not
    consulted and a mutable buffer is copied.  Raises ``TypeError`` naming
    ``who`` for anything else, a released ``memoryview`` included.
    """
    if type(data) is bytes:
        return data
    what = type(data).__name__
    if isinstance(data, (bytes, bytearray, memoryview)):
        try:
            return memoryview(data).tobytes()
        except ValueError:
            what = "a released memoryview"
    raise TypeError(f"{who} takes bytes, bytearray or memoryview, not {what}")


def _int(owner: str, name: str, value: object, top: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ModelError(name, f"{owner}.{name} must be an integer, not {value!r}")
    if not 0 <= value <= top:
        raise ModelError(name, f"{owner}.{name} must be 0..{top}, not {value}")
    return int(value)


def address_text(address: ipaddress.IPv6Address) -> str:
    """Address text as RFC 5952 recommends, IPv4-mapped ones dotted.

    The same on every Python version (3.13 changed ``str`` of mapped addresses):

    >>> address_text(ipaddress.IPv6Address("::ffff:c000:201"))
    '::ffff:192.0.2.1'
    """
    mapped = address.ipv4_mapped
    if mapped is not None:
        return f"::ffff:{mapped}"
    return str(address)


AddressLike = ipaddress.IPv6Address | ipaddress.IPv4Address | str | bytes | int


def _to_address(value: object) -> ipaddress.IPv6Address:
    if isinstance(value, ipaddress.IPv6Address):
        return value
    if isinstance(value, ipaddress.IPv4Address):
        return ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + value.packed)
    if isinstance(value, (str, bytes, int)) and not isinstance(value, bool):
        try:
            if isinstance(value, str) and ":" not in value:
                return _to_address(ipaddress.IPv4Address(value))
            if isinstance(value, bytes) and len(value) == 4:
                return _to_address(ipaddress.IPv4Address(value))
            return ipaddress.IPv6Address(value)
        except ValueError as exc:
            raise ModelError("address", f"not an IPv6 or IPv4 address: {value!r}") from exc
    raise ModelError("address", f"not an IPv6 or IPv4 address: {value!r}")


@dataclass(frozen=True, repr=False)
class AddressPrefix:
    """An address and prefix length (fields S and E).

    IPv4 addresses travel IPv4-mapped (§2.1), so a prefix counts bits of the
    128-bit address: an IPv4 /24 is 120.  Address bits beyond the prefix are
    kept as given.

    >>> AddressPrefix("192.0.2.0", 120)
    AddressPrefix('::ffff:192.0.2.0', 120)
    """

    address: ipaddress.IPv6Address
    prefix: int = MAX_PREFIX
    #: The 24 reserved bits after the prefix (Res1 or Res2); zero when sent.
    reserved: int = 0

    def __post_init__(self) -> None:
        _set(self, "address", _to_address(self.address))
        _int("AddressPrefix", "prefix", self.prefix, MAX_PREFIX)
        _int("AddressPrefix", "reserved", self.reserved, 0xFFFFFF)

    def __str__(self) -> str:
        return f"{address_text(self.address)}/{self.prefix}"

    def __repr__(self) -> str:
        extra = f", reserved={self.reserved:#x}" if self.reserved else ""
        return f"AddressPrefix({address_text(self.address)!r}, {self.prefix}{extra})"

    def to_dict(self) -> dict[str, Any]:
        return {"address": address_text(self.address), "prefix": self.prefix}


@dataclass(frozen=True, repr=False)
class PortRange:
    """A port range, both ends included (fields F and L).

    ``min > max`` can be made and decoded; :func:`flowbind.validate` reports it.
    """

    min: int
    max: int

    def __post_init__(self) -> None:
        _int("PortRange", "min", self.min, MAX_PORT)
        _int("PortRange", "max", self.max, MAX_PORT)

    @classmethod
    def single(cls, port: int) -> PortRange:
        """The range of one port."""
        return cls(port, port)

    def __str__(self) -> str:
        return str(self.min) if self.min == self.max else f"{self.min}-{self.max}"

    def __repr__(self) -> str:
        return f"PortRange({self.min}, {self.max})"

    def __iter__(self) -> Any:
        return iter((self.min, self.max))

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and self.min <= port <= self.max


@dataclass(frozen=True, repr=False)
class BIDSubOption:
    """The BID sub-option (§2.2): the bindings the flow is associated with.

    An empty one can be made and decoded; :func:`flowbind.validate` reports it.
    """

    bids: tuple[int, ...]

    def __post_init__(self) -> None:
        bids = self.bids
        if isinstance(bids, (str, bytes)) or not isinstance(bids, Iterable):
            raise ModelError("bids", f"BIDSubOption.bids must be a sequence of integers, not {bids!r}")
        bids = tuple(bids)
        for i, bid in enumerate(bids):
            _int("BIDSubOption", f"bids[{i}]", bid, MAX_BID)
        _set(self, "bids", bids)

    @property
    def type(self) -> int:
        return SubOptionType.BID

    def __repr__(self) -> str:
        return f"BIDSubOption({self.bids!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"type": int(SubOptionType.BID), "bids": list(self.bids)}


@dataclass(frozen=True, repr=False)
class UnknownSubOption:
    """A sub-option of a type this draft does not define, kept as (type, data)."""

    type: int
    data: bytes = b""

    def __post_init__(self) -> None:
        t = _int("UnknownSubOption", "type", self.type, MAX_OCTET)
        if t == 0:
            raise ModelError("type", "sub-option type 0 is one octet of padding, not a sub-option")
        if t == SubOptionType.BID:
            raise ModelError("type", "sub-option type 1 is the BID sub-option: use BIDSubOption")
        try:
            data = _as_octets(self.data, "UnknownSubOption.data")
        except TypeError:
            raise ModelError("data", f"UnknownSubOption.data must be bytes, not {self.data!r}") from None
        if len(data) > MAX_SUB_OPTION_DATA:
            raise ModelError(
                "data", f"{len(data)} octets of data; a sub-option holds at most {MAX_SUB_OPTION_DATA}"
            )
        _set(self, "data", data)

    def __repr__(self) -> str:
        return f"UnknownSubOption({self.type}, {self.data!r})"

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "data": self.data.hex()}


SubOption = BIDSubOption | UnknownSubOption


class _Lazy:
    """A field of a decoded value, made from the octets decode kept, on first access.

    Decode stores the octets under ``raw`` in the instance dict instead of the
    field; this non-data descriptor makes the field's value from them once
    and caches it in the instance, where values made by the constructor hold
    it from the start.  Nothing of this shows: equality, hashing, ``repr``,
    pickling and ``replace`` all read the field.
    """

    def __init__(self, name: str, raw: str, make: Callable[[bytes], object]) -> None:
        self.name = name
        self.raw = raw
        self.make = make

    def __get__(self, obj: object, objtype: type | None = None) -> Any:
        if obj is None:
            raise AttributeError(self.name)
        d = obj.__dict__
        value = d[self.name] = self.make(d[self.raw])
        return value


def _ipv6(packed: bytes) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(int.from_bytes(packed, "big"))


#: A decoded address keeps its 16 octets; 1-octet BIDs keep the sub-option's data octets.
AddressPrefix.address = _Lazy("address", "_packed", _ipv6)  # type: ignore[assignment]
BIDSubOption.bids = _Lazy("bids", "_raw", tuple)  # type: ignore[assignment]

#: Model attribute of each flag-driven field, with its flag(s).
_FIELD_FLAGS: Final = (
    ("source", Flag.S),
    ("destination", Flag.E),
    ("source_ports", Flag.F),
    ("destination_ports", Flag.L),
    ("spi", Flag.I),
    ("flow_label", Flag.W),
    ("protocol", Flag.O),
    ("class_of_service", Flag.T),
)


def _coerce(own: str, name: str, kind: type, value: object) -> AddressPrefix | PortRange:
    """The forms the dict form also takes: a port or ``(min, max)``; ``"addr"`` or ``"addr/prefix"``."""
    if kind is PortRange:
        if isinstance(value, int) and not isinstance(value, bool):
            return PortRange(value, value)
        if isinstance(value, (tuple, list)) and len(value) == 2:
            return PortRange(value[0], value[1])
    elif isinstance(value, str):
        address, _, prefix = value.partition("/")
        if not prefix:
            return AddressPrefix(_to_address(address))
        if prefix.isdigit():
            return AddressPrefix(_to_address(address), int(prefix))
    raise ModelError(name, f"{own}.{name} must be a {kind.__name__} or None, not {value!r}")


@dataclass(frozen=True, repr=False, kw_only=True)
class FlowIdentification:
    """One Flow Identification option (§2.1), as decoded or to be encoded.

    The flags S E F L O W T I follow from which fields are present; R and H
    are given in ``flags``.  An option with no field, sub-option or padding is
    *header-only* (8 octets on the wire, interpretation §5): its flags are
    kept as given, since they describe the flow of the binding it refers to.
    So are the flags of an option whose CLS is not 1, whose body is opaque.

    >>> opt = FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22))
    >>> opt.flags
    <Flag.F: 8192>
    >>> opt
    FlowIdentification(fid=1, pro=ADD, action=FORWARD, priority=1, flags=F, source_ports=22)
    """

    fid: int = 0
    pro: Pro | int = Pro.ADD
    action: Action | int = Action.FORWARD
    priority: int = 0
    #: Meaningful in a Binding Acknowledgement; kept as received in a BU.
    status: Status | int = Status.SUCCESS
    cls: int = CLS_FLOW
    flags: Flag = Flag(0)  # noqa: RUF009 - an immutable IntFlag
    source: AddressPrefix | None = None
    destination: AddressPrefix | None = None
    source_ports: PortRange | None = None
    destination_ports: PortRange | None = None
    spi: int | None = None
    flow_label: int | None = None
    protocol: int | None = None
    class_of_service: int | None = None
    sub_options: tuple[SubOption, ...] = ()
    #: The body after the header when CLS is not 1, uninterpreted.
    opaque: bytes | None = None
    #: Figure 1's Res3: the 12 bits after the flow label.
    res3: int = 0
    #: Figure 1's Res4: the 16 bits after C.S.
    res4: int = 0
    #: The Protocol octet when T is set and O clear (ignored on receipt).
    ignored_protocol: int = 0
    #: The C.S. octet when O is set and T clear (ignored on receipt).
    ignored_class_of_service: int = 0
    #: Zero octets before each sub-option (index i: before ``sub_options[i]``).
    pad_before: tuple[int, ...] = ()
    #: Zero octets at the end beyond those the length unit requires (a
    #: multiple of 8 with the ``8-octet`` unit).
    padding: int = field(default=0)

    def __post_init__(self) -> None:
        own = "FlowIdentification"
        _int(own, "fid", self.fid, MAX_OCTET)
        _set(self, "pro", _PRO.get(_int(own, "pro", self.pro, MAX_NIBBLE), self.pro))
        _set(self, "action", _ACTION.get(_int(own, "action", self.action, MAX_OCTET), self.action))
        _int(own, "priority", self.priority, MAX_PRIORITY)
        _set(self, "status", _STATUS.get(_int(own, "status", self.status, MAX_OCTET), self.status))
        cls = _int(own, "cls", self.cls, MAX_NIBBLE)
        flags = self.flags
        if isinstance(flags, (str, list, tuple)):
            try:
                flags = Flag.from_letters(flags)
            except ValueError as exc:
                raise ModelError("flags", str(exc)) from None
        flags = Flag(_int(own, "flags", flags, 0xFFFF))
        if flags & ~ALL_FLAGS:
            raise ModelError("flags", f"flags {int(flags):#06x} has bits outside S..H (PRI is priority)")

        for name, top in (
            ("spi", MAX_SPI),
            ("flow_label", MAX_FLOW_LABEL),
            ("protocol", MAX_OCTET),
            ("class_of_service", MAX_OCTET),
        ):
            value = getattr(self, name)
            if value is not None:
                _int(own, name, value, top)
        for name, kind_ in (
            ("source", AddressPrefix),
            ("destination", AddressPrefix),
            ("source_ports", PortRange),
            ("destination_ports", PortRange),
        ):
            value = getattr(self, name)
            if value is None or isinstance(value, kind_):
                continue
            _set(self, name, _coerce(own, name, kind_, value))
        _int(own, "res3", self.res3, 0xFFF)
        _int(own, "res4", self.res4, 0xFFFF)
        _int(own, "ignored_protocol", self.ignored_protocol, MAX_OCTET)
        _int(own, "ignored_class_of_service", self.ignored_class_of_service, MAX_OCTET)
        subs = self.sub_options
        if isinstance(subs, (BIDSubOption, UnknownSubOption)) or not isinstance(subs, Iterable):
            raise ModelError("sub_options", "sub_options must be a sequence of sub-options")
        subs = tuple(subs)
        for i, sub in enumerate(subs):
            if not isinstance(sub, (BIDSubOption, UnknownSubOption)):
                raise ModelError(f"sub_options[{i}]", f"not a sub-option: {sub!r}")
        _set(self, "sub_options", subs)
        pads = self.pad_before
        if not isinstance(pads, Iterable):
            raise ModelError("pad_before", "pad_before must be a sequence of counts")
        pads = tuple(pads)
        for i, n in enumerate(pads):
            _int(own, f"pad_before[{i}]", n, 0xFFFF)
        if len(pads) > len(subs):
            raise ModelError("pad_before", f"{len(pads)} counts for {len(subs)} sub-options")
        while pads and pads[-1] == 0:
            pads = pads[:-1]
        _set(self, "pad_before", pads)
        _int(own, "padding", self.padding, 0xFFFF)

        present = Flag(0)
        for name, flag in _FIELD_FLAGS:
            if getattr(self, name) is not None:
                present |= flag
        word = self.protocol is not None or self.class_of_service is not None

        if cls != CLS_FLOW:
            if (
                present
                or subs
                or self.padding
                or self.res3
                or self.res4
                or (self.ignored_protocol or self.ignored_class_of_service)
            ):
                raise ModelError(
                    "cls",
                    f"CLS {cls} is not interpreted past the header: its body is `opaque`, "
                    "so it takes no fields, sub-options or padding",
                )
            opaque = b"" if self.opaque is None else self.opaque
            if not isinstance(opaque, (bytes, bytearray, memoryview)):
                raise ModelError("opaque", f"opaque must be bytes, not {opaque!r}")
            _set(self, "opaque", bytes(opaque))
            _set(self, "flags", flags)
            return
        if self.opaque is not None:
            raise ModelError("opaque", "only an option whose CLS is not 1 has an opaque body")
        if self.res3 and self.flow_label is None:
            raise ModelError("res3", "res3 follows the flow label, which is absent")
        if self.res4 and not word:
            raise ModelError("res4", "res4 follows Protocol and C.S., which are absent")
        if self.ignored_protocol and (self.protocol is not None or not word):
            raise ModelError(
                "ignored_protocol", "an ignored Protocol octet exists only with T set and O clear"
            )
        if self.ignored_class_of_service and (self.class_of_service is not None or not word):
            raise ModelError(
                "ignored_class_of_service", "an ignored C.S. octet exists only with O set and T clear"
            )
        if present or subs or self.padding:
            missing = flags & FIELD_FLAGS & ~present
            if missing:
                raise ModelError(
                    "flags",
                    f"flag {missing} announces a field that is absent; only a header-only option "
                    "keeps field flags without fields",
                )
            flags |= present
        _set(self, "flags", flags)

    # --- derived facts ----------------------------------------------------

    @property
    def header_only(self) -> bool:
        """Whether the option is its 8-octet header alone (interpretation §5)."""
        if self.cls != CLS_FLOW:
            return not self.opaque
        return not (self.sub_options or self.padding or self._has_fields())

    def _has_fields(self) -> bool:
        return any(getattr(self, name) is not None for name, _ in _FIELD_FLAGS)

    @property
    def is_wildcard(self) -> bool:
        """An Add with no S E F L O W T I flag: all flows (§3.4, interpretation §5).

        R and H, which carry no field, narrow it; BID sub-options say where
        the flows go.
        """
        return self.pro == Pro.ADD and self.cls == CLS_FLOW and not self.flags & FIELD_FLAGS

    @property
    def bids(self) -> tuple[int, ...]:
        """Every BID of every BID sub-option, in order."""
        return tuple(b for s in self.sub_options if isinstance(s, BIDSubOption) for b in s.bids)

    @property
    def option_type(self) -> int | None:
        """The Option Type octet this option was decoded with (None if made here)."""
        value: int | None = self.__dict__.get("_option_type")
        return value

    @property
    def length(self) -> int | None:
        """The Option Len octet this option was decoded with (None if made here)."""
        value: int | None = self.__dict__.get("_length")
        return value

    def replace(self, **changes: Any) -> FlowIdentification:
        """A copy with some fields changed, validated anew."""
        return dataclasses.replace(self, **changes)

    # --- text and dict forms ----------------------------------------------

    def to_dict(self, profile: Profile | None = None) -> dict[str, Any]:
        """JSON-ready form (see the docs for every key).

        ``type`` and ``length`` are those of ``profile`` when given, else those
        the option was decoded with, else those of ``DRAFT_02``.
        """
        from .codec import encoded_size
        from .profile import DRAFT_02

        if profile is not None or self.length is None:
            prof = profile or DRAFT_02
            option_type: int | None = prof.option_type
            try:
                length: int | None = prof.length_octet(encoded_size(self, prof))
            except ValueError:
                length = None
        else:
            option_type, length = self.option_type, self.length
        out: dict[str, Any] = {
            "type": option_type,
            "length": length,
            "flags": self.flags.letters,
            "priority": self.priority,
            "fid": self.fid,
            "action": int(self.action),
            "status": int(self.status),
            "pro": int(self.pro),
            "cls": self.cls,
            "header_only": self.header_only,
            "source": self.source.to_dict() if self.source else None,
            "destination": self.destination.to_dict() if self.destination else None,
            "source_ports": list(self.source_ports) if self.source_ports else None,
            "destination_ports": list(self.destination_ports) if self.destination_ports else None,
            "spi": self.spi,
            "flow_label": self.flow_label,
            "protocol": self.protocol,
            "class_of_service": self.class_of_service,
            "sub_options": [s.to_dict() for s in self.sub_options],
            "opaque": None if self.opaque is None else self.opaque.hex(),
        }
        reserved = {
            "source": self.source.reserved if self.source else 0,
            "destination": self.destination.reserved if self.destination else 0,
            "res3": self.res3,
            "res4": self.res4,
            "ignored_protocol": self.ignored_protocol,
            "ignored_class_of_service": self.ignored_class_of_service,
        }
        reserved = {k: v for k, v in reserved.items() if v}
        if reserved:
            out["reserved"] = reserved
        if self.pad_before or self.padding:
            out["padding"] = {"before": list(self.pad_before), "after": self.padding}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FlowIdentification:
        """The inverse of :meth:`to_dict` (``type`` and ``length`` are not needed)."""
        from .dictform import option_from_dict

        return option_from_dict(data)

    def __repr__(self) -> str:
        parts = [
            f"fid={self.fid}",
            f"pro={_name(self.pro)}",
            f"action={_name(self.action)}",
            f"priority={self.priority}",
            f"flags={self.flags}",
        ]
        if self.status:
            parts.append(f"status={_name(self.status)}")
        if self.cls != CLS_FLOW:
            parts.append(f"cls={self.cls}")
        for name, _ in _FIELD_FLAGS:
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name}={value}")
        if self.sub_options:
            parts.append("sub_options=(" + ", ".join(map(repr, self.sub_options)) + ")")
        if self.opaque:
            parts.append(f"opaque={self.opaque.hex()}")
        for name in ("res3", "res4", "ignored_protocol", "ignored_class_of_service"):
            if getattr(self, name):
                parts.append(f"{name}={getattr(self, name):#x}")
        for name, ap in (("source", self.source), ("destination", self.destination)):
            if ap is not None and ap.reserved:
                parts.append(f"{name}.reserved={ap.reserved:#x}")
        if self.pad_before:
            parts.append(f"pad_before={self.pad_before}")
        if self.padding:
            parts.append(f"padding={self.padding}")
        return "FlowIdentification(" + ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        cells = {k: _cell(v) for k, v in self.to_dict().items() if v is not None and v != []}
        for name in ("pro", "action", "status"):
            value = getattr(self, name)
            if _name(value) != str(int(value)):
                cells[name] = f"{int(value)} {_name(value)}"
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:left'><code>{html.escape(v)}</code></td></tr>"
            for k, v in cells.items()
        )
        return f"<table><caption>Flow Identification option</caption>{rows}</table>"


def _name(value: int) -> str:
    return value.name if isinstance(value, (Pro, Action, Status)) else str(int(value))


def _cell(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(_cell(v) for v in value)
    return str(value)
