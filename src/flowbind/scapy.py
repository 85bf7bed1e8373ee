"""A scapy layer for the Flow Identification option, built on flowbind's codec.

:class:`FlowIdentificationOption` is a scapy mobility option: it stands in
``MIP6MH_BU(options=[...])`` and ``MIP6MH_BA(options=[...])`` like scapy's
own, and once :func:`register` has put it in scapy's mobility-option table,
scapy dissects Binding Updates and Acknowledgements into it.  It has one real
field, ``option``, holding a :class:`~flowbind.FlowIdentification`; scapy
dissects and builds it with :func:`flowbind.decode` and
:func:`flowbind.encode` and nothing else, so the layer cannot disagree with
the library.  The option's parts (``fid``, ``pro``, ``flags``,
``source_ports``, ``bids``, ...) are read-through fields with the model's
names: ``show()`` lists them, ``pkt.fid`` reads them and ``pkt.fid = 3`` (or a
keyword argument) makes a new value through ``FlowIdentification.replace``.

Needs the ``scapy`` extra (``pip install -e '.[scapy]'`` in a checkout).  See
``docs/scapy.md`` for what works under each profile.

>>> from scapy.layers.inet6 import IPv6, MIP6MH_BU
>>> import flowbind
>>> from flowbind.scapy import FlowIdentificationOption, register, unregister
>>> cls = register()
>>> opt = FlowIdentificationOption(fid=1, priority=1, source_ports=flowbind.PortRange(22, 22))
>>> bytes(opt).hex()
'12022001010100010016001600000000'
>>> pkt = IPv6(bytes(IPv6(src="2001:db8::1", dst="2001:db8::2") / MIP6MH_BU(seq=7, options=[opt])))
>>> pkt[FlowIdentificationOption].option == opt.option
True
>>> unregister()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, Final

from scapy.fields import ConditionalField, Field
from scapy.layers.inet6 import MIP6MH_BA, _MIP6OptAlign, moboptcls
from scapy.packet import Packet

from .codec import decode, encode
from .enums import Action, Pro, Status
from .errors import DecodeError
from .mobility import FLOW_IDENTIFICATION_ALIGNMENT
from .model import FlowIdentification, PortRange
from .profile import DRAFT_02, HEADER_SIZE, AckCopy, Profile

__all__ = [
    "FlowIdentificationField",
    "FlowIdentificationOption",
    "option_class",
    "register",
    "registered",
    "unregister",
]

Value = FlowIdentification | bytes


def _profile_of(pkt: Packet | None) -> Profile:
    profile = getattr(type(pkt), "profile", DRAFT_02)
    assert isinstance(profile, Profile)
    return profile


def _is_ack_copy(pkt: Packet | None, profile: Profile) -> bool:
    """Whether ``pkt`` is an option of a Binding Acknowledgement read as an 8-octet copy."""
    return (
        profile.ack_copy is AckCopy.VERBATIM
        and pkt is not None
        and isinstance(getattr(pkt, "parent", None), MIP6MH_BA)
    )


class FlowIdentificationField(Field[Value, bytes]):
    """The whole option, Type octet to the end of its padding, as one flowbind value.

    Its value is a :class:`~flowbind.FlowIdentification`; octets that
    :func:`flowbind.decode` refuses are kept as ``bytes`` (framed by their
    Option Len when it fits, so that the options after them still dissect),
    and written back as they are.
    """

    __slots__: list[str] = []

    def __init__(self, name: str, default: Value | None) -> None:
        Field.__init__(self, name, default, fmt="B")

    def getfield(self, pkt: Packet, s: bytes) -> tuple[bytes, Value]:
        profile = _profile_of(pkt)
        if len(s) < 2:
            return b"", s
        length = s[1]
        size = profile.option_size(length)
        if _is_ack_copy(pkt, profile):
            # A verbatim copy: 8 octets whatever its Option Len says (interpretation §1).
            if size < HEADER_SIZE or len(s) < HEADER_SIZE:
                return s[max(2, min(size, len(s))) :], s[: max(2, min(size, len(s)))]
            head = s[:1] + bytes((profile.header_only_length,)) + s[2:HEADER_SIZE]
            try:
                value = decode(head, profile)
            except DecodeError:
                return s[HEADER_SIZE:], s[:HEADER_SIZE]
            value.__dict__["_length"] = length
            return s[HEADER_SIZE:], value
        end = max(2, min(size, len(s)))
        try:
            return s[end:], decode(s[:end], profile)
        except DecodeError:
            return s[end:], s[:end]

    def addfield(self, pkt: Packet, s: bytes, val: Value | None) -> bytes:
        return s + self.i2m(pkt, val)

    def i2m(self, pkt: Packet | None, x: Value | None) -> bytes:
        if x is None:
            x = FlowIdentification()
        if isinstance(x, (bytes, bytearray)):
            return bytes(x)
        profile = _profile_of(pkt)
        wire = encode(x, profile)
        if (
            _is_ack_copy(pkt, profile)
            and len(wire) == HEADER_SIZE
            and x.length is not None
            and x.length != wire[1]
        ):
            wire = wire[:1] + bytes((x.length,)) + wire[2:]
        return wire

    def any2i(self, pkt: Packet | None, x: Any) -> Value | None:
        if x is None or isinstance(x, FlowIdentification):
            return x
        if isinstance(x, (bytes, bytearray, memoryview)):
            data = bytes(x)
            try:
                return decode(data, _profile_of(pkt))
            except DecodeError:
                return data
        if isinstance(x, dict):
            return FlowIdentification.from_dict(x)
        raise TypeError(f"{self.name} takes a FlowIdentification, bytes or its dict form, not {x!r}")

    def i2len(self, pkt: Packet | None, x: Value | None) -> int:
        return len(self.i2m(pkt, x))

    def i2repr(self, pkt: Packet | None, x: Value | None) -> str:
        if isinstance(x, (bytes, bytearray)):
            try:
                decode(bytes(x), _profile_of(pkt))
            except DecodeError as exc:
                return f"undecodable ({exc}): {bytes(x).hex()}"
            return bytes(x).hex()  # pragma: no cover - any2i decodes what it can
        return self.i2m(pkt, x).hex()

    def randval(self) -> Any:
        raise NotImplementedError("use flowbind.strategies to draw options")


def _name(value: object) -> str:
    if isinstance(value, (Pro, Action, Status)):
        return f"{value.name} ({int(value)})"
    if isinstance(value, PortRange):
        return f"{value.min}-{value.max}"
    return str(value)


#: The read-through fields: name, how show() writes it, whether it is always shown.
_VIEWS: Final[dict[str, tuple[Callable[[FlowIdentification], Any], bool]]] = {
    "type": (lambda o: o.option_type, True),
    "length": (lambda o: o.length, True),
    "flags": (lambda o: o.flags, True),
    "priority": (lambda o: o.priority, True),
    "fid": (lambda o: o.fid, True),
    "pro": (lambda o: o.pro, True),
    "action": (lambda o: o.action, True),
    "status": (lambda o: o.status, True),
    "cls": (lambda o: o.cls, True),
    "source": (lambda o: o.source, False),
    "destination": (lambda o: o.destination, False),
    "source_ports": (lambda o: o.source_ports, False),
    "destination_ports": (lambda o: o.destination_ports, False),
    "spi": (lambda o: o.spi, False),
    "flow_label": (lambda o: o.flow_label, False),
    "protocol": (lambda o: o.protocol, False),
    "class_of_service": (lambda o: o.class_of_service, False),
    "bids": (lambda o: o.bids or None, False),
    "sub_options": (lambda o: o.sub_options or None, False),
    "opaque": (lambda o: o.opaque or None, False),
}
#: Views that a keyword argument or an assignment may set (the model's own fields).
_SETTABLE: Final = frozenset(_VIEWS) - {"type", "length", "bids"} | {
    "res3",
    "res4",
    "ignored_protocol",
    "ignored_class_of_service",
    "pad_before",
    "padding",
}


def _value(pkt: Packet | None) -> FlowIdentification | None:
    if pkt is None:
        return None
    value = pkt.getfieldval("option")
    return value if isinstance(value, FlowIdentification) else None


class _View(Field[Any, Any]):
    """A part of the ``option`` field's value: no octets of its own, read from the value."""

    __slots__ = ["read"]

    def __init__(self, name: str, read: Callable[[FlowIdentification], Any]) -> None:
        Field.__init__(self, name, None)
        self.read = read

    def _of(self, pkt: Packet | None) -> Any:
        value = _value(pkt)
        if value is None:
            return None
        if self.name in ("type", "length"):
            wire = FlowIdentificationField("option", None).i2m(pkt, value)
            return wire[0] if self.name == "type" else wire[1]
        return self.read(value)

    def getfield(self, pkt: Packet, s: bytes) -> tuple[bytes, Any]:
        return s, None

    def addfield(self, pkt: Packet, s: bytes, val: Any) -> bytes:
        return s

    def i2h(self, pkt: Packet | None, x: Any) -> Any:
        return self._of(pkt)

    def i2repr(self, pkt: Packet | None, x: Any) -> str:
        got = self._of(pkt)
        if isinstance(got, tuple):
            return "[" + ", ".join(map(repr, got)) + "]" if self.name == "bids" else repr(got)
        if isinstance(got, bytes):
            return got.hex()
        return _name(got)

    def randval(self) -> Any:
        raise NotImplementedError


