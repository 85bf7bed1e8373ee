"""Receiver and sender checks: which rules an option breaks, and the Status it earns.

Decode accepts every option it can represent, including ones that break the
draft's rules (interpretation §6).  :func:`validate` reports those rules, each
as a :class:`Finding` carrying the Status value a home agent, MAP or
correspondent node puts in the option's copy in its Binding Acknowledgement
(draft §2.1, interpretation §7).  All checks are pure functions of their
arguments: the receiver's state, where a check needs it, is passed in as a
:class:`ReceiverState` value.

Every rule is one :class:`Rule` record of :data:`RULES`, which the checker
walks in order and the documentation's table is generated from
(:func:`rules_markdown`), so the table cannot drift from the code.

>>> import flowbind
>>> opt = flowbind.decode(bytes.fromhex("12022001010000010016001600000000"))
>>> [(f.rule, int(f.status)) for f in validate(opt)]
[('action-unknown', 129)]
"""

from __future__ import annotations

import enum
import ipaddress
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from .enums import CLS_FLOW, FIELD_FLAGS, Action, Flag, Pro, Status
from .model import MAX_PREFIX, BIDSubOption, FlowIdentification
from .profile import DRAFT_02, HEADER_SIZE, Profile
from .schema import FIELDS, HEADER, SUB_OPTION_HEADER, FieldSpec

__all__ = [
    "DEFAULT_CAPABILITIES",
    "MESSAGES",
    "PEERS",
    "ROLES",
    "RULES",
    "Capabilities",
    "Finding",
    "ReceiverState",
    "Rule",
    "Severity",
    "ack_status",
    "check_state",
    "rules_markdown",
    "validate",
]

Role = Literal["mn", "ha", "map", "cn"]
Message = Literal["bu", "ba"]

#: Who checks: the mobile node (sender side), home agent, MAP, correspondent node.
ROLES: Final[tuple[str, ...]] = ("mn", "ha", "map", "cn")
#: The receivers of a Binding Update, i.e. the peers a mobile node sends to.
PEERS: Final[tuple[str, ...]] = ("ha", "map", "cn")
#: The message the option is in: Binding Update or Binding Acknowledgement.
MESSAGES: Final[tuple[str, ...]] = ("bu", "ba")


