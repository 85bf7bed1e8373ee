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
from .validate import (
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
