"""The wire layout, declared once with construct: the source of truth.

Every piece of the option is a fixed-size construct declaration here, with
reserved bits as named fields (never ``Padding``, which would drop them).  The
framing rules that join the pieces (interpretation §4-§6) live in the codecs.

:mod:`flowbind.codec` does not walk these declarations at run time: it uses
``struct`` formats, shifts and masks *derived* from them by :func:`derive` when
flowbind is imported, and the test suite proves the fast codec equal to the
construct-driven one in :mod:`flowbind.reference` on valid and malformed input.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Final

import construct as c

from .enums import Flag

__all__ = [
    "ADDRESS",
    "BID_ELEMENT",
    "FIELDS",
    "FLOW_LABEL",
    "HEADER",
    "PORTS",
    "PROTOCOL_WORD",
    "SPI",
    "SUB_OPTION_HEADER",
    "FieldSpec",
    "Layout",
    "derive",
]

#: The fixed 8-octet header (Figure 1, first two rows).
HEADER: Final = c.Struct(
    "type" / c.Int8ub,
    "length" / c.Int8ub,
    "word"
    / c.BitStruct(
        *(letter / c.Flag for letter in "SEFLOWTIRH"),
        "priority" / c.BitsInteger(6),
    ),
    "fid" / c.Int8ub,
    "action" / c.Int8ub,
    "status" / c.Int8ub,
    "pro_cls" / c.BitStruct("pro" / c.BitsInteger(4), "cls" / c.BitsInteger(4)),
)

#: Source (S) or destination (E) address and prefix: 16 + 1 + 3 octets.  The
#: prefix is 8 bits (Figure 1 draws 7; 128 needs 8), then 24 reserved bits.
ADDRESS: Final = c.Struct(
    "address" / c.Bytes(16),
    "tail" / c.BitStruct("prefix" / c.BitsInteger(8), "reserved" / c.BitsInteger(24)),
)

#: Source (F) or destination (L) port range.
PORTS: Final = c.Struct("min" / c.Int16ub, "max" / c.Int16ub)

#: SPI (I).
SPI: Final = c.Struct("spi" / c.Int32ub)

#: Flow label (W): the most significant 20 bits, then 12 reserved bits (the
#: text, three times; Figure 1 draws 28 and 4).
FLOW_LABEL: Final = c.Struct(
    "word" / c.BitStruct("flow_label" / c.BitsInteger(20), "reserved" / c.BitsInteger(12)),
)

#: Protocol and Class of Service (O or T), then 16 reserved bits (Figure 1;
#: the C.S. text's "12 reserved bits" is an erratum).
PROTOCOL_WORD: Final = c.Struct(
    "protocol" / c.Int8ub,
    "class_of_service" / c.Int8ub,
    "reserved" / c.Int16ub,
)

#: Type and Len of a sub-option; Len counts the whole sub-option (§2.2).
SUB_OPTION_HEADER: Final = c.Struct("type" / c.Int8ub, "length" / c.Int8ub)

#: One BID of the BID sub-option, by the profile's ``bid_width``.
BID_ELEMENT: Final = {1: c.Int8ub, 2: c.Int16ub}


# --- derivation of struct formats from the declarations above ---------------


@dataclass(frozen=True)
class Layout:
    """A fixed-size construct ``Struct`` flattened to one ``struct.Struct``.

    ``items`` names each value ``fmt.unpack`` returns; ``bits`` maps each
    bit-field name to ``(item index, shift, mask)``.
    """

    fmt: struct.Struct
    items: tuple[str, ...]
    bits: dict[str, tuple[int, int, int]]

    def shift(self, name: str) -> int:
        return self.bits[name][1]

    def mask(self, name: str) -> int:
        """The field's mask, in place within its word."""
        _, shift, mask = self.bits[name]
        return mask << shift


_FORMAT_OF_BITS: Final = {8: "B", 16: "H", 32: "I"}


def _inner(con: c.Construct) -> c.Construct:
    """Strip the name off a ``"name" / subcon``."""
    return con.subcon if isinstance(con, c.Renamed) else con