class Severity(str, enum.Enum):
    """How bad a finding is."""

    #: The receiver rejects the option with the finding's Status.
    ERROR = "error"
    #: The option is accepted; something in it should have been zero.
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Finding:
    """One broken rule, where it is broken, and the Status it earns."""

    #: The rule's stable identifier (a :attr:`Rule.id`), e.g. ``"pro-unknown"``.
    rule: str
    #: The Status a receiver answers with; None for a warning (and for an
    #: error in a Binding Acknowledgement, which nobody answers).
    status: Status | None
    severity: Severity
    #: What is wrong, in words, with the offending values.
    message: str
    #: The draft section the rule comes from, e.g. ``"§3.4"``.
    section: str
    #: The octet the finding is at, counted from the option's Type octet
    #: (None where it is about the option as a whole).
    offset: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as ``flowbind validate`` prints it."""
        return {
            "rule": self.rule,
            "status": None if self.status is None else int(self.status),
            "status_name": None if self.status is None else self.status.name,
            "severity": self.severity.value,
            "message": self.message,
            "section": self.section,
            "offset": self.offset,
        }

    def __str__(self) -> str:
        status = f"{int(self.status)} {self.status.name}" if self.status is not None else str(self.severity)
        where = f" at octet {self.offset}" if self.offset is not None else ""
        return f"{self.rule} ({status}, {self.section}){where}: {self.message}"


@dataclass(frozen=True)
class Capabilities:
    """Which field kinds and actions a receiver supports (all, by default).

    An option that uses an unsupported one is rejected with 131 (a prefix
    below 128), 132 (ports), 133 (flow label), 134 (SPI), 138 (Action
    discard) or 139 (Action n-cast).

    >>> Capabilities(spi=False)
    Capabilities(prefix=True, ports=True, flow_label=True, spi=False, discard=True, ncast=True)
    """

    #: Flow identification by a prefix shorter than 128 bits.
    prefix: bool = True
    #: Source (F) or destination (L) port ranges.
    ports: bool = True
    #: The flow label (W).
    flow_label: bool = True
    #: The SPI (I).
    spi: bool = True
    #: Action 2, discard.
    discard: bool = True
    #: Action 3, n-cast.
    ncast: bool = True

    def __post_init__(self) -> None:
        for name in ("prefix", "ports", "flow_label", "spi", "discard", "ncast"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"Capabilities.{name} must be True or False, not {getattr(self, name)!r}")


#: A receiver that supports every field kind and action.
DEFAULT_CAPABILITIES: Final = Capabilities()


def _network(value: object) -> ipaddress.IPv6Network:
    if isinstance(value, ipaddress.IPv6Network):
        return value
    if isinstance(value, (ipaddress.IPv4Address, ipaddress.IPv4Network)):
        v4 = ipaddress.IPv4Network(value)
        mapped = ipaddress.IPv6Address(b"\0" * 10 + b"\xff\xff" + v4.network_address.packed)
        return ipaddress.IPv6Network((mapped, v4.prefixlen + 96))
    if isinstance(value, ipaddress.IPv6Address):
        return ipaddress.IPv6Network(value)
    if isinstance(value, str):
        try:
            return _network(ipaddress.ip_network(value, strict=False))
        except ValueError as exc:
            raise ValueError(f"not an address or prefix: {value!r}") from exc
    raise TypeError(f"not an address or prefix: {value!r}")


def _int_set(name: str, values: Iterable[int] | None) -> frozenset[int] | None:
    if values is None:
        return None
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"ReceiverState.{name} must be a collection of integers, not {values!r}")
    out = frozenset(values)
    for v in out:
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"ReceiverState.{name} must hold integers, not {v!r}")
    return out


@dataclass(frozen=True)
class ReceiverState:
    """What the stateful checks need to know of the checker's binding table.

    Each part is optional: a part left ``None`` is unknown and its checks are
    skipped.  For a receiver, it describes its binding cache for the mobile
    node's home address; for a mobile node (role ``"mn"``), its binding
    update list with the peer and its own addresses.

    >>> ReceiverState(fids_in_use={1, 2}, mn_addresses=["2001:db8:1::/64"]).mn_addresses
    (IPv6Network('2001:db8:1::/64'),)
    """

    #: FIDs of the flow bindings already installed for this home address (§2.3).
    fids_in_use: frozenset[int] | None = None
    #: BIDs registered with (and, at a correspondent node, authorized by) the
    #: receiver (§2.2, §6.1).
    registered_bids: frozenset[int] | None = None
    #: The addresses and prefixes assigned to the mobile node or its mobile
    #: network prefixes (§7.1); IPv4 ones are taken IPv4-mapped.
    mn_addresses: tuple[ipaddress.IPv6Network, ...] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "fids_in_use", _int_set("fids_in_use", self.fids_in_use))
        object.__setattr__(self, "registered_bids", _int_set("registered_bids", self.registered_bids))
        addrs = self.mn_addresses
        if addrs is not None:
            if isinstance(addrs, (str, bytes)) or not isinstance(addrs, Iterable):
                raise TypeError(f"ReceiverState.mn_addresses must be a collection, not {addrs!r}")
            object.__setattr__(self, "mn_addresses", tuple(_network(a) for a in addrs))


# --- where things are: octet offsets derived from the schema ------------------


def _header_offsets() -> dict[str, int]:
    out: dict[str, int] = {}
    off = 0
    for sub in HEADER.subcons:
        out[sub.name] = off
        off += sub.sizeof()
    return out


def _in_field_offsets(spec: FieldSpec) -> dict[str, int]:
    """Octet of each item and bit field of ``spec``, from the field's start."""
    starts: list[int] = []
    widths: list[int] = []
    off = 0
    for sub in spec.con.subcons:
        starts.append(off)
        widths.append(sub.sizeof())
        off += sub.sizeof()
    out = {name: starts[i] for i, name in enumerate(spec.layout.items)}
    for name, (index, shift, mask) in spec.layout.bits.items():
        first_bit = widths[index] * 8 - shift - mask.bit_length()
        out[name] = starts[index] + first_bit // 8
    return out


