"""The reference codec: the same rules, read straight off the construct schema.

It parses and builds each piece with the declarations of
:mod:`flowbind.schema` and makes values through the model's validating
constructors.  It is slow, written for clarity, and exists so that the fast
codec in :mod:`flowbind.codec` can be proven equal to the schema (the tests
compare both on valid and malformed input).  Its public functions have the
signatures of :func:`flowbind.decode` and :func:`flowbind.encode`.
"""

from __future__ import annotations

import ipaddress
from typing import Any

import construct as c

from .enums import CLS_FLOW, FLAG_ORDER, Flag, SubOptionType
from .errors import DecodeError, EncodeError
from .model import (
    MAX_PREFIX,
    AddressPrefix,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    SubOption,
    UnknownSubOption,
    _as_octets,
)
from .profile import DRAFT_02, HEADER_SIZE, Profile
from .schema import (
    ADDRESS,
    BID_ELEMENT,
    FIELDS,
    FLOW_LABEL,
    HEADER,
    PORTS,
    PROTOCOL_WORD,
    SPI,
    SUB_OPTION_HEADER,
)

__all__ = ["decode", "encode"]


def _flags_of(word: Any) -> Flag:
    out = Flag(0)
    for flag in FLAG_ORDER:
        if word[flag.name]:
            out |= flag
    return out


def decode(data: bytes | bytearray | memoryview, profile: Profile = DRAFT_02) -> FlowIdentification:
    """Decode exactly one option (reference implementation)."""
    buf = _as_octets(data, "reference.decode()")
    n = len(buf)
    # Interpretation §6, in order.
    if n == 0:
        raise DecodeError("truncated", 0, "empty input")
    if buf[0] != profile.option_type:
        raise DecodeError("type", 0, f"option type {buf[0]}")
    if n < 2:
        raise DecodeError("truncated", n, "no Option Len octet")
    size = profile.option_size(buf[1])
    if size < HEADER_SIZE:
        raise DecodeError("length", 1, f"Option Len {buf[1]} gives {size} octets")
    if n < size:
        raise DecodeError("truncated", n, f"the option needs {size} octets")
    header = HEADER.parse(buf[:HEADER_SIZE])
    flags = _flags_of(header.word)
    cls = header.pro_cls.cls
    fields: dict[str, Any] = {}
    subs: list[SubOption] = []
    pads: list[int] = []
    padding = 0
    opaque = None
    if cls != CLS_FLOW:
        opaque = buf[HEADER_SIZE:size]
    elif size > HEADER_SIZE:
        need = sum(spec.size for spec in FIELDS if flags & spec.flags)
        if HEADER_SIZE + need > size:
            raise DecodeError("length", 1, f"the flags need {need} octets of fields")
        stream = c.Container()
        off = HEADER_SIZE
        for spec in FIELDS:
            if flags & spec.flags:
                stream[spec.name] = (off, spec.con.parse(buf[off : off + spec.size]))
                off += spec.size
        for name in ("source", "destination"):
            if name in stream:
                at, raw = stream[name]
                if raw.tail.prefix > MAX_PREFIX:
                    raise DecodeError("value", at + 16, f"prefix {raw.tail.prefix}")
                fields[name] = AddressPrefix(
                    ipaddress.IPv6Address(raw.address), raw.tail.prefix, raw.tail.reserved
                )
        for name in ("source_ports", "destination_ports"):
            if name in stream:
                raw = stream[name][1]
                fields[name] = PortRange(raw.min, raw.max)
        if "spi" in stream:
            fields["spi"] = stream["spi"][1].spi
        if "flow_label" in stream:
            raw = stream["flow_label"][1].word
            fields["flow_label"] = raw.flow_label
            fields["res3"] = raw.reserved
        if "protocol" in stream:
            raw = stream["protocol"][1]
            fields["res4"] = raw.reserved
            if flags & Flag.O:
                fields["protocol"] = raw.protocol
            else:
                fields["ignored_protocol"] = raw.protocol
            if flags & Flag.T:
                fields["class_of_service"] = raw.class_of_service
            else:
                fields["ignored_class_of_service"] = raw.class_of_service
        zeros = 0
        element = BID_ELEMENT[profile.bid_width]
        while off < size:
            if buf[off] == 0:
                zeros += 1
                off += 1
                continue
            if off + 2 > size:
                raise DecodeError("sub-option", off, "no Len octet")
            sh = SUB_OPTION_HEADER.parse(buf[off : off + 2])
            if sh.length < 2:
                raise DecodeError("sub-option", off, f"Len {sh.length}")
            if off + sh.length > size:
                raise DecodeError("sub-option", off, "runs past the option")
            data = buf[off + 2 : off + sh.length]
            if sh.type == SubOptionType.BID:
                if len(data) % profile.bid_width:
                    raise DecodeError("sub-option", off, "BID data size")
                count = len(data) // profile.bid_width
                subs.append(BIDSubOption(tuple(c.Array(count, element).parse(data))))
            else:
                subs.append(UnknownSubOption(sh.type, data))
            pads.append(zeros)
            zeros = 0
            off += sh.length
        required = (-(size - zeros)) % profile.granule
        padding = zeros - required
    if n > size:
        raise DecodeError("trailing", size, f"{n - size} octets after the option")
    opt = FlowIdentification(
        fid=header.fid,
        pro=header.pro_cls.pro,
        action=header.action,
        priority=header.word.priority,
        status=header.status,
        cls=cls,
        flags=flags,
        sub_options=tuple(subs),
        opaque=opaque,
        pad_before=tuple(pads),
        padding=padding,
        **fields,
    )
    object.__setattr__(opt, "_option_type", header.type)
    object.__setattr__(opt, "_length", header.length)
    return opt


