"""A plain scapy layer of the Flow Identification option, for comparison only.

This is how the option is usually written with scapy: conditional fields keyed
on the flags, Figure 1 order, BID sub-options as a packet list.  It is *not*
flowbind's scapy integration; it exists so the benchmarks can say how fast a
typical scapy dissection of the same bytes is (DRAFT_02 profile).
"""

from __future__ import annotations

from typing import Any

from scapy.fields import (
    BitField,
    ByteField,
    ConditionalField,
    FieldLenField,
    IntField,
    IP6Field,
    PacketListField,
    ShortField,
    StrLenField,
    X3BytesField,
)
from scapy.packet import Packet


class FlowSubOption(Packet):
    name = "Flow Identification sub-option"
    fields_desc = [  # noqa: RUF012 - scapy's convention
        ByteField("stype", 1),
        FieldLenField("slen", None, length_of="data", fmt="B", adjust=lambda pkt, x: x + 2),
        StrLenField("data", b"", length_from=lambda pkt: pkt.slen - 2),
    ]

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s


def _subs(pkt: Any, lst: Any, cur: Any, remain: bytes) -> Any:
    if not remain or remain[0] == 0:
        return None
    return FlowSubOption


class FlowIdentificationScapy(Packet):
    name = "Flow Identification option"
    fields_desc = [  # noqa: RUF012 - scapy's convention
        ByteField("otype", 18),
        ByteField("olen", None),
        BitField("S", 0, 1),
        BitField("E", 0, 1),
        BitField("F", 0, 1),
        BitField("L", 0, 1),
        BitField("O", 0, 1),
        BitField("W", 0, 1),
        BitField("T", 0, 1),
        BitField("I", 0, 1),
        BitField("R", 0, 1),
        BitField("H", 0, 1),
        BitField("pri", 0, 6),
        ByteField("fid", 0),
        ByteField("action", 1),
        ByteField("status", 0),
        BitField("pro", 0, 4),
        BitField("cls", 1, 4),
        ConditionalField(IP6Field("src", "::"), lambda p: p.S and p.olen > 1),
        ConditionalField(ByteField("src_prefix", 128), lambda p: p.S and p.olen > 1),
        ConditionalField(X3BytesField("res1", 0), lambda p: p.S and p.olen > 1),
        ConditionalField(IP6Field("dst", "::"), lambda p: p.E and p.olen > 1),
        ConditionalField(ByteField("dst_prefix", 128), lambda p: p.E and p.olen > 1),
        ConditionalField(X3BytesField("res2", 0), lambda p: p.E and p.olen > 1),
        ConditionalField(ShortField("sport_min", 0), lambda p: p.F and p.olen > 1),
        ConditionalField(ShortField("sport_max", 0), lambda p: p.F and p.olen > 1),
        ConditionalField(ShortField("dport_min", 0), lambda p: p.L and p.olen > 1),
        ConditionalField(ShortField("dport_max", 0), lambda p: p.L and p.olen > 1),
        ConditionalField(IntField("spi", 0), lambda p: p.I and p.olen > 1),
        ConditionalField(BitField("flow_label", 0, 20), lambda p: p.W and p.olen > 1),
        ConditionalField(BitField("res3", 0, 12), lambda p: p.W and p.olen > 1),
        ConditionalField(ByteField("protocol", 0), lambda p: (p.O or p.T) and p.olen > 1),
        ConditionalField(ByteField("cos", 0), lambda p: (p.O or p.T) and p.olen > 1),
        ConditionalField(ShortField("res4", 0), lambda p: (p.O or p.T) and p.olen > 1),
        PacketListField("subopts", [], next_cls_cb=_subs),
        StrLenField("pad", b"", length_from=lambda p: 0),
    ]

    def extract_padding(self, s: bytes) -> tuple[bytes, bytes]:
        return b"", s

    def post_build(self, p: bytes, pay: bytes) -> bytes:
        p += b"\0" * (-len(p) % 8)
        if self.olen is None:
            p = p[:1] + bytes((len(p) // 8,)) + p[2:]
        return p + pay