_HEADER_AT: Final = _header_offsets()
_AT_FLAGS: Final = _HEADER_AT["word"]
_AT_FID: Final = _HEADER_AT["fid"]
_AT_ACTION: Final = _HEADER_AT["action"]
_AT_STATUS: Final = _HEADER_AT["status"]
_AT_PRO_CLS: Final = _HEADER_AT["pro_cls"]
_IN_FIELD: Final = {spec.name: _in_field_offsets(spec) for spec in FIELDS}
_SUB_HEADER_SIZE: Final = SUB_OPTION_HEADER.sizeof()


# --- the checking context ---------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    option: FlowIdentification
    role: str
    message: str
    capabilities: Capabilities
    state: ReceiverState | None
    profile: Profile

    def field_at(self, name: str) -> int:
        """Offset of a present flag-driven field (Figure 1 order)."""
        off = HEADER_SIZE
        flags = self.option.flags
        for spec in FIELDS:
            if spec.name == name:
                return off
            if flags & spec.flags:
                off += spec.size
        raise KeyError(name)  # pragma: no cover - every caller names a field of FIELDS

    def at(self, name: str, item: str) -> int:
        """Offset of ``item`` (an item or bit field of the field ``name``)."""
        return self.field_at(name) + _IN_FIELD[name][item]

    def sub_options_at(self) -> Iterator[tuple[int, int]]:
        """``(index, offset of its Type octet)`` for each sub-option."""
        opt = self.option
        off = HEADER_SIZE + sum(spec.size for spec in FIELDS if opt.flags & spec.flags)
        pads = opt.pad_before
        width = self.profile.bid_width
        for i, sub in enumerate(opt.sub_options):
            if i < len(pads):
                off += pads[i]
            yield i, off
            if isinstance(sub, BIDSubOption):
                off += _SUB_HEADER_SIZE + width * len(sub.bids)
            else:
                off += _SUB_HEADER_SIZE + len(sub.data)


Hit = tuple[str, int | None]
Check = Callable[[_Context], Iterator[Hit]]

_ADD_REPLACE: Final = (Pro.ADD, Pro.REPLACE)
_KNOWN_PRO: Final = frozenset(int(p) for p in Pro)
_KNOWN_ACTION: Final = frozenset(int(a) for a in Action)
_KNOWN_STATUS: Final = frozenset(int(s) for s in Status)
_ADDRESSES: Final = (("source", "source"), ("destination", "destination"))
_PORTS: Final = (("source_ports", "source"), ("destination_ports", "destination"))


# --- the checks ---------------------------------------------------------------------


def _pro_unknown(c: _Context) -> Iterator[Hit]:
    pro = int(c.option.pro)
    if pro not in _KNOWN_PRO:
        yield f"PRO {pro} is none of Add (0), Replace (1), Refresh (2), Remove (15)", _AT_PRO_CLS


def _action_unknown(c: _Context) -> Iterator[Hit]:
    action = int(c.option.action)
    if action not in _KNOWN_ACTION:
        yield f"Action {action} is none of forward (1), discard (2), n-cast (3)", _AT_ACTION


def _cls_unknown(c: _Context) -> Iterator[Hit]:
    if c.option.cls != CLS_FLOW:
        yield (
            f"CLS {c.option.cls}: the only classifier defined is 1 (Figure 1's fields)",
            _AT_PRO_CLS,
        )


def _header_only_add_fields(c: _Context) -> Iterator[Hit]:
    opt = c.option
    announced = opt.flags & FIELD_FLAGS
    if opt.header_only and announced:
        yield (
            f"a header-only Add is a wildcard (all flows), yet flag(s) {Flag(announced)} "
            "announce fields it does not carry",
            _AT_FLAGS,
        )


def _s_with_r(c: _Context) -> Iterator[Hit]:
    if c.option.flags & Flag.S and c.option.flags & Flag.R:
        yield "S gives a source address, R says the source is the BU's receiver: both set", _AT_FLAGS


def _e_with_h(c: _Context) -> Iterator[Hit]:
    if c.option.flags & Flag.E and c.option.flags & Flag.H:
        yield "E gives a destination address, H says the destination is the BU's source: both set", _AT_FLAGS