def encode(option: FlowIdentification, profile: Profile = DRAFT_02) -> bytes:
    """The wire form of ``option`` (reference implementation)."""
    body = b""
    if option.cls != CLS_FLOW:
        body = option.opaque or b""
    else:
        for spec in FIELDS:
            if spec.name == "source" and option.source is not None:
                body += _address(option.source)
            elif spec.name == "destination" and option.destination is not None:
                body += _address(option.destination)
            elif spec.name == "source_ports" and option.source_ports is not None:
                body += PORTS.build(dict(min=option.source_ports.min, max=option.source_ports.max))
            elif spec.name == "destination_ports" and option.destination_ports is not None:
                body += PORTS.build(dict(min=option.destination_ports.min, max=option.destination_ports.max))
            elif spec.name == "spi" and option.spi is not None:
                body += SPI.build(dict(spi=option.spi))
            elif spec.name == "flow_label" and option.flow_label is not None:
                body += FLOW_LABEL.build(dict(word=dict(flow_label=option.flow_label, reserved=option.res3)))
            elif spec.name == "protocol" and (
                option.protocol is not None or option.class_of_service is not None
            ):
                body += PROTOCOL_WORD.build(
                    dict(
                        protocol=option.ignored_protocol if option.protocol is None else option.protocol,
                        class_of_service=option.ignored_class_of_service
                        if option.class_of_service is None
                        else option.class_of_service,
                        reserved=option.res4,
                    )
                )
        element = BID_ELEMENT[profile.bid_width]
        for i, sub in enumerate(option.sub_options):
            body += bytes(option.pad_before[i] if i < len(option.pad_before) else 0)
            if isinstance(sub, BIDSubOption):
                data = b""
                for j, bid in enumerate(sub.bids):
                    try:
                        data += element.build(bid)
                    except c.ConstructError:
                        raise EncodeError(f"sub_options[{i}].bids[{j}]", f"BID {bid} too wide") from None
            else:
                data = sub.data
            if len(data) + 2 > 255:
                raise EncodeError(f"sub_options[{i}]", "sub-option too long")
            body += SUB_OPTION_HEADER.build(dict(type=sub.type, length=len(data) + 2)) + data
        if option.padding % profile.granule:
            raise EncodeError("padding", "not a multiple of the unit")
        body += bytes(option.padding)
    size = HEADER_SIZE + len(body)
    rem = (-size) % profile.granule
    if rem and option.cls != CLS_FLOW:
        raise EncodeError("opaque", "opaque body not a multiple of 8")
    body += bytes(rem)
    size += rem
    if size > profile.max_size:
        raise EncodeError("length", f"{size} octets")
    word: dict[str, int] = {str(flag.name): bool(option.flags & flag) for flag in FLAG_ORDER}
    header = HEADER.build(
        dict(
            type=profile.option_type,
            length=profile.length_octet(size),
            word=dict(word, priority=option.priority),
            fid=option.fid,
            action=option.action,
            status=option.status,
            pro_cls=dict(pro=option.pro, cls=option.cls),
        )
    )
    return bytes(header) + body


def _address(ap: AddressPrefix) -> bytes:
    return bytes(
        ADDRESS.build(dict(address=ap.address.packed, tail=dict(prefix=ap.prefix, reserved=ap.reserved)))
    )
