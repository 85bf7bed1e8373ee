"""The Mobility Header's wire layouts, declared once with construct.

RFC 6275 §6.1 (the header, the Binding Update and the Binding
Acknowledgement), §6.2 (the mobility options flowbind names) and RFC 5648
§6.1 (the Binding Identifier option).  As in :mod:`flowbind.schema`, reserved
bits are named fields (never ``Padding``) so that decode keeps them, and
:mod:`flowbind.mobility` runs on ``struct`` formats derived from these
declarations by :func:`flowbind.schema.derive` when it is imported.

The IPv6 headers that :mod:`flowbind.capture` walks to reach the Mobility
Header are declared here too.
"""

from __future__ import annotations

from typing import Final

import construct as c

from .schema import Layout, derive

__all__ = [
    "ALTERNATE_COA",
    "BINDING_ACK",
    "BINDING_IDENTIFIER",
    "BINDING_REFRESH_ADVICE",
    "BINDING_UPDATE",
    "EXTENSION_HEADER",
    "FRAGMENT_HEADER",
    "HOME_ADDRESS_OPTION",
    "IPV6_HEADER",
    "MH_HEADER",
    "MOBILITY_OPTION_HEADER",
    "ROUTING_TYPE2",
]

#: RFC 6275 §6.1.1: the 6 octets every Mobility Header message starts with.
#: Header Len counts 8-octet units after the first 8 octets of the message.
MH_HEADER: Final = c.Struct(
    "payload_proto" / c.Int8ub,
    "header_len" / c.Int8ub,
    "mh_type" / c.Int8ub,
    "reserved" / c.Int8ub,
    "checksum" / c.Int16ub,
)

#: RFC 6275 §6.1.7 (flags A H L K) and RFC 5380 (M), after the MH header.
#: The other 11 bits are reserved here (RFC 3963's R and RFC 5213's P are
#: among them) and kept as received.
BINDING_UPDATE: Final = c.Struct(
    "sequence" / c.Int16ub,
    "word"
    / c.BitStruct(
        "A" / c.Flag,
        "H" / c.Flag,
        "L" / c.Flag,
        "K" / c.Flag,
        "M" / c.Flag,
        "reserved" / c.BitsInteger(11),
    ),
    #: 4-second units.
    "lifetime" / c.Int16ub,
)

#: RFC 6275 §6.1.8, after the MH header: Status, K and 7 reserved bits
#: (RFC 3963's R and RFC 5213's P among them), Sequence, Lifetime.
BINDING_ACK: Final = c.Struct(
    "status" / c.Int8ub,
    "word" / c.BitStruct("K" / c.Flag, "reserved" / c.BitsInteger(7)),
    "sequence" / c.Int16ub,
    #: 4-second units.
    "lifetime" / c.Int16ub,
)

#: RFC 6275 §6.2.1: Type and Length of every option but Pad1; Length counts
#: the octets after it.
MOBILITY_OPTION_HEADER: Final = c.Struct("type" / c.Int8ub, "length" / c.Int8ub)

#: RFC 6275 §6.2.4, type 2, Length 2: the refresh interval in 4-second units.
BINDING_REFRESH_ADVICE: Final = c.Struct("interval" / c.Int16ub)

#: RFC 6275 §6.2.5, type 3, Length 16.
ALTERNATE_COA: Final = c.Struct("address" / c.Bytes(16))

#: RFC 5648 §6.1, type 35: BID, Status, H and 7 more bits (reserved in RFC
#: 5648, BID-PRI in RFC 6089), then an optional IPv4 or IPv6 care-of address
#: (Length 4, 8 or 20).
BINDING_IDENTIFIER: Final = c.Struct(
    "bid" / c.Int16ub,
    "status" / c.Int8ub,
    "word" / c.BitStruct("H" / c.Flag, "reserved" / c.BitsInteger(7)),
)

#: RFC 8200 §3: the fixed IPv6 header.
IPV6_HEADER: Final = c.Struct(
    "word"
    / c.BitStruct(
        "version" / c.BitsInteger(4),
        "traffic_class" / c.BitsInteger(8),
        "flow_label" / c.BitsInteger(20),
    ),
    "payload_length" / c.Int16ub,
    "next_header" / c.Int8ub,
    "hop_limit" / c.Int8ub,
    "source" / c.Bytes(16),
    "destination" / c.Bytes(16),
)

#: RFC 8200 §4.3-§4.6: Next Header and Hdr Ext Len (8-octet units after the
#: first 8) of the hop-by-hop, routing and destination options headers.
EXTENSION_HEADER: Final = c.Struct("next_header" / c.Int8ub, "length" / c.Int8ub)

#: RFC 8200 §4.5.
FRAGMENT_HEADER: Final = c.Struct(
    "next_header" / c.Int8ub,
    "reserved" / c.Int8ub,
    "word" / c.BitStruct("offset" / c.BitsInteger(13), "res" / c.BitsInteger(2), "M" / c.Flag),
    "identification" / c.Int32ub,
)

#: RFC 6275 §6.4: the type 2 routing header (Hdr Ext Len 2, Segments Left 1).
ROUTING_TYPE2: Final = c.Struct(
    "next_header" / c.Int8ub,
    "length" / c.Int8ub,
    "routing_type" / c.Int8ub,
    "segments_left" / c.Int8ub,
    "reserved" / c.Int32ub,
    "home_address" / c.Bytes(16),
)

#: RFC 6275 §6.3: the Home Address destination option (type 201, Length 16).
HOME_ADDRESS_OPTION: Final = c.Struct("type" / c.Int8ub, "length" / c.Int8ub, "home_address" / c.Bytes(16))

MH_HEADER_LAYOUT: Final[Layout] = derive(MH_HEADER)
BINDING_UPDATE_LAYOUT: Final[Layout] = derive(BINDING_UPDATE)
BINDING_ACK_LAYOUT: Final[Layout] = derive(BINDING_ACK)
MOBILITY_OPTION_HEADER_LAYOUT: Final[Layout] = derive(MOBILITY_OPTION_HEADER)
BINDING_REFRESH_ADVICE_LAYOUT: Final[Layout] = derive(BINDING_REFRESH_ADVICE)
ALTERNATE_COA_LAYOUT: Final[Layout] = derive(ALTERNATE_COA)
BINDING_IDENTIFIER_LAYOUT: Final[Layout] = derive(BINDING_IDENTIFIER)
IPV6_HEADER_LAYOUT: Final[Layout] = derive(IPV6_HEADER)
EXTENSION_HEADER_LAYOUT: Final[Layout] = derive(EXTENSION_HEADER)
FRAGMENT_HEADER_LAYOUT: Final[Layout] = derive(FRAGMENT_HEADER)
ROUTING_TYPE2_LAYOUT: Final[Layout] = derive(ROUTING_TYPE2)
HOME_ADDRESS_OPTION_LAYOUT: Final[Layout] = derive(HOME_ADDRESS_OPTION)
