"""flowbind: the Flow Identification option of draft-soliman-monami6-flow-binding-02.

Decode, encode and check the option (and its BID sub-option) that a mobile
node puts in a Mobile IPv6 Binding Update to bind a flow to a care-of address.

>>> import flowbind
>>> opt = flowbind.decode(bytes.fromhex("12022001010100010016001600000000"))
>>> opt.source_ports
PortRange(22, 22)
>>> flowbind.encode(opt).hex()
'12022001010100010016001600000000'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .checks import (
    DEFAULT_CAPABILITIES,
    RULES,
    Capabilities,
    Finding,
    ReceiverState,
    Rule,
    Severity,
    ack_status,
    check_state,
    validate,
)
from .codec import decode, encode, encoded_size, iter_options
from .enums import CLS_FLOW, Action, Flag, Pro, Status, SubOptionType, is_success
from .errors import DecodeError, EncodeError, FlowbindError, ModelError, ValidationError
from .model import (
    AddressPrefix,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    SubOption,
    UnknownSubOption,
    address_text,
)
from .profile import DRAFT_02, DRAFT_02_OCTETS, AckCopy, LengthUnit, Profile

__version__ = "0.1.0"

__all__ = [
    "CLS_FLOW",
    "DEFAULT_CAPABILITIES",
    "DRAFT_02",
    "DRAFT_02_OCTETS",
    "RULES",
    "AckCopy",
    "Action",
    "AddressPrefix",
    "BIDSubOption",
    "Capabilities",
    "DecodeError",
    "EncodeError",
    "Finding",
    "Flag",
    "FlowIdentification",
    "FlowbindError",
    "LengthUnit",
    "ModelError",
    "PortRange",
    "Pro",
    "Profile",
    "ReceiverState",
    "Rule",
    "Severity",
    "Status",
    "SubOption",
    "SubOptionType",
    "UnknownSubOption",
    "ValidationError",
    "__version__",
    "ack_status",
    "address_text",
    "check_state",
    "decode",
    "encode",
    "encoded_size",
    "is_success",
    "iter_options",
    "validate",
]


# Mobility Header messages and captures (flowbind.mobility, flowbind.capture),
# imported on first use so that ``import flowbind`` costs no more than the
# option codec does.
if TYPE_CHECKING:
    from .capture import (
        CaptureError,
        CaptureFileError,
        CaptureStats,
        MobilityFrame,
        OptionRecord,
        capture_options,
        ipv6_packet,
        packet_for,
        read_capture,
        to_dataframe,
        write_pcap,
    )
    from .mobility import (
        AckAnswer,
        AckCheck,
        AlternateCareOfAddress,
        BAFlag,
        BindingAcknowledgement,
        BindingIdentifier,
        BindingRefreshAdvice,
        BindingUpdate,
        BUFlag,
        MessageDecodeError,
        MessageFinding,
        MHType,
        MobilityHeader,
        MobilityOption,
        OtherMessage,
        Pad1,
        PadN,
        UnknownMobilityOption,
        acknowledge,
        build_message,
        check_acknowledgement,
        decode_message,
        encode_message,
        mh_checksum,
    )

_LAZY = {
    "CaptureError": "capture",
    "CaptureFileError": "capture",
    "CaptureStats": "capture",
    "MobilityFrame": "capture",
    "OptionRecord": "capture",
    "capture_options": "capture",
    "ipv6_packet": "capture",
    "packet_for": "capture",
    "read_capture": "capture",
    "to_dataframe": "capture",
    "write_pcap": "capture",
    "AckAnswer": "mobility",
    "AckCheck": "mobility",
    "AlternateCareOfAddress": "mobility",
    "BAFlag": "mobility",
    "BindingAcknowledgement": "mobility",
    "BindingIdentifier": "mobility",
    "BindingRefreshAdvice": "mobility",
    "BindingUpdate": "mobility",
    "BUFlag": "mobility",
    "MessageDecodeError": "mobility",
    "MessageFinding": "mobility",
    "MHType": "mobility",
    "MobilityHeader": "mobility",
    "MobilityOption": "mobility",
    "OtherMessage": "mobility",
    "Pad1": "mobility",
    "PadN": "mobility",
    "UnknownMobilityOption": "mobility",
    "acknowledge": "mobility",
    "build_message": "mobility",
    "check_acknowledgement": "mobility",
    "decode_message": "mobility",
    "encode_message": "mobility",
    "mh_checksum": "mobility",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'flowbind' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"flowbind.{module}"), name)
    globals()[name] = value
    return value


__all__ += [
    "AckAnswer",
    "AckCheck",
    "AlternateCareOfAddress",
    "BAFlag",
    "BUFlag",
    "BindingAcknowledgement",
    "BindingIdentifier",
    "BindingRefreshAdvice",
    "BindingUpdate",
    "CaptureError",
    "CaptureFileError",
    "CaptureStats",
    "MHType",
    "MessageDecodeError",
    "MessageFinding",
    "MobilityFrame",
    "MobilityHeader",
    "MobilityOption",
    "OptionRecord",
    "OtherMessage",
    "Pad1",
    "PadN",
    "UnknownMobilityOption",
    "acknowledge",
    "build_message",
    "capture_options",
    "check_acknowledgement",
    "decode_message",
    "encode_message",
    "ipv6_packet",
    "mh_checksum",
    "packet_for",
    "read_capture",
    "to_dataframe",
    "write_pcap",
]