def _port_range_inverted(c: _Context) -> Iterator[Hit]:
    for name, side in _PORTS:
        ports = getattr(c.option, name)
        if ports is not None and ports.min > ports.max:
            yield f"{side} port min {ports.min} is above max {ports.max}", c.field_at(name)


def _ncast_without_bid(c: _Context) -> Iterator[Hit]:
    opt = c.option
    if opt.action == Action.NCAST and not opt.bids and not (opt.pro == Pro.REPLACE and opt.header_only):
        yield "Action n-cast needs one or more BIDs in BID sub-options; the option has none", _AT_ACTION


def _bid_empty(c: _Context) -> Iterator[Hit]:
    subs = c.option.sub_options
    for i, off in c.sub_options_at():
        sub = subs[i]
        if isinstance(sub, BIDSubOption) and not sub.bids:
            yield f"BID sub-option {i} holds no BID", off


def _discard_unsupported(c: _Context) -> Iterator[Hit]:
    if not c.capabilities.discard and c.option.action == Action.DISCARD:
        yield "Action discard, which this receiver does not support", _AT_ACTION


def _ncast_unsupported(c: _Context) -> Iterator[Hit]:
    if not c.capabilities.ncast and c.option.action == Action.NCAST:
        yield "Action n-cast, which this receiver does not support", _AT_ACTION


def _cn_replace_ncast(c: _Context) -> Iterator[Hit]:
    if c.option.action == Action.NCAST:
        yield "a correspondent node rejects a Replace with Action n-cast", _AT_ACTION


def _prefix_unsupported(c: _Context) -> Iterator[Hit]:
    if c.capabilities.prefix:
        return
    for name, side in _ADDRESSES:
        ap = getattr(c.option, name)
        if ap is not None and ap.prefix < MAX_PREFIX:
            yield f"{side} prefix length {ap.prefix}: this receiver supports only single addresses (128)", (
                c.at(name, "prefix")
            )


def _ports_unsupported(c: _Context) -> Iterator[Hit]:
    if c.capabilities.ports:
        return
    for name, side in _PORTS:
        if getattr(c.option, name) is not None:
            yield f"{side} ports, which this receiver does not support", c.field_at(name)


def _flow_label_unsupported(c: _Context) -> Iterator[Hit]:
    if not c.capabilities.flow_label and c.option.flow_label is not None:
        yield "a flow label, which this receiver does not support", c.field_at("flow_label")


def _spi_unsupported(c: _Context) -> Iterator[Hit]:
    if not c.capabilities.spi and c.option.spi is not None:
        yield "an SPI, which this receiver does not support", c.field_at("spi")


def _cn_prefix(c: _Context) -> Iterator[Hit]:
    for name, side in _ADDRESSES:
        ap = getattr(c.option, name)
        if ap is not None and ap.prefix != MAX_PREFIX:
            yield (
                f"{side} prefix length {ap.prefix}: a correspondent node takes single addresses (128) only",
                c.at(name, "prefix"),
            )


def _state(c: _Context) -> ReceiverState:
    assert c.state is not None  # the runner only calls stateful checks with a state
    return c.state


def _fid_in_use(c: _Context) -> Iterator[Hit]:
    fids = _state(c).fids_in_use
    if fids is not None and c.option.fid in fids:
        yield f"Add of FID {c.option.fid}, which is already in use", _AT_FID


def _fid_missing(c: _Context) -> Iterator[Hit]:
    fids = _state(c).fids_in_use
    if fids is not None and c.option.fid not in fids:
        pro = c.option.pro
        name = pro.name.capitalize() if isinstance(pro, Pro) else str(pro)
        yield f"{name} of FID {c.option.fid}, which is not in use", _AT_FID


def _destination_not_mn(c: _Context) -> Iterator[Hit]:
    nets = _state(c).mn_addresses
    dst = c.option.destination
    if nets is None or dst is None:
        return
    flow = ipaddress.IPv6Network((dst.address, dst.prefix), strict=False)
    if not any(flow.subnet_of(net) for net in nets):
        yield f"destination {dst} is not assigned to the mobile node", c.field_at("destination")