def _view(name: str, read: Callable[[FlowIdentification], Any], always: bool) -> ConditionalField:
    view = _View(name, read)
    if always:
        return ConditionalField(view, lambda pkt: _value(pkt) is not None)
    return ConditionalField(view, lambda pkt: (v := _value(pkt)) is not None and read(v) is not None)


class FlowIdentificationOption(_MIP6OptAlign):
    """The Flow Identification option as a scapy mobility option (profile :data:`~flowbind.DRAFT_02`).

    ``FlowIdentificationOption(option=value)`` wraps a
    :class:`~flowbind.FlowIdentification`;
    ``FlowIdentificationOption(fid=1, source_ports=PortRange(22, 22))`` makes
    one from the model's keyword arguments; ``FlowIdentificationOption(data)``
    dissects octets.  :func:`option_class` gives the class of another profile.
    """

    name = "Flow Identification option"
    #: The profile this class frames, decodes and encodes with.
    profile: ClassVar[Profile] = DRAFT_02
    fields_desc = [  # noqa: RUF012 - scapy's convention
        FlowIdentificationField("option", FlowIdentification()),
        *(_view(name, read, always) for name, (read, always) in _VIEWS.items()),
    ]
    # flowbind's alignment for the option (8n): scapy pads before it as build_message does.
    x, y = FLOW_IDENTIFICATION_ALIGNMENT

    def __init__(self, *args: Any, **fields: Any) -> None:
        changes = {name: fields.pop(name) for name in list(fields) if name in _SETTABLE}
        read_only = [name for name in fields if name in _VIEWS]
        if read_only:
            raise TypeError(f"{', '.join(read_only)}: read from the option, not set")
        super().__init__(*args, **fields)
        if changes:
            self.setfieldval("option", self._flow().replace(**changes))

    def _flow(self) -> FlowIdentification:
        value = self.getfieldval("option")
        if not isinstance(value, FlowIdentification):
            raise ValueError(f"the option did not decode: {self.decode_error}")
        return value

    @property
    def decode_error(self) -> DecodeError | None:
        """Why the octets of ``option`` did not decode (None when they did)."""
        value = self.getfieldval("option")
        if isinstance(value, FlowIdentification):
            return None
        try:
            decode(value, self.profile)
        except DecodeError as exc:
            return exc
        return None  # pragma: no cover - any2i decodes what it can

    def setfieldval(self, attr: str, val: Any) -> None:
        if attr in _SETTABLE:
            super().setfieldval("option", self._flow().replace(**{attr: val}))
        elif attr in _VIEWS:
            raise ValueError(f"{attr} is read from the option; set the option's own fields instead")
        else:
            super().setfieldval(attr, val)

    def mysummary(self) -> str:
        value = self.getfieldval("option")
        if not isinstance(value, FlowIdentification):
            return "Flow Identification (undecodable)"
        return f"Flow Identification FID {value.fid} {_name(value.pro).split()[0]} {value.flags}"


