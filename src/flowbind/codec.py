"""Decode and encode one Flow Identification option, fast and exactly.

The layout comes from :mod:`flowbind.schema`: the ``struct`` formats, shifts
and masks below are derived from its construct declarations at import time,
and the tests prove this codec equal to the construct-driven
:mod:`flowbind.reference` codec on valid and malformed input.

The checks follow interpretation §6, in its order; decode raises nothing but
:class:`~flowbind.errors.DecodeError` on any bytes.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from typing import Final

from .enums import ALL_FLAGS, CLS_FLOW, PRIORITY_MASK, Flag, SubOptionType
from .errors import DecodeError, EncodeError
from .model import (
    _ACTION,
    _PRO,
    _STATUS,
    MAX_PREFIX,
    AddressPrefix,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    SubOption,
    UnknownSubOption,
    _as_octets,
)
from .profile import DRAFT_02, HEADER_SIZE, LengthUnit, Profile
from .schema import (
    BID_FORMAT,
    FIELDS,
    FIELDS_SIZE,
    HEADER_LAYOUT,
    SUB_OPTION_HEADER_LAYOUT,
)

__all__ = ["decode", "encode", "encoded_size", "iter_options"]

Buffer = bytes | bytearray | memoryview

# --- constants derived from the schema ----------------------------------------

_HDR: Final = HEADER_LAYOUT.fmt
_SPEC = {spec.name: spec for spec in FIELDS}
_ADDR: Final = _SPEC["source"].layout
_PORTS: Final = _SPEC["source_ports"].layout
_SPI: Final = _SPEC["spi"].layout
_LABEL: Final = _SPEC["flow_label"].layout
_WORD: Final = _SPEC["protocol"].layout
_SIZE = {name: spec.size for name, spec in _SPEC.items()}

_PRO_SHIFT: Final = HEADER_LAYOUT.shift("pro")
_CLS_MASK: Final = HEADER_LAYOUT.bits["cls"][2]
_PRI_MASK: Final = HEADER_LAYOUT.bits["priority"][2]
_PREFIX_SHIFT: Final = _ADDR.shift("prefix")
_RES_MASK: Final = _ADDR.bits["reserved"][2]
_LABEL_SHIFT: Final = _LABEL.shift("flow_label")
_RES3_MASK: Final = _LABEL.bits["reserved"][2]
#: Offset of the prefix octet within an address field.
_PREFIX_AT: Final = _ADDR.fmt.size - 4
_SUB_HDR: Final = SUB_OPTION_HEADER_LAYOUT.fmt.size

_S, _E, _F, _L, _O, _W, _T, _I = (
    int(f) for f in (Flag.S, Flag.E, Flag.F, Flag.L, Flag.O, Flag.W, Flag.T, Flag.I)
)
_OT: Final = _O | _T
_ALL: Final = int(ALL_FLAGS)
_BID: Final = int(SubOptionType.BID)

assert _PRI_MASK == PRIORITY_MASK and HEADER_LAYOUT.mask("S") == _S and HEADER_LAYOUT.mask("H") == int(Flag.H)

_unpack_hdr = _HDR.unpack_from
_pack_hdr = _HDR.pack
_pack_addr = _ADDR.fmt.pack
_pack_ports = _PORTS.fmt.pack
_pack_spi = _SPI.fmt.pack
_pack_label = _LABEL.fmt.pack
_pack_word = _WORD.fmt.pack
_new = object.__new__
_EIGHT = LengthUnit.EIGHT_OCTET

_flag_cache: dict[int, Flag] = {}

#: The first non-zero octet of a run (sub-option padding is zero octets).
_NONZERO: Final = re.compile(b"[^\\x00]")

#: Each PRO, Action and Status value as its enum member, or as itself when unknown.
_PRO_OF: Final = tuple(_PRO.get(v, v) for v in range(16))
_ACTION_OF: Final = tuple(_ACTION.get(v, v) for v in range(256))
_STATUS_OF: Final = tuple(_STATUS.get(v, v) for v in range(256))

#: The largest tail word (prefix octet + 24 reserved bits) with a valid prefix.
_PREFIX_LIMIT: Final = ((MAX_PREFIX + 1) << _PREFIX_SHIFT) - 1

#: ``_COMBO[high]``: one struct for the header and every field that the S..I
#: flags in ``high`` (the third octet) announce, in Figure 1 order, derived
#: from the schema's layouts.
_COMBO: Final = tuple(
    struct.Struct(
        _HDR.format + "".join(spec.layout.fmt.format[1:] for spec in FIELDS if (high << 8) & spec.flags)
    )
    for high in range(256)
)


def _prefix_error(off: int, tail: int) -> DecodeError:
    prefix = tail >> _PREFIX_SHIFT
    return DecodeError("value", off + _PREFIX_AT, f"prefix length {prefix} is above {MAX_PREFIX}")


def _flags(bits: int) -> Flag:
    flag = _flag_cache.get(bits)
    if flag is None:
        flag = _flag_cache[bits] = Flag(bits)
    return flag


def _address(packed: bytes, tail: int, off: int) -> AddressPrefix:
    """The address field at ``off`` from its unpacked octets and tail word."""
    if tail > _PREFIX_LIMIT:
        raise _prefix_error(off, tail)
    ap = _new(AddressPrefix)
    # ``address`` itself is made from ``_packed`` on first access (model._Lazy).
    d = ap.__dict__
    d["_packed"] = packed
    d["prefix"] = tail >> _PREFIX_SHIFT
    d["reserved"] = tail & _RES_MASK
    return ap


def _ports(lo: int, hi: int) -> PortRange:
    pr = _new(PortRange)
    d = pr.__dict__
    d["min"] = lo
    d["max"] = hi
    return pr


def _octets(n: int) -> str:
    return "1 octet" if n == 1 else f"{n} octets"


def _decode_at(buf: bytes, start: int, profile: Profile) -> tuple[FlowIdentification, int]:
    """Decode the option at ``buf[start:]``; return it and the offset after it.

    Offsets in errors count from the start of ``buf``.
    """
    limit = len(buf)
    if start >= limit:
        raise DecodeError("truncated", limit, "no octets where an option should start")
    if buf[start] != profile.option_type:
        raise DecodeError("type", start, f"option type {buf[start]}, not the profile's {profile.option_type}")
    if start + 1 >= limit:
        raise DecodeError("truncated", limit, "the buffer ends before the Option Len octet")
    ln = buf[start + 1]
    size = ln * 8 if profile.length_unit is _EIGHT else ln + 2
    if size < HEADER_SIZE:
        raise DecodeError(
            "length", start + 1, f"Option Len {ln} gives {size} octets, fewer than the 8-octet header"
        )
    end = start + size
    if end > limit:
        raise DecodeError(
            "truncated", limit, f"Option Len {ln} gives {size} octets; the buffer holds {limit - start}"
        )
    pc = buf[start + 7]
    cls = pc & _CLS_MASK
    off = start + HEADER_SIZE
    if size == HEADER_SIZE or cls != CLS_FLOW:
        v = _unpack_hdr(buf, start)
    else:
        high = buf[start + 2]
        need = FIELDS_SIZE[high]
        if HEADER_SIZE + need > size:
            raise DecodeError(
                "length",
                start + 1,
                f"flags {_flags((high << 8) & _ALL)} announce {need} octets of fields; "
                f"Option Len {ln} leaves {size - HEADER_SIZE}",
            )
        v = _COMBO[high].unpack_from(buf, start)
    w = v[2]
    act = v[4]
    st = v[5]
    pro = pc >> _PRO_SHIFT
    # Only what differs from the model's class-level defaults goes in the
    # instance dict (the dataclass fields' defaults are class attributes).
    flags = _flag_cache.get(w & _ALL)
    if flags is None:
        flags = _flags(w & _ALL)
    opt = _new(FlowIdentification)
    d: dict[str, object] = opt.__dict__
    d["fid"] = v[3]
    d["pro"] = _PRO_OF[pro]
    d["action"] = _ACTION_OF[act]
    d["priority"] = w & _PRI_MASK
    d["status"] = _STATUS_OF[st]
    d["cls"] = cls
    d["flags"] = flags
    d["_option_type"] = profile.option_type
    d["_length"] = ln
    if cls != CLS_FLOW:
        d["opaque"] = buf[off:end]
    elif size > HEADER_SIZE:
        i = 7
        if w & _S:
            d["source"] = _address(v[7], v[8], off)
            off += 20
            i = 9
        if w & _E:
            d["destination"] = _address(v[i], v[i + 1], off)
            off += 20
            i += 2
        if w & _F:
            d["source_ports"] = _ports(v[i], v[i + 1])
            off += 4
            i += 2
        if w & _L:
            d["destination_ports"] = _ports(v[i], v[i + 1])
            off += 4
            i += 2
        if w & _I:
            d["spi"] = v[i]
            off += 4
            i += 1
        if w & _W:
            label = v[i]
            d["flow_label"] = label >> _LABEL_SHIFT
            if label & _RES3_MASK:
                d["res3"] = label & _RES3_MASK
            off += 4
            i += 1
        if w & _OT:
            proto, cos, res4 = v[i], v[i + 1], v[i + 2]
            if res4:
                d["res4"] = res4
            if w & _O:
                d["protocol"] = proto
            elif proto:
                d["ignored_protocol"] = proto
            if w & _T:
                d["class_of_service"] = cos
            elif cos:
                d["ignored_class_of_service"] = cos
            off += 4
        if off < end:
            if not buf[off] and buf.count(0, off, end) == end - off:
                # Padding alone (a fast path: _sub_options reads such an area the same way);
                # the unit's own padding is not part of the value.
                extra = end - off if profile.length_unit is not _EIGHT else (end - off) & ~7
                if extra:
                    d["padding"] = extra
            else:
                _sub_options(buf, off, end, profile, d)
    return opt, end


def _sub_options(buf: bytes, off: int, end: int, profile: Profile, d: dict[str, object]) -> None:
    """Read the sub-option area ``buf[off:end]`` into ``d`` (interpretation §4)."""
    subs: list[SubOption] = []
    # Zeros before each sub-option, kept only once some sub-option has any.
    pads: list[int] | None = None
    zeros = 0
    width = profile.bid_width
    while off < end:
        ty = buf[off]
        if not ty:
            # A run of zeros: the tail of the area at once, or up to the next sub-option.
            # (``zeros`` is 0 here: a run is read whole, and a sub-option ends it.)
            rest = end - off
            if buf.count(0, off, end) == rest:
                zeros = rest
                break
            run = _NONZERO.search(buf, off, end).start() - off  # type: ignore[union-attr]
            zeros = run
            off += run
            continue
        if off + 1 >= end:
            raise DecodeError(
                "sub-option", off, f"sub-option type {ty} has no Len octet before the option ends"
            )
        sl = buf[off + 1]
        if sl < _SUB_HDR:
            raise DecodeError("sub-option", off, f"sub-option Len {sl} is below 2 (it counts Type and Len)")
        if off + sl > end:
            raise DecodeError(
                "sub-option", off, f"sub-option Len {sl} runs {_octets(off + sl - end)} past the option's end"
            )
        sub: SubOption
        if ty == _BID:
            sub = _new(BIDSubOption)
            if width == 1:
                # ``bids`` is made from the octets on first access (model._Lazy).
                sub.__dict__["_raw"] = buf[off + 2 : off + sl]
            else:
                n = sl - _SUB_HDR
                if n % width:
                    raise DecodeError(
                        "sub-option",
                        off,
                        f"BID sub-option data of {_octets(n)} is not a multiple of the {width}-octet BID",
                    )
                sub.__dict__["bids"] = _unpack_bids(buf, off + 2, n // width)
        else:
            sub = _new(UnknownSubOption)
            sd = sub.__dict__
            sd["type"] = ty
            sd["data"] = buf[off + 2 : off + sl]
        if zeros:
            if pads is None:
                pads = [0] * len(subs)
            pads.append(zeros)
            zeros = 0
        elif pads is not None:
            pads.append(0)
        subs.append(sub)
        off += sl
    if subs:
        d["sub_options"] = tuple(subs)
    if pads is not None:
        while not pads[-1]:
            pads.pop()
        d["pad_before"] = tuple(pads)
    # The unit's own padding is not part of the value; only what is beyond it.
    extra = zeros if profile.length_unit is not _EIGHT else zeros & ~7
    if extra:
        d["padding"] = extra


def _unpack_bids(buf: bytes, off: int, count: int) -> tuple[int, ...]:
    return struct.unpack_from(f">{count}{BID_FORMAT[2]}", buf, off)


def decode(data: Buffer, profile: Profile = DRAFT_02, *, strict: bool = False) -> FlowIdentification:
    """Decode exactly one option from ``data``.

    Raises :class:`~flowbind.errors.DecodeError` (and nothing else) for any
    bytes that are not one option under ``profile``, ``TypeError`` for a
    ``data`` that is not bytes-like.  With ``strict=True`` it also raises
    :class:`~flowbind.errors.ValidationError` for an option that
    :func:`flowbind.validate` (role ``"ha"``, message ``"bu"``) reports any
    error or warning for.

    >>> decode(bytes.fromhex("12022001010100010016001600000000"))
    FlowIdentification(fid=1, pro=ADD, action=FORWARD, priority=1, flags=F, source_ports=22)
    """
    buf = data if type(data) is bytes else _as_octets(data, "decode()")
    opt, end = _decode_at(buf, 0, profile)
    if end != len(buf):
        raise DecodeError("trailing", end, f"{_octets(len(buf) - end)} after the option's {end}")
    if strict:
        from .checks import validate
        from .errors import ValidationError

        findings = validate(opt, role="ha", message="bu", profile=profile)
        if findings:
            raise ValidationError(findings)
    return opt


def iter_options(
    data: Buffer, profile: Profile = DRAFT_02, start: int = 0
) -> Iterator[tuple[int, FlowIdentification]]:
    """Yield ``(offset, option)`` for consecutive options filling ``data[start:]``.

    Every option must be of the profile's type; a fault raises
    :class:`~flowbind.errors.DecodeError` with offsets counted from the
    start of ``data``, after the options before it were yielded.  The
    buffer is copied, and ``start`` checked (``ValueError``), by the call
    itself, not at the first ``next()``: a buffer changed afterwards is not
    seen.
    """
    buf = _as_octets(data, "iter_options()")
    if isinstance(start, bool) or not isinstance(start, int) or not 0 <= start <= len(buf):
        raise ValueError(f"start must be an offset 0..{len(buf)} into the buffer, not {start!r}")
    return _walk(buf, start, profile)


def _walk(buf: bytes, off: int, profile: Profile) -> Iterator[tuple[int, FlowIdentification]]:
    while off < len(buf):
        opt, end = _decode_at(buf, off, profile)
        yield off, opt
        off = end


# --- encode -----------------------------------------------------------------


def encode(option: FlowIdentification, profile: Profile = DRAFT_02) -> bytes:
    """The wire form of ``option`` under ``profile``.

    Reserved bits, ignored octets and padding are written as the value holds
    them (zero unless decoded otherwise), with the least padding the length
    unit needs.  Raises :class:`~flowbind.errors.EncodeError` for what the
    profile cannot carry; nothing is masked or truncated.

    >>> encode(FlowIdentification(fid=5, priority=1, pro=2)).hex()
    '1201000105010021'
    """
    if not isinstance(option, FlowIdentification):
        raise TypeError(f"encode() takes a FlowIdentification, not {type(option).__name__}")
    try:
        return _encode(option, profile)
    except struct.error as exc:  # only a value made by bypassing validation gets here
        raise EncodeError("option", f"a field is out of range: {exc}") from exc


def _encode(o: FlowIdentification, profile: Profile) -> bytes:
    cls = o.cls
    body: bytes
    if cls != CLS_FLOW:
        body = o.opaque or b""
    else:
        parts: list[bytes] = []
        src = o.source
        if src is not None:
            parts.append(_pack_addr(_packed(src), (src.prefix << _PREFIX_SHIFT) | src.reserved))
        dst = o.destination
        if dst is not None:
            parts.append(_pack_addr(_packed(dst), (dst.prefix << _PREFIX_SHIFT) | dst.reserved))
        sp = o.source_ports
        if sp is not None:
            parts.append(_pack_ports(sp.min, sp.max))
        dp = o.destination_ports
        if dp is not None:
            parts.append(_pack_ports(dp.min, dp.max))
        if o.spi is not None:
            parts.append(_pack_spi(o.spi))
        if o.flow_label is not None:
            parts.append(_pack_label((o.flow_label << _LABEL_SHIFT) | o.res3))
        proto = o.protocol
        cos = o.class_of_service
        if proto is not None or cos is not None:
            parts.append(
                _pack_word(
                    o.ignored_protocol if proto is None else proto,
                    o.ignored_class_of_service if cos is None else cos,
                    o.res4,
                )
            )
        subs = o.sub_options
        if subs:
            parts.append(_encode_sub_options(subs, o.pad_before, profile))
        body = b"".join(parts)
        padding = o.padding
        if padding:
            if padding % profile._granule:
                raise EncodeError(
                    "padding",
                    f"{padding} octets of extra padding: the {profile.length_unit} unit "
                    "needs a multiple of 8",
                )
            body += bytes(padding)
    size = HEADER_SIZE + len(body)
    if profile.length_unit is _EIGHT:
        rem = size % 8
        if rem:
            if cls != CLS_FLOW:
                raise EncodeError(
                    "opaque",
                    f"an opaque body of {len(body)} octets makes a {size}-octet option; "
                    "the 8-octet unit needs a multiple of 8 and opaque octets are not padded",
                )
            body += bytes(8 - rem)
            size += 8 - rem
    if size > profile._max_size:
        raise EncodeError(
            "length",
            f"the option needs {size} octets; Option Len in {profile.length_unit} units "
            f"frames at most {profile.max_size}",
        )
    flags = int(o.flags)
    pri = o.priority
    if pri > _PRI_MASK or cls > _CLS_MASK or flags & ~_ALL:
        # Only a value forced past the model's validation gets here.
        raise EncodeError("option", "priority, CLS or flags out of range: the value bypassed validation")
    header: bytes = _pack_hdr(
        profile.option_type,
        size // 8 if profile.length_unit is _EIGHT else size - 2,
        flags | pri,
        o.fid,
        o.action,
        o.status,
        (o.pro << _PRO_SHIFT) | cls,
    )
    return header + body


def _packed(ap: AddressPrefix) -> bytes:
    """The 16 octets of the address, without making it if decode left them."""
    raw: bytes | None = ap.__dict__.get("_packed")
    return raw if raw is not None else ap.address.packed


def _encode_sub_options(subs: tuple[SubOption, ...], pads: tuple[int, ...], profile: Profile) -> bytes:
    width = profile.bid_width
    out = bytearray()
    for i, sub in enumerate(subs):
        if i < len(pads):
            out += bytes(pads[i])
        if isinstance(sub, BIDSubOption):
            bids = sub.bids
            sl = _SUB_HDR + width * len(bids)
            if sl > 255:
                raise EncodeError(
                    f"sub_options[{i}]",
                    f"{len(bids)} BIDs of {width} octets need Len {sl}; a sub-option's Len is one octet",
                )
            out += bytes((_BID, sl))
            if width == 1:
                try:
                    out += bytes(bids)
                except ValueError:
                    j = next(j for j, b in enumerate(bids) if b > 255)
                    raise EncodeError(
                        f"sub_options[{i}].bids[{j}]",
                        f"BID {bids[j]} does not fit the profile's 1-octet BID",
                    ) from None
            else:
                for b in bids:
                    out += b.to_bytes(2, "big")
        elif isinstance(sub, UnknownSubOption):
            out += bytes((sub.type, _SUB_HDR + len(sub.data)))
            out += sub.data
    return bytes(out)


def encoded_size(option: FlowIdentification, profile: Profile = DRAFT_02) -> int:
    """Octets :func:`encode` writes for ``option`` under ``profile``."""
    return len(encode(option, profile))