def _bid_not_registered(c: _Context) -> Iterator[Hit]:
    bids = _state(c).registered_bids
    if bids is None:
        return
    subs = c.option.sub_options
    width = c.profile.bid_width
    for i, off in c.sub_options_at():
        sub = subs[i]
        if isinstance(sub, BIDSubOption):
            for j, bid in enumerate(sub.bids):
                if bid not in bids:
                    yield f"BID {bid} is not registered with the receiver", off + _SUB_HEADER_SIZE + j * width


def _ba_not_header_only(c: _Context) -> Iterator[Hit]:
    if not c.option.header_only:
        yield (
            "a Binding Acknowledgement carries the 8-octet copy of the option; "
            "this one has fields, sub-options or a body after the header",
            HEADER_SIZE,
        )


def _ba_status_unassigned(c: _Context) -> Iterator[Hit]:
    status = int(c.option.status)
    if status not in _KNOWN_STATUS:
        kind = "success" if status < Status.REASON_UNSPECIFIED else "failure"
        yield f"Status {status} is not an assigned value (it still means {kind})", _AT_STATUS


def _reserved_nonzero(c: _Context) -> Iterator[Hit]:
    opt = c.option
    for name, label in (("source", "Res1"), ("destination", "Res2")):
        ap = getattr(opt, name)
        if ap is not None and ap.reserved:
            yield (
                f"{label} (the 24 bits after the {name} prefix) is {ap.reserved:#x}, not 0",
                c.at(name, "reserved"),
            )
    if opt.res3:
        yield (
            f"Res3 (the 12 bits after the flow label) is {opt.res3:#x}, not 0",
            c.at("flow_label", "reserved"),
        )
    if opt.res4:
        yield f"Res4 (the 16 bits after C.S.) is {opt.res4:#x}, not 0", c.at("protocol", "reserved")


def _ignored_nonzero(c: _Context) -> Iterator[Hit]:
    opt = c.option
    if opt.ignored_protocol:
        yield (
            f"the Protocol octet is {opt.ignored_protocol} with O clear (ignored; should be 0)",
            c.at("protocol", "protocol"),
        )
    if opt.ignored_class_of_service:
        yield (
            f"the C.S. octet is {opt.ignored_class_of_service} with T clear (ignored; should be 0)",
            c.at("protocol", "class_of_service"),
        )