_classes: dict[Profile, type[FlowIdentificationOption]] = {DRAFT_02: FlowIdentificationOption}
#: What scapy's table held for each option type before :func:`register` replaced it.
_replaced: dict[int, type[Packet] | None] = {}


def option_class(profile: Profile = DRAFT_02) -> type[FlowIdentificationOption]:
    """The :class:`FlowIdentificationOption` class that frames and codes with ``profile`` (one a profile)."""
    cls = _classes.get(profile)
    if cls is None:
        name = f"FlowIdentificationOption_{len(_classes)}"
        cls = type(name, (FlowIdentificationOption,), {"profile": profile, "__doc__": f"For {profile!r}."})
        _classes[profile] = cls
    return cls


def register(profile: Profile = DRAFT_02) -> type[FlowIdentificationOption]:
    """Make scapy dissect ``profile``'s option type as a Flow Identification option; return the class.

    scapy's table has one class per option type: registering another profile
    of the same type replaces the first.  :func:`unregister` puts back what
    was there (nothing, for type 18).
    """
    cls = option_class(profile)
    ty = profile.option_type
    if ty not in _replaced:
        _replaced[ty] = moboptcls.get(ty)
    moboptcls[ty] = cls
    return cls


def unregister(profile: Profile = DRAFT_02) -> None:
    """Undo :func:`register` for ``profile``'s option type."""
    ty = profile.option_type
    if ty not in _replaced:
        return
    before = _replaced.pop(ty)
    if before is None:
        moboptcls.pop(ty, None)
    else:
        moboptcls[ty] = before


def registered(option_type: int = DRAFT_02.option_type) -> type[FlowIdentificationOption] | None:
    """The flowbind class scapy dissects ``option_type`` with, if any."""
    cls: object = moboptcls.get(option_type)
    if isinstance(cls, type) and issubclass(cls, FlowIdentificationOption):
        return cls
    return None