def derive(con: c.Construct) -> Layout:
    """Flatten a fixed-size big-endian construct ``Struct`` to a :class:`Layout`.

    Handles exactly what this module declares: big-endian ``FormatField``,
    fixed ``Bytes`` and ``BitStruct`` of 8, 16 or 32 bits made of
    ``BitsInteger`` and ``Flag``.  Anything else is a ``TypeError``, so a new
    declaration that the fast path cannot mirror fails at import, not later.
    """
    if not isinstance(con, c.Struct):
        raise TypeError(f"derive() takes a construct Struct, not {con!r}")
    fmt = ">"
    items: list[str] = []
    bits: dict[str, tuple[int, int, int]] = {}
    for sub in con.subcons:
        name = sub.name
        inner = _inner(sub)
        if isinstance(inner, c.FormatField):
            if inner.fmtstr[0] != ">":
                raise TypeError(f"{name}: only big-endian fields, not {inner.fmtstr!r}")
            fmt += inner.fmtstr[1:]
        elif isinstance(inner, c.Bytes) and isinstance(inner.length, int):
            fmt += f"{inner.length}s"
        elif isinstance(inner, c.Transformed) and isinstance(inner.subcon, c.Struct):
            width = 0
            fields: list[tuple[str, int]] = []
            for bitfield in inner.subcon.subcons:
                b = _inner(bitfield)
                if isinstance(b, c.BitsInteger) and isinstance(b.length, int):
                    n = b.length
                elif isinstance(b, c.Flag.__class__):
                    n = 1
                else:
                    raise TypeError(f"{name}.{bitfield.name}: unsupported bit field {b!r}")
                fields.append((bitfield.name, n))
                width += n
            if width not in _FORMAT_OF_BITS:
                raise TypeError(f"{name}: a BitStruct of {width} bits")
            fmt += _FORMAT_OF_BITS[width]
            pos = width
            for field_name, n in fields:
                pos -= n
                bits[field_name] = (len(items), pos, (1 << n) - 1)
        else:
            raise TypeError(f"{name}: derive() cannot mirror {inner!r}")
        items.append(name)
    layout = Layout(struct.Struct(fmt), tuple(items), bits)
    if layout.fmt.size != con.sizeof():
        raise TypeError(f"derived {fmt!r} is {layout.fmt.size} octets, the schema {con.sizeof()}")
    return layout


@dataclass(frozen=True)
class FieldSpec:
    """One flag-driven field: the model attribute, its flags and its layout."""

    name: str
    #: The field is present when any of these flags is set.
    flags: Flag
    con: c.Construct
    layout: Layout

    @property
    def size(self) -> int:
        return self.layout.fmt.size


def _spec(name: str, flags: Flag, con: c.Construct) -> FieldSpec:
    return FieldSpec(name, flags, con, derive(con))


#: The flag-driven fields in Figure 1 order, which is not the order of the
#: flags: I (SPI) comes before W (flow label), and one word serves O and T.
FIELDS: Final = (
    _spec("source", Flag.S, ADDRESS),
    _spec("destination", Flag.E, ADDRESS),
    _spec("source_ports", Flag.F, PORTS),
    _spec("destination_ports", Flag.L, PORTS),
    _spec("spi", Flag.I, SPI),
    _spec("flow_label", Flag.W, FLOW_LABEL),
    _spec("protocol", Flag.O | Flag.T, PROTOCOL_WORD),
)

HEADER_LAYOUT: Final = derive(HEADER)
SUB_OPTION_HEADER_LAYOUT: Final = derive(SUB_OPTION_HEADER)
#: struct format character of one BID, by width.
BID_FORMAT: Final = {w: con.fmtstr[1:] for w, con in BID_ELEMENT.items()}


def fields_size(flags: int) -> int:
    """Octets that the fields announced by ``flags`` take (interpretation §3)."""
    return sum(spec.size for spec in FIELDS if flags & spec.flags)


#: ``FIELDS_SIZE[word >> 8]``: the fields' size for each setting of S..I, which
#: are the high octet of the flags/PRI word.
FIELDS_SIZE: Final = tuple(fields_size(high << 8) for high in range(256))