# --- the table ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One check: where it comes from, when it applies and what it answers.

    The checker applies a rule when the message is in :attr:`messages`, the
    checking role (a mobile node's peer, for role ``"mn"``) is in
    :attr:`roles`, the option's PRO is in :attr:`pros` (None: any PRO), CLS
    is 1 if :attr:`cls1_only`, and a :class:`ReceiverState` is given if
    :attr:`stateful`.
    """

    #: Stable identifier, used as :attr:`Finding.rule`.
    id: str
    #: The draft section it comes from.
    section: str
    #: When it is broken, in words (the docs' table shows this).
    condition: str
    #: The Status a receiver answers with; None for a warning or a BA error.
    status: Status | None
    #: The roles that apply it (``"mn"`` applies its peer's rules).
    roles: tuple[str, ...]
    #: The PRO values it applies to; None for any PRO value, known or not.
    pros: tuple[Pro, ...] | None
    messages: tuple[str, ...] = ("bu",)
    severity: Severity = Severity.ERROR
    #: Applies only to an option whose CLS is 1 (interpretation §7: with
    #: another CLS "no row below applies").
    cls1_only: bool = True
    #: Needs the checker's state (:class:`ReceiverState`).
    stateful: bool = False
    check: Check = field(compare=False, repr=False)

    def applies(self, option: FlowIdentification, role: str, message: str, stateful: bool) -> bool:
        """Whether the rule is checked for ``option`` in this situation."""
        return (
            message in self.messages
            and role in self.roles
            and (self.pros is None or option.pro in self.pros)
            and (not self.cls1_only or option.cls == CLS_FLOW)
            and (stateful or not self.stateful)
        )


_EVERYONE: Final = ROLES
_RECEIVERS: Final = PEERS
_HA: Final = ("ha", "map")
_CN: Final = ("cn",)
_W = Severity.WARNING

#: Every rule, in the order findings are reported: the first error's Status is
#: the one a receiver puts in its acknowledgement.  PRO first (nothing else
#: can be read without it); then the FID against the state, as §6.1 and §7.1
#: check it first; then the form of the option (129, or 137 for an unknown
#: classifier), so that a malformed option is called malformed whatever the
#: receiver supports; then support and policy (131-134, 138, 139), the Action
#: before the fields as in §6.1/§7.1; then the checks of the fields against
#: the state; then the Binding Acknowledgement rules; warnings last.
RULES: Final[tuple[Rule, ...]] = (
    Rule(id="pro-unknown", section="§2.1", condition="PRO is not 0, 1, 2 or 15",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=None, cls1_only=False, check=_pro_unknown),
    Rule(id="fid-in-use", section="§7.1", condition="Add of an FID already in use",
         status=Status.FID_ALREADY_IN_USE, roles=_RECEIVERS, pros=(Pro.ADD,), cls1_only=False,
         stateful=True, check=_fid_in_use),
    Rule(id="fid-not-found", section="§7.3.1", condition="Remove of an FID not in use",
         status=Status.FID_NOT_FOUND, roles=_RECEIVERS, pros=(Pro.REMOVE,), cls1_only=False,
         stateful=True, check=_fid_missing),
    Rule(id="fid-not-found-ha", section="§7.1", condition="Replace or Refresh of an FID not in use",
         status=Status.POORLY_FORMED, roles=_HA, pros=(Pro.REPLACE, Pro.REFRESH), cls1_only=False,
         stateful=True, check=_fid_missing),
    Rule(id="fid-not-found-cn", section="§6.1", condition="Replace or Refresh of an FID not in use",
         status=Status.FID_NOT_FOUND, roles=_CN, pros=(Pro.REPLACE, Pro.REFRESH), cls1_only=False,
         stateful=True, check=_fid_missing),
    Rule(id="action-unknown", section="§2.1", condition="Action is not 1, 2 or 3",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, cls1_only=False,
         check=_action_unknown),
    Rule(id="cls-unknown", section="§2.1", condition="CLS is not 1 (then no CLS 1 rule applies)",
         status=Status.CLASSIFIER_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE, cls1_only=False,
         check=_cls_unknown),
    Rule(id="header-only-add-fields", section="§3.4",
         condition="header-only Add with any of S E F L O W T I set",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=(Pro.ADD,), check=_header_only_add_fields),
    Rule(id="source-and-r", section="§2.1", condition="S and R both set",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_s_with_r),
    Rule(id="destination-and-h", section="§2.1", condition="E and H both set",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_e_with_h),
    Rule(id="port-range-inverted", section="§2.1", condition="a port range's min is above its max",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_port_range_inverted),
    Rule(id="ncast-without-bid", section="§2.1",
         condition="Action n-cast with no BID at all, except a header-only Replace (movement, §5.2)",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_ncast_without_bid),
    Rule(id="bid-sub-option-empty", section="§2.2", condition="a BID sub-option that holds no BID",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_bid_empty),
    Rule(id="discard-unsupported", section="§2.1",
         condition="Action discard, and the receiver does not support discard",
         status=Status.DISCARD_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE,
         check=_discard_unsupported),
    Rule(id="ncast-unsupported", section="§2.1",
         condition="Action n-cast, and the receiver does not support n-cast",
         status=Status.NCAST_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_ncast_unsupported),
    Rule(id="cn-replace-ncast", section="§6.1", condition="Replace with Action n-cast",
         status=Status.NCAST_NOT_SUPPORTED, roles=_CN, pros=(Pro.REPLACE,), check=_cn_replace_ncast),
    Rule(id="prefix-unsupported", section="§2.1",
         condition="a prefix below 128, and the receiver does not support prefixes",
         status=Status.PREFIX_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_prefix_unsupported),
    Rule(id="ports-unsupported", section="§2.1",
         condition="a port range (F or L), and the receiver does not support ports",
         status=Status.PORTS_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_ports_unsupported),
    Rule(id="flow-label-unsupported", section="§2.1",
         condition="a flow label (W), and the receiver does not support flow labels",
         status=Status.FLOW_LABEL_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE,
         check=_flow_label_unsupported),
    Rule(id="spi-unsupported", section="§2.1",
         condition="an SPI (I), and the receiver does not support SPIs",
         status=Status.SPI_NOT_SUPPORTED, roles=_RECEIVERS, pros=_ADD_REPLACE, check=_spi_unsupported),
    Rule(id="cn-prefix-not-128", section="§6.1",
         condition="a source or destination prefix length other than 128",
         status=Status.PREFIX_NOT_SUPPORTED, roles=_CN, pros=_ADD_REPLACE, check=_cn_prefix),
    Rule(id="destination-not-mn", section="§7.1",
         condition="a destination address/prefix not assigned to the mobile node",
         status=Status.ADMINISTRATIVELY_PROHIBITED, roles=_HA, pros=_ADD_REPLACE, stateful=True,
         check=_destination_not_mn),
    Rule(id="bid-not-registered", section="§6.1", condition="a BID not registered with the receiver",
         status=Status.POORLY_FORMED, roles=_RECEIVERS, pros=_ADD_REPLACE, stateful=True,
         check=_bid_not_registered),
    Rule(id="ack-not-header-only", section="§3.8",
         condition="the copy in a Binding Acknowledgement is longer than its 8-octet header",
         status=None, roles=_EVERYONE, pros=None, messages=("ba",), cls1_only=False,
         check=_ba_not_header_only),
    Rule(id="ack-status-unassigned", section="§2.1",
         condition="the Status of the copy is not an assigned value (0, 128-139)",
         status=None, roles=_EVERYONE, pros=None, messages=("ba",), severity=_W, cls1_only=False,
         check=_ba_status_unassigned),
    Rule(id="reserved-nonzero", section="§3", condition="non-zero reserved bits (Res1, Res2, Res3, Res4)",
         status=None, roles=_EVERYONE, pros=None, messages=MESSAGES, severity=_W, cls1_only=False,
         check=_reserved_nonzero),
    Rule(id="ignored-nonzero", section="§3",
         condition="a non-zero ignored octet (Protocol with O clear, C.S. with T clear)",
         status=None, roles=_EVERYONE, pros=None, messages=MESSAGES, severity=_W, cls1_only=False,
         check=_ignored_nonzero),
)  # fmt: skip

_RULE_IDS: Final = frozenset(r.id for r in RULES)
assert len(_RULE_IDS) == len(RULES), "rule ids must be unique"


# --- the entry points --------------------------------------------------------------


def _checking_role(role: str, message: str, peer: str | None) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if message not in MESSAGES:
        raise ValueError(f"message must be 'bu' or 'ba', not {message!r}")
    if role != "mn":
        if peer is not None:
            raise ValueError(f"peer is for role 'mn' (the mobile node's peer), not for role {role!r}")
        return role
    if peer is None:
        if message == "ba":
            return role
        raise ValueError("role 'mn' checks what a peer will answer: give peer='ha', 'map' or 'cn'")
    if peer not in PEERS:
        raise ValueError(f"peer must be one of {', '.join(PEERS)}, not {peer!r}")
    return peer


def _run(
    option: FlowIdentification,
    rules: Iterable[Rule],
    role: str,
    message: str,
    capabilities: Capabilities,
    peer: str | None,
    state: ReceiverState | None,
    profile: Profile,
) -> tuple[Finding, ...]:
    if not isinstance(option, FlowIdentification):
        raise TypeError(f"validate() takes a FlowIdentification, not {type(option).__name__}")
    if not isinstance(capabilities, Capabilities):
        raise TypeError(f"capabilities must be a Capabilities, not {type(capabilities).__name__}")
    if state is not None and not isinstance(state, ReceiverState):
        raise TypeError(f"state must be a ReceiverState or None, not {type(state).__name__}")
    checking = _checking_role(role, message, peer)
    ctx = _Context(option, checking, message, capabilities, state, profile)
    out: list[Finding] = []
    for rule in rules:
        if not rule.applies(option, checking, message, state is not None):
            continue
        for text, offset in rule.check(ctx):
            out.append(Finding(rule.id, rule.status, rule.severity, text, rule.section, offset))
    return tuple(out)


def validate(
    option: FlowIdentification,
    *,
    role: Role | str = "ha",
    message: Message | str = "bu",
    capabilities: Capabilities = DEFAULT_CAPABILITIES,
    peer: str | None = None,
    state: ReceiverState | None = None,
    profile: Profile = DRAFT_02,
) -> tuple[Finding, ...]:
    """Every rule ``option`` breaks, in :data:`RULES` order (errors before warnings).

    :param role: who checks: ``"ha"`` (home agent), ``"map"`` (the same as a
        home agent, §8), ``"cn"`` (correspondent node), or ``"mn"`` (a mobile
        node about to send to ``peer``: the findings are those ``peer`` will
        report, with the Status it will answer).
    :param message: ``"bu"`` for an option in a Binding Update, ``"ba"`` for
        the copy in a Binding Acknowledgement.
    :param capabilities: what the receiver supports (all, by default).
    :param peer: for role ``"mn"``: ``"ha"``, ``"map"`` or ``"cn"``.
    :param state: the checker's binding table; without it, only stateless
        rules are checked.
    :param profile: the profile the option was decoded with (only the offsets
        of sub-options depend on it, through the BID width).

    The first error's Status (:func:`ack_status`) is what a receiver puts
    in the option's copy in its Binding Acknowledgement.

    >>> import flowbind
    >>> opt = flowbind.FlowIdentification(fid=3, source=flowbind.AddressPrefix("2001:db8::", 64))
    >>> validate(opt, role="ha")
    ()
    >>> for finding in validate(opt, role="cn"):
    ...     print(finding.rule, int(finding.status), finding.offset)
    cn-prefix-not-128 131 24
    """
    return _run(option, RULES, role, message, capabilities, peer, state, profile)


def check_state(
    option: FlowIdentification,
    state: ReceiverState,
    *,
    role: Role | str = "ha",
    peer: str | None = None,
    profile: Profile = DRAFT_02,
) -> tuple[Finding, ...]:
    """Only the rules that need ``state`` (FID, destination, BIDs), in order.

    ``validate(option, role=..., state=state)`` reports these together with
    the stateless ones, in the order that decides the answer.

    >>> import flowbind
    >>> opt = flowbind.FlowIdentification(fid=5, pro=flowbind.Pro.REMOVE)
    >>> [(f.rule, int(f.status)) for f in check_state(opt, ReceiverState(fids_in_use={1}))]
    [('fid-not-found', 136)]
    """
    if not isinstance(state, ReceiverState):
        raise TypeError(f"state must be a ReceiverState, not {type(state).__name__}")
    stateful = [r for r in RULES if r.stateful]
    return _run(option, stateful, role, "bu", DEFAULT_CAPABILITIES, peer, state, profile)


def ack_status(findings: Sequence[Finding]) -> Status:
    """The Status a receiver answers for findings of a Binding Update.

    The first error's Status, or SUCCESS when there is no error.

    >>> ack_status(())
    <Status.SUCCESS: 0>
    """
    for f in findings:
        if f.severity is Severity.ERROR and f.status is not None:
            return f.status
    return Status.SUCCESS


# --- the documentation's table -------------------------------------------------------

_PRO_NAMES: Final = {Pro.ADD: "Add", Pro.REPLACE: "Replace", Pro.REFRESH: "Refresh", Pro.REMOVE: "Remove"}


def _status_cell(rule: Rule) -> str:
    if rule.status is not None:
        return f"{int(rule.status)} {rule.status.name}"
    return "warning" if rule.severity is Severity.WARNING else "error (no status)"


def _roles_cell(rule: Rule) -> str:
    return "any" if rule.roles == ROLES else ", ".join(rule.roles)


def _pro_cell(rule: Rule) -> str:
    text = "any" if rule.pros is None else ", ".join(_PRO_NAMES[p] for p in rule.pros)
    return text + (" (CLS 1)" if rule.cls1_only else "")


def rules_markdown() -> str:
    """The Markdown table of :data:`RULES`, as docs/validation.md shows it."""
    lines = [
        "| # | rule | section | condition | status | roles | PRO | message |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for n, rule in enumerate(RULES, 1):
        condition = ("*(state)* " if rule.stateful else "") + rule.condition
        lines.append(
            f"| {n} | `{rule.id}` | {rule.section} | {condition} | {_status_cell(rule)} "
            f"| {_roles_cell(rule)} | {_pro_cell(rule)} | {', '.join(m.upper() for m in rule.messages)} |"
        )
    return "\n".join(lines) + "\n"

