"""validate(): every rule of interpretation §7, its Status, roles, order and offsets.

Each rule of :data:`flowbind.checks.RULES` has one test named after its
draft section (``test_s2_1_pro_unknown`` for ``pro-unknown``, §2.1), with the
smallest option that breaks it and one that just passes
(:func:`test_every_rule_has_a_test_named_after_its_section` holds that).
"""

from __future__ import annotations

import dataclasses
import io
import json
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flowbind
from flowbind import (
    Action,
    AddressPrefix,
    BIDSubOption,
    Capabilities,
    Finding,
    Flag,
    FlowIdentification,
    PortRange,
    Pro,
    ReceiverState,
    Severity,
    Status,
    UnknownSubOption,
    ValidationError,
    ack_status,
    check_state,
    validate,
)
from flowbind import strategies as fst
from flowbind.checks import PEERS, RULES, rules_markdown
from flowbind.cli import main

ROOT = Path(__file__).resolve().parent.parent
VECTORS = sorted((Path(__file__).parent / "vectors").glob("*.jsonl"))
CASES = [
    json.loads(line)
    for path in VECTORS
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
CHECKED = [c for c in CASES if "findings" in c]
BID16 = flowbind.Profile(bid_width=2)
NOTHING = Capabilities(prefix=False, ports=False, flow_label=False, spi=False, discard=False, ncast=False)


def fi(**kw: Any) -> FlowIdentification:
    """An option with FID 1 and the given fields (an Add, Action forward, CLS 1)."""
    return FlowIdentification(**{"fid": 1, **kw})


def found(option: FlowIdentification, **kw: Any) -> list[tuple[str, int | None, int | None]]:
    """(rule, status, offset) of each finding, in order."""
    return [
        (f.rule, None if f.status is None else int(f.status), f.offset) for f in validate(option, **kw)
    ]


def rules(option: FlowIdentification, **kw: Any) -> list[str]:
    return [f.rule for f in validate(option, **kw)]


def octet(option: FlowIdentification, offset: int, profile: flowbind.Profile = flowbind.DRAFT_02) -> int:
    """The octet at ``offset`` of the option's wire form."""
    return flowbind.encode(option, profile)[offset]


SRC = AddressPrefix("2001:db8::1", 128)
DST = AddressPrefix("2001:db8:1::2", 128)
ONE_BID = (BIDSubOption((7,)),)
RECEIVERS = ("ha", "map", "cn")


# --- one test per rule ---------------------------------------------------------------


def test_s2_1_pro_unknown() -> None:
    bad = fi(pro=3)
    for role in RECEIVERS:
        assert found(bad, role=role) == [("pro-unknown", 129, 7)]
    assert octet(bad, 7) >> 4 == 3
    assert found(fi(pro=14)) == [("pro-unknown", 129, 7)]
    # Unknown PRO: only the PRO row applies (no Add/Replace row), even with Action 0.
    assert rules(fi(pro=3, action=0, cls=2)) == ["pro-unknown"]
    for pro in Pro:
        assert validate(fi(pro=pro)) == ()


def test_s7_1_fid_in_use() -> None:
    state = ReceiverState(fids_in_use={1})
    for role in RECEIVERS:
        assert found(fi(), role=role, state=state) == [("fid-in-use", 135, 4)]
        assert found(fi(fid=2), role=role, state=state) == []
        assert found(fi(pro=Pro.REPLACE), role=role, state=state) == []
    assert octet(fi(), 4) == 1
    # Without a state, or with the FIDs unknown, the rule is not checked.
    assert validate(fi()) == ()
    assert validate(fi(), state=ReceiverState()) == ()


def test_s7_3_1_fid_not_found() -> None:
    state = ReceiverState(fids_in_use={1})
    for role in RECEIVERS:
        assert found(fi(fid=2, pro=Pro.REMOVE), role=role, state=state) == [("fid-not-found", 136, 4)]
        assert found(fi(fid=1, pro=Pro.REMOVE), role=role, state=state) == []


def test_s7_1_fid_not_found_ha() -> None:
    state = ReceiverState(fids_in_use={1})
    for role in ("ha", "map"):
        for pro in (Pro.REPLACE, Pro.REFRESH):
            assert found(fi(fid=2, pro=pro), role=role, state=state) == [("fid-not-found-ha", 129, 4)]
            assert found(fi(fid=1, pro=pro), role=role, state=state) == []


def test_s6_1_fid_not_found_cn() -> None:
    state = ReceiverState(fids_in_use={1})
    for pro in (Pro.REPLACE, Pro.REFRESH):
        assert found(fi(fid=2, pro=pro), role="cn", state=state) == [("fid-not-found-cn", 136, 4)]
        assert found(fi(fid=1, pro=pro), role="cn", state=state) == []


def test_s2_1_action_unknown() -> None:
    for action in (0, 4, 255):
        for role in RECEIVERS:
            assert found(fi(action=action), role=role) == [("action-unknown", 129, 5)]
        assert found(fi(action=action, pro=Pro.REPLACE)) == [("action-unknown", 129, 5)]
    assert octet(fi(action=0), 5) == 0
    assert validate(fi(action=Action.DISCARD)) == ()
    # Refresh and Remove get only the PRO check.
    assert validate(fi(action=0, pro=Pro.REFRESH)) == ()
    assert validate(fi(action=0, pro=Pro.REMOVE)) == ()


def test_s2_1_cls_unknown() -> None:
    for role in RECEIVERS:
        assert found(fi(cls=2), role=role) == [("cls-unknown", 137, 7)]
    assert octet(fi(cls=2), 7) & 0xF == 2
    assert validate(fi(cls=1)) == ()
    # With another CLS no row below applies: not even unsupported n-cast or field flags.
    opaque = fi(cls=15, action=Action.NCAST, flags="SF", opaque=b"\xff" * 8)
    assert rules(opaque, role="cn", capabilities=NOTHING) == ["cls-unknown"]
    # Action is checked before CLS.
    assert rules(fi(cls=2, action=0)) == ["action-unknown", "cls-unknown"]
    assert validate(fi(cls=2, pro=Pro.REFRESH)) == ()


def test_s3_4_header_only_add_fields() -> None:
    for role in RECEIVERS:
        assert found(fi(flags="F"), role=role) == [("header-only-add-fields", 129, 2)]
    assert octet(fi(flags="F"), 2) == 0x20
    # Passes: a wildcard, one narrowed by R and H, the same flag with its field,
    # and a movement Replace whose flags describe the binding.
    assert validate(fi()) == ()
    assert validate(fi(flags="RH")) == ()
    assert validate(fi(source_ports=PortRange(1, 1))) == ()
    assert validate(fi(flags="SEFLOWTI", pro=Pro.REPLACE)) == ()


def test_s2_1_source_and_r() -> None:
    for role in RECEIVERS:
        assert found(fi(source=SRC, flags="R"), role=role) == [("source-and-r", 129, 2)]
    assert found(fi(source=SRC, flags="R", pro=Pro.REPLACE)) == [("source-and-r", 129, 2)]
    assert validate(fi(source=SRC)) == ()
    assert validate(fi(flags="R", source_ports=PortRange(1, 1))) == ()
    assert validate(fi(source=SRC, flags="H")) == ()


def test_s2_1_destination_and_h() -> None:
    for role in RECEIVERS:
        assert found(fi(destination=DST, flags="H"), role=role) == [("destination-and-h", 129, 2)]
    assert validate(fi(destination=DST)) == ()
    assert validate(fi(destination=DST, flags="R")) == ()
    assert validate(fi(flags="H", source_ports=PortRange(1, 1))) == ()


def test_s2_1_port_range_inverted() -> None:
    bad = fi(source_ports=PortRange(2, 1))
    for role in RECEIVERS:
        assert found(bad, role=role) == [("port-range-inverted", 129, 8)]
    assert octet(bad, 9) == 2  # the min port's low octet
    both = fi(source_ports=PortRange(1, 1), destination_ports=PortRange(9, 8))
    assert found(both) == [("port-range-inverted", 129, 12)]
    assert octet(both, 13) == 9
    after_addresses = fi(source=SRC, destination=DST, destination_ports=PortRange(9, 8))
    assert found(after_addresses) == [("port-range-inverted", 129, 48)]
    assert validate(fi(source_ports=PortRange(1, 1), destination_ports=PortRange(8, 9))) == ()


def test_s2_1_ncast_without_bid() -> None:
    for role in RECEIVERS:
        assert found(fi(action=Action.NCAST), role=role) == [("ncast-without-bid", 129, 5)]
    assert found(fi(action=Action.NCAST, source_ports=PortRange(1, 1), pro=Pro.REPLACE)) == [
        ("ncast-without-bid", 129, 5)
    ]
    # A sub-option that is not a BID sub-option gives no BID either.
    assert rules(fi(action=Action.NCAST, sub_options=(UnknownSubOption(9, b"\x07"),))) == [
        "ncast-without-bid"
    ]
    assert validate(fi(action=Action.NCAST, sub_options=ONE_BID)) == ()
    # A header-only Replace (movement, §5.2) refers to the binding, BIDs included.
    assert validate(fi(action=Action.NCAST, pro=Pro.REPLACE), role="ha") == ()


def test_s2_2_bid_sub_option_empty() -> None:
    bad = fi(sub_options=(BIDSubOption(()),))
    for role in RECEIVERS:
        assert found(bad, role=role) == [("bid-sub-option-empty", 129, 8)]
    assert octet(bad, 8) == 1
    # After fields, padding and a non-empty BID sub-option whose size depends on the profile.
    later = fi(
        source_ports=PortRange(1, 1),
        sub_options=(BIDSubOption((7,)), BIDSubOption(())),
        pad_before=(1, 2),
    )
    assert found(later) == [("bid-sub-option-empty", 129, 12 + 1 + 3 + 2)]
    assert octet(later, 18) == 1
    assert found(later, profile=BID16) == [("bid-sub-option-empty", 129, 12 + 1 + 4 + 2)]
    assert octet(later, 19, BID16) == 1
    # An n-cast whose only BID sub-option is empty has no BID at all: both rules.
    assert rules(fi(action=Action.NCAST, sub_options=(BIDSubOption(()),))) == [
        "ncast-without-bid",
        "bid-sub-option-empty",
    ]
    assert validate(fi(sub_options=ONE_BID)) == ()


def test_s2_1_discard_unsupported() -> None:
    caps = Capabilities(discard=False)
    for role in RECEIVERS:
        assert found(fi(action=Action.DISCARD), role=role, capabilities=caps) == [
            ("discard-unsupported", 138, 5)
        ]
    assert validate(fi(action=Action.DISCARD)) == ()
    assert validate(fi(action=Action.FORWARD), capabilities=caps) == ()


def test_s2_1_ncast_unsupported() -> None:
    caps = Capabilities(ncast=False)
    ncast = fi(action=Action.NCAST, sub_options=ONE_BID)
    for role in RECEIVERS:
        assert found(ncast, role=role, capabilities=caps) == [("ncast-unsupported", 139, 5)]
    assert validate(ncast) == ()
    assert validate(fi(action=Action.DISCARD), capabilities=caps) == ()


def test_s6_1_cn_replace_ncast() -> None:
    replace = fi(action=Action.NCAST, pro=Pro.REPLACE, sub_options=ONE_BID)
    assert found(replace, role="cn") == [("cn-replace-ncast", 139, 5)]
    # Even a movement Replace of an n-cast binding.
    assert found(fi(action=Action.NCAST, pro=Pro.REPLACE), role="cn") == [("cn-replace-ncast", 139, 5)]
    assert validate(replace, role="ha") == ()
    assert validate(replace, role="map") == ()
    assert validate(fi(action=Action.NCAST, sub_options=ONE_BID), role="cn") == ()
    assert validate(fi(action=Action.FORWARD, pro=Pro.REPLACE), role="cn") == ()


def test_s2_1_prefix_unsupported() -> None:
    caps = Capabilities(prefix=False)
    bad = fi(source=AddressPrefix("2001:db8::", 127))
    for role in ("ha", "map"):
        assert found(bad, role=role, capabilities=caps) == [("prefix-unsupported", 131, 24)]
    assert octet(bad, 24) == 127
    dst = fi(source=SRC, destination=AddressPrefix("2001:db8::", 0))
    assert found(dst, capabilities=caps) == [("prefix-unsupported", 131, 44)]
    assert octet(dst, 44) == 0
    # 128 is a single address, not prefix use.
    assert validate(fi(source=SRC, destination=DST), capabilities=caps) == ()
    assert validate(bad) == ()


def test_s2_1_ports_unsupported() -> None:
    caps = Capabilities(ports=False)
    for role in RECEIVERS:
        assert found(fi(source_ports=PortRange(1, 1)), role=role, capabilities=caps) == [
            ("ports-unsupported", 132, 8)
        ]
    both = fi(source=SRC, source_ports=PortRange(1, 1), destination_ports=PortRange(2, 2))
    assert found(both, capabilities=caps) == [("ports-unsupported", 132, 28), ("ports-unsupported", 132, 32)]
    assert validate(fi(spi=1), capabilities=caps) == ()
    assert validate(fi(source_ports=PortRange(1, 1))) == ()


def test_s2_1_flow_label_unsupported() -> None:
    caps = Capabilities(flow_label=False)
    for role in RECEIVERS:
        assert found(fi(flow_label=1), role=role, capabilities=caps) == [("flow-label-unsupported", 133, 8)]
    # Figure 1 puts the SPI before the flow label.
    assert found(fi(flow_label=1, spi=2), capabilities=caps) == [("flow-label-unsupported", 133, 12)]
    assert validate(fi(spi=2), capabilities=caps) == ()
    assert validate(fi(flow_label=1)) == ()


def test_s2_1_spi_unsupported() -> None:
    caps = Capabilities(spi=False)
    for role in RECEIVERS:
        assert found(fi(spi=1), role=role, capabilities=caps) == [("spi-unsupported", 134, 8)]
    assert found(fi(spi=1, source_ports=PortRange(1, 1)), capabilities=caps) == [
        ("spi-unsupported", 134, 12)
    ]
    assert validate(fi(flow_label=1), capabilities=caps) == ()
    assert validate(fi(spi=1)) == ()


def test_s6_1_cn_prefix_not_128() -> None:
    bad = fi(source=AddressPrefix("2001:db8::", 127))
    assert found(bad, role="cn") == [("cn-prefix-not-128", 131, 24)]
    assert found(fi(source=SRC, destination=AddressPrefix("2001:db8::", 64)), role="cn") == [
        ("cn-prefix-not-128", 131, 44)
    ]
    assert found(fi(pro=Pro.REPLACE, destination=AddressPrefix("::", 0)), role="cn") == [
        ("cn-prefix-not-128", 131, 24)
    ]
    assert validate(fi(source=SRC, destination=DST), role="cn") == ()
    assert validate(bad, role="ha") == ()
    assert validate(bad, role="map") == ()


def test_s7_1_destination_not_mn() -> None:
    state = ReceiverState(mn_addresses=["2001:db8:1::/64", "192.0.2.0/24"])
    for role in ("ha", "map"):
        assert found(fi(destination=AddressPrefix("2001:db8:2::1")), role=role, state=state) == [
            ("destination-not-mn", 130, 8)
        ]
    # A prefix wider than the mobile node's is not assigned to it.
    assert rules(fi(destination=AddressPrefix("2001:db8:1::", 48)), state=state) == ["destination-not-mn"]
    assert found(fi(source=SRC, destination=AddressPrefix("2001:db8:2::1")), state=state) == [
        ("destination-not-mn", 130, 28)
    ]
    assert validate(fi(destination=AddressPrefix("2001:db8:1::5")), state=state) == ()
    assert validate(fi(destination=AddressPrefix("2001:db8:1::", 64)), state=state) == ()
    assert validate(fi(destination=AddressPrefix("192.0.2.9")), state=state) == ()
    assert validate(fi(flags="H"), state=state) == ()
    # A correspondent node does not check it; without the addresses nobody does.
    assert validate(fi(destination=AddressPrefix("2001:db8:2::1")), role="cn", state=state) == ()
    assert validate(fi(destination=AddressPrefix("2001:db8:2::1")), state=ReceiverState()) == ()


def test_s6_1_bid_not_registered() -> None:
    state = ReceiverState(registered_bids={1, 2})
    bad = fi(sub_options=(BIDSubOption((1, 3)),))
    for role in RECEIVERS:
        assert found(bad, role=role, state=state) == [("bid-not-registered", 129, 11)]
    assert octet(bad, 11) == 3
    assert found(bad, state=state, profile=BID16) == [("bid-not-registered", 129, 12)]
    assert flowbind.encode(bad, BID16)[12:14] == b"\x00\x03"
    assert validate(fi(sub_options=(BIDSubOption((1, 2)),)), state=state) == ()
    assert validate(bad, state=ReceiverState(fids_in_use={9})) == ()


def test_s3_8_ack_not_header_only() -> None:
    long_copy = fi(source_ports=PortRange(22, 22))
    for role in (*RECEIVERS, "mn"):
        assert found(long_copy, role=role, message="ba") == [("ack-not-header-only", None, 8)]
    (finding,) = validate(long_copy, message="ba")
    assert finding.severity is Severity.ERROR
    assert rules(fi(cls=2, opaque=b"\0" * 8), message="ba") == ["ack-not-header-only"]
    # The copy of an Add with S (vector h06) is exactly what a BA holds.
    copy = flowbind.decode(bytes.fromhex("1201800007010001"))
    assert validate(copy, message="ba") == ()
    assert rules(copy, message="bu") == ["header-only-add-fields"]


def test_s2_1_ack_status_unassigned() -> None:
    for status, meaning in ((140, "failure"), (255, "failure"), (1, "success"), (127, "success")):
        (finding,) = validate(fi(status=status), message="ba", role="mn")
        assert (finding.rule, finding.status, finding.offset) == ("ack-status-unassigned", None, 6)
        assert finding.severity is Severity.WARNING
        assert meaning in finding.message
    for status in Status:
        assert validate(fi(status=status), message="ba") == ()
    # In a Binding Update the Status is ignored (§2.1).
    assert validate(fi(status=140)) == ()


def test_s3_reserved_nonzero() -> None:
    cases = [
        (fi(source=AddressPrefix("2001:db8::1", 128, reserved=1)), 25, 27),
        (fi(source=SRC, destination=AddressPrefix("2001:db8::2", 128, reserved=0x800000)), 45, 45),
        (fi(flow_label=1, res3=0xFFF), 10, 11),
        (fi(spi=1, flow_label=1, res3=1), 14, 15),
        (fi(protocol=6, res4=0x100), 10, 10),
    ]
    for option, offset, nonzero_at in cases:
        (finding,) = validate(option)
        assert (finding.rule, finding.status, finding.offset) == ("reserved-nonzero", None, offset)
        assert finding.severity is Severity.WARNING
        assert octet(option, nonzero_at) != 0
        assert [f.rule for f in validate(option, message="ba")] == ["ack-not-header-only", "reserved-nonzero"]
    # Any PRO, any role; reported after the errors.
    assert rules(fi(protocol=6, res4=1, pro=Pro.REFRESH), role="cn") == ["reserved-nonzero"]
    assert rules(fi(protocol=6, res4=1, pro=9)) == ["pro-unknown", "reserved-nonzero"]
    assert validate(fi(source=SRC, flow_label=1, protocol=6)) == ()


def test_s3_ignored_nonzero() -> None:
    o_only = fi(protocol=6, ignored_class_of_service=0x2E)
    assert found(o_only) == [("ignored-nonzero", None, 9)]
    assert octet(o_only, 9) == 0x2E
    t_only = fi(class_of_service=1, ignored_protocol=17)
    assert found(t_only, role="cn") == [("ignored-nonzero", None, 8)]
    assert octet(t_only, 8) == 17
    assert validate(fi(protocol=6)) == ()
    assert validate(fi(protocol=6, class_of_service=0x2E)) == ()


def test_every_rule_has_a_test_named_after_its_section() -> None:
    names = set(globals())
    missing = []
    for rule in RULES:
        section = rule.section.lstrip("§").replace(".", "_")
        name = f"test_s{section}_{rule.id.replace('-', '_')}"
        if name not in names:
            missing.append(name)
    assert missing == []


# --- the table as a whole ---------------------------------------------------------------


def test_rule_ids_are_unique_and_stable_identifiers() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)
    assert all(re.fullmatch(r"§\d+(\.\d+)*", r.section) for r in RULES)


def test_the_statuses_are_interpretation_s7s() -> None:
    stateless = {int(r.status) for r in RULES if r.status is not None and not r.stateful}
    assert stateless == {129, 131, 132, 133, 134, 137, 138, 139}
    stateful = {int(r.status) for r in RULES if r.status is not None and r.stateful}
    assert stateful == {129, 130, 135, 136}
    # Warnings have no status; errors in a Binding Update always have one.
    assert all(r.status is None for r in RULES if r.severity is Severity.WARNING)
    assert all(r.status is not None for r in RULES if r.severity is Severity.ERROR and "bu" in r.messages)


def test_errors_come_before_warnings_in_the_table() -> None:
    severities = [r.severity for r in RULES]
    first_warning = severities.index(Severity.WARNING)
    assert all(s is Severity.WARNING for s in severities[first_warning:])


def test_refresh_and_remove_get_only_the_pro_check_and_stateful_fid_checks() -> None:
    for rule in RULES:
        if rule.severity is Severity.ERROR and "bu" in rule.messages and rule.pros is not None:
            if Pro.REFRESH in rule.pros or Pro.REMOVE in rule.pros:
                assert rule.stateful and rule.id.startswith("fid-"), rule.id
    everything_wrong = dict(action=0, cls=2, flags="SERH", status=200)
    for pro in (Pro.REFRESH, Pro.REMOVE):
        for role in RECEIVERS:
            assert validate(fi(pro=pro, **everything_wrong), role=role, capabilities=NOTHING) == ()


def test_map_behaves_as_home_agent() -> None:
    state = ReceiverState(fids_in_use={1, 2}, registered_bids={7}, mn_addresses=["2001:db8:1::/64"])
    for option in sample_options():
        for caps in (flowbind.DEFAULT_CAPABILITIES, NOTHING):
            assert validate(option, role="map", capabilities=caps, state=state) == validate(
                option, role="ha", capabilities=caps, state=state
            )


def sample_options() -> list[FlowIdentification]:
    """Options that break rules of every kind (and some that break none)."""
    return [
        fi(),
        fi(pro=3),
        fi(fid=2, pro=Pro.REPLACE),
        fi(fid=9, pro=Pro.REMOVE),
        fi(action=0),
        fi(cls=2),
        fi(flags="S"),
        fi(source=AddressPrefix("2001:db8::", 64), flags="R"),
        fi(destination=AddressPrefix("2001:db8:2::", 64), flags="H", source_ports=PortRange(9, 1)),
        fi(action=Action.NCAST, pro=Pro.REPLACE, sub_options=(BIDSubOption(()), BIDSubOption((3,)))),
        fi(action=Action.DISCARD, spi=1, flow_label=2, res3=3, protocol=6, ignored_class_of_service=1),
        fi(action=Action.NCAST),
    ]


# --- order: the first error is the answer ----------------------------------------------


def test_findings_follow_the_table_order() -> None:
    index = {r.id: i for i, r in enumerate(RULES)}
    state = ReceiverState(fids_in_use={1, 2}, registered_bids={7}, mn_addresses=["2001:db8:1::/64"])
    for option in sample_options():
        for role in RECEIVERS:
            found_ = validate(option, role=role, capabilities=NOTHING, state=state)
            order = [index[f.rule] for f in found_]
            assert order == sorted(order)


def test_the_first_error_is_the_status_answered() -> None:
    state = ReceiverState(fids_in_use={1})
    # The FID is checked first (§7.1, §6.1), before the Action.
    bad = fi(action=0)
    assert ack_status(validate(bad, state=state)) == Status.FID_ALREADY_IN_USE
    assert ack_status(validate(bad)) == Status.POORLY_FORMED
    # Malformed beats unsupported.
    inverted = fi(source_ports=PortRange(2, 1))
    assert [f.rule for f in validate(inverted, capabilities=NOTHING)] == [
        "port-range-inverted",
        "ports-unsupported",
    ]
    assert ack_status(validate(inverted, capabilities=NOTHING)) == Status.POORLY_FORMED
    # The Action before the fields, as §6.1 and §7.1 check them.
    mixed = fi(action=Action.DISCARD, spi=1)
    assert ack_status(validate(mixed, capabilities=NOTHING)) == Status.DISCARD_NOT_SUPPORTED
    # Warnings never set the answer.
    assert ack_status(validate(fi(protocol=6, res4=1))) == Status.SUCCESS
    assert ack_status(()) == Status.SUCCESS


# --- the mobile node's side -------------------------------------------------------------------


def test_mobile_node_sees_what_its_peer_will_answer() -> None:
    state = ReceiverState(fids_in_use={1, 2}, registered_bids={7}, mn_addresses=["2001:db8:1::/64"])
    for option in sample_options():
        for peer in PEERS:
            for caps in (flowbind.DEFAULT_CAPABILITIES, NOTHING):
                for known in (None, state):
                    assert validate(
                        option, role="mn", peer=peer, capabilities=caps, state=known
                    ) == validate(option, role=peer, capabilities=caps, state=known)


def test_mobile_node_refuses_a_prefix_towards_a_correspondent_node() -> None:
    option = fi(source=AddressPrefix("2001:db8::", 64))
    assert validate(option, role="mn", peer="ha") == ()
    assert validate(option, role="mn", peer="map") == ()
    assert found(option, role="mn", peer="cn") == [("cn-prefix-not-128", 131, 24)]


def test_roles_messages_and_peers_are_checked() -> None:
    option = fi()
    with pytest.raises(ValueError, match="peer"):
        validate(option, role="mn")
    with pytest.raises(ValueError, match="peer"):
        validate(option, role="ha", peer="cn")
    with pytest.raises(ValueError, match="peer must be"):
        validate(option, role="mn", peer="mn")
    with pytest.raises(ValueError, match="role must be"):
        validate(option, role="router")
    with pytest.raises(ValueError, match="message must be"):
        validate(option, message="br")
    with pytest.raises(TypeError):
        validate(b"\x12\x01\x00\x01\x05\x01\x00\x21")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        validate(option, capabilities={"spi": False})  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        validate(option, state={"fids_in_use": {1}})  # type: ignore[arg-type]
    # A mobile node reading an acknowledgement needs no peer.
    assert validate(option, role="mn", message="ba") == ()
    assert validate(option, role="mn", peer="cn", message="ba") == ()


# --- values ----------------------------------------------------------------------------------


def test_capabilities_are_immutable_booleans() -> None:
    caps = Capabilities()
    assert all(dataclasses.astuple(caps))
    assert caps == flowbind.DEFAULT_CAPABILITIES
    with pytest.raises(dataclasses.FrozenInstanceError):
        caps.spi = False  # type: ignore[misc]
    with pytest.raises(TypeError, match="spi"):
        Capabilities(spi=0)  # type: ignore[arg-type]
    assert hash(Capabilities(ports=False)) == hash(Capabilities(ports=False))


def test_receiver_state_normalises_its_parts() -> None:
    state = ReceiverState(
        fids_in_use=[1, 1, 2], registered_bids=range(3), mn_addresses=["2001:db8::1", "192.0.2.0/24"]
    )
    assert state.fids_in_use == frozenset({1, 2})
    assert state.registered_bids == frozenset({0, 1, 2})
    assert [str(n) for n in state.mn_addresses or ()] == ["2001:db8::1/128", "::ffff:c000:200/120"]
    assert hash(state) == hash(dataclasses.replace(state))
    with pytest.raises(TypeError):
        ReceiverState(fids_in_use="12")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        ReceiverState(fids_in_use=[True])
    with pytest.raises(ValueError, match="not an address"):
        ReceiverState(mn_addresses=["nowhere"])
    with pytest.raises(TypeError):
        ReceiverState(mn_addresses="2001:db8::/32")  # type: ignore[arg-type]


def test_check_state_reports_only_the_stateful_rules() -> None:
    state = ReceiverState(fids_in_use={1}, registered_bids={7}, mn_addresses=["2001:db8:1::/64"])
    option = fi(action=0, destination=AddressPrefix("2001:db8:2::1"), sub_options=(BIDSubOption((8,)),))
    assert [f.rule for f in check_state(option, state)] == [
        "fid-in-use",
        "destination-not-mn",
        "bid-not-registered",
    ]
    assert [f.rule for f in validate(option, state=state)] == [
        "fid-in-use",
        "action-unknown",
        "destination-not-mn",
        "bid-not-registered",
    ]
    assert [f.rule for f in check_state(option, state, role="cn")] == ["fid-in-use", "bid-not-registered"]
    assert [f.rule for f in check_state(option, state, role="mn", peer="cn")] == [
        "fid-in-use",
        "bid-not-registered",
    ]
    with pytest.raises(TypeError):
        check_state(option, None)  # type: ignore[arg-type]


def test_finding_is_a_frozen_value_with_a_dict_form() -> None:
    (finding,) = validate(fi(pro=3))
    assert isinstance(finding, Finding)
    assert finding.is_error
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.status = None  # type: ignore[misc]
    assert finding.to_dict() == {
        "rule": "pro-unknown",
        "status": 129,
        "status_name": "POORLY_FORMED",
        "severity": "error",
        "message": finding.message,
        "section": "§2.1",
        "offset": 7,
    }
    assert "PRO 3" in finding.message
    assert str(finding).startswith("pro-unknown (129 POORLY_FORMED, §2.1) at octet 7: PRO 3")
    (warning,) = validate(fi(protocol=1, res4=1))
    assert not warning.is_error
    assert warning.to_dict()["status"] is None and warning.to_dict()["status_name"] is None
    assert str(warning).startswith("reserved-nonzero (warning, §3) at octet 10: Res4")


def test_offsets_point_inside_the_option() -> None:
    state = ReceiverState(fids_in_use={1, 2}, registered_bids={7}, mn_addresses=["2001:db8:1::/64"])
    for option in sample_options():
        size = flowbind.encoded_size(option)
        for role in RECEIVERS:
            for f in validate(option, role=role, capabilities=NOTHING, state=state):
                assert f.offset is not None and 0 <= f.offset < size, f


# --- the vectors ---------------------------------------------------------------------------


def _vector_option(case: dict[str, Any]) -> tuple[FlowIdentification, flowbind.Profile]:
    profile = flowbind.Profile(**case["profile"]) if case["profile"] else flowbind.DRAFT_02
    return flowbind.decode(bytes.fromhex(case["hex"]), profile), profile


def test_there_are_vectors_with_findings() -> None:
    assert len(CHECKED) >= 13
    assert any(c["findings"]["ha"] for c in CHECKED)
    assert any(c.get("warning") for c in CHECKED)


@pytest.mark.parametrize("case", CHECKED, ids=[c["id"] for c in CHECKED])
def test_vector_findings(case: dict[str, Any]) -> None:
    option, profile = _vector_option(case)
    for role, statuses in case["findings"].items():
        findings = validate(option, role=role, profile=profile)
        assert sorted({int(f.status) for f in findings if f.status is not None}) == statuses, role
        if role == "ha":
            assert validate(option, role="map", profile=profile) == findings
    if "warning" in case:
        warned = any(f.severity is Severity.WARNING for f in validate(option, profile=profile))
        assert warned == case["warning"]
        assert all(f.status is None for f in validate(option) if f.severity is Severity.WARNING)


@pytest.mark.parametrize("case", CHECKED, ids=[c["id"] for c in CHECKED])
def test_vector_strict_decode(case: dict[str, Any]) -> None:
    option, profile = _vector_option(case)
    data = bytes.fromhex(case["hex"])
    if case["findings"]["ha"] or case.get("warning"):
        with pytest.raises(ValidationError) as info:
            flowbind.decode(data, profile, strict=True)
        assert info.value.findings == validate(option, profile=profile)
    else:
        assert flowbind.decode(data, profile, strict=True) == option


# --- strict decode ------------------------------------------------------------------------


def test_strict_decode_refuses_errors_and_warnings() -> None:
    action0 = bytes.fromhex("12022001010000010016001600000000")
    assert flowbind.decode(action0).action == 0  # lenient by default
    with pytest.raises(ValidationError) as info:
        flowbind.decode(action0, strict=True)
    assert [f.rule for f in info.value.findings] == ["action-unknown"]
    assert "action-unknown" in str(info.value)
    assert isinstance(info.value, flowbind.FlowbindError)
    garbage_cs = bytes.fromhex("1202080101010001062e000000000000")
    with pytest.raises(ValidationError) as info:
        flowbind.decode(garbage_cs, strict=True)
    assert [(f.rule, f.offset) for f in info.value.findings] == [("ignored-nonzero", 9)]
    # A decode error is still a DecodeError.
    with pytest.raises(flowbind.DecodeError):
        flowbind.decode(b"\x12", strict=True)
    # strict is keyword-only.
    with pytest.raises(TypeError):
        flowbind.decode(action0, flowbind.DRAFT_02, True)  # type: ignore[misc]


def test_strict_decode_uses_the_profile_for_offsets() -> None:
    option = fi(sub_options=(BIDSubOption((300,)), BIDSubOption(())))
    data = flowbind.encode(option, BID16)
    with pytest.raises(ValidationError) as info:
        flowbind.decode(data, BID16, strict=True)
    assert [(f.rule, f.offset) for f in info.value.findings] == [("bid-sub-option-empty", 12)]
    assert data[12] == 1


def test_validation_error_pickles() -> None:
    with pytest.raises(ValidationError) as info:
        flowbind.decode(bytes.fromhex("1201800007010001"), strict=True)
    again = pickle.loads(pickle.dumps(info.value))
    assert again.findings == info.value.findings
    assert str(again) == str(info.value)


# --- CLI ----------------------------------------------------------------------------------


def run_cli(*argv: str, stdin: str = "") -> tuple[int, list[dict[str, Any]]]:
    out = io.StringIO()
    rc = main(list(argv), stdout=out, stdin=io.StringIO(stdin))
    return rc, [json.loads(line) for line in out.getvalue().splitlines()]


def test_cli_validate_prints_one_line_per_input() -> None:
    rc, lines = run_cli("validate", "12 02 20 01 01 01 00 01 00 16 00 16 00 00 00 00", "1201800007010001")
    assert rc == 1
    assert lines[0] == {
        "input": "12 02 20 01 01 01 00 01 00 16 00 16 00 00 00 00",
        "findings": [],
        "status": 0,
    }
    assert lines[1]["status"] == 129
    assert lines[1]["findings"] == [
        {
            "rule": "header-only-add-fields",
            "status": 129,
            "status_name": "POORLY_FORMED",
            "severity": "error",
            "message": lines[1]["findings"][0]["message"],
            "section": "§3.4",
            "offset": 2,
        }
    ]


def test_cli_validate_exit_status() -> None:
    assert run_cli("validate", "12022001010100010016001600000000")[0] == 0
    # A warning alone does not fail.
    rc, lines = run_cli("validate", "1202080101010001062e000000000000")
    assert rc == 0
    assert lines[0]["status"] == 0 and lines[0]["findings"][0]["severity"] == "warning"
    # A decode error prints as decode prints it, and fails.
    rc, lines = run_cli("validate", "12", "12022001010100010016001600000000")
    assert rc == 1
    assert lines[0] == {
        "error": "truncated",
        "offset": 1,
        "message": lines[0]["message"],
        "input": "12",
    }
    assert lines[1]["status"] == 0
    rc, lines = run_cli("validate", "zz")
    assert rc == 1 and lines[0]["error"] == "input"


def test_cli_validate_roles_messages_profile_and_stdin() -> None:
    prefix64 = flowbind.encode(fi(source=AddressPrefix("2001:db8::", 64))).hex()
    assert run_cli("validate", prefix64)[0] == 0
    rc, lines = run_cli("validate", "--role", "cn", prefix64)
    assert rc == 1 and lines[0]["status"] == 131
    rc, lines = run_cli("validate", "--role", "mn", "--peer", "cn", prefix64)
    assert rc == 1 and lines[0]["findings"][0]["rule"] == "cn-prefix-not-128"
    assert run_cli("validate", "--role", "map", prefix64)[0] == 0
    # An acknowledgement copy: no status to answer.
    rc, lines = run_cli("validate", "--message", "ba", "12022001010100010016001600000000")
    assert rc == 1 and lines[0]["status"] is None
    assert lines[0]["findings"][0]["rule"] == "ack-not-header-only"
    assert run_cli("validate", "--message", "ba", "--role", "mn", "1201800007010001")[0] == 0
    # Profile flags and standard input.
    rc, lines = run_cli(
        "validate", "--length-unit", "octet", "-", stdin="# a comment\n120a20010101000100160016\n\n"
    )
    assert rc == 0 and lines == [{"input": "120a20010101000100160016", "findings": [], "status": 0}]
    rc, lines = run_cli("validate", "--bid-width", "2", "1202000a0a0300010104000700000000")
    assert rc == 0 and lines[0]["findings"] == []
    rc, lines = run_cli("validate", "--example")
    assert rc == 0 and len(lines) == 4


def test_cli_validate_refuses_meaningless_peer_use(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run_cli("validate", "--role", "mn", "1201000105010021")
    assert info.value.code == 2
    assert "--peer" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run_cli("validate", "--peer", "cn", "1201000105010021")


def test_cli_decode_is_unchanged_by_validate() -> None:
    rc, lines = run_cli("decode", "12022001010000010016001600000000")
    assert rc == 0 and lines[0]["action"] == 0 and "findings" not in lines[0]


# --- docs ------------------------------------------------------------------------------------

DOC = ROOT / "docs" / "validation.md"
BEGIN, END = "<!-- rules:begin -->", "<!-- rules:end -->"


def test_docs_rule_table_is_the_code_s() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1
    table = text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"
    assert table == rules_markdown(), (
        "docs/validation.md's rule table differs from the code: paste rules_markdown()'s "
        "output between the markers"
    )


def test_rules_markdown_has_a_row_per_rule() -> None:
    rows = rules_markdown().splitlines()[2:]
    assert len(rows) == len(RULES)
    for row, rule in zip(rows, RULES, strict=True):
        assert f"`{rule.id}`" in row and rule.section in row and rule.condition in row


def test_docs_mention_every_rule_id_once_in_the_table() -> None:
    table = DOC.read_text(encoding="utf-8").split(BEGIN, 1)[1].split(END, 1)[0]
    for rule in RULES:
        assert table.count(f"`{rule.id}`") == 1


def test_the_docs_command_prints_the_table() -> None:
    code = "from flowbind.checks import rules_markdown; print(rules_markdown(), end='')"
    assert f'python -c "{code}"' in DOC.read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == rules_markdown()
    assert done.stderr == ""


def test_flag_letters_in_header_only_finding() -> None:
    (finding,) = validate(fi(flags=Flag.S | Flag.W | Flag.H))
    assert "flag(s) SW announce" in finding.message


# --- properties over every option the codec can carry ----------------------------------------

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULE_AT = {r.id: r for r in RULES}
ORDER = {r.id: i for i, r in enumerate(RULES)}
STATE = ReceiverState(fids_in_use=set(range(0, 256, 2)), registered_bids={1, 7}, mn_addresses=["2000::/3"])


@st.composite
def profiled_options(draw: st.DrawFn, canonical: bool = False) -> tuple[flowbind.Profile, FlowIdentification]:
    profile = draw(fst.profiles())
    return profile, draw(fst.options(profile, canonical=canonical))


@PROPERTY
@given(profiled_options())
def test_property_findings_are_consistent(drawn: tuple[flowbind.Profile, FlowIdentification]) -> None:
    profile, option = drawn
    size = len(flowbind.encode(option, profile))
    for message in ("bu", "ba"):
        for role in RECEIVERS:
            for caps in (flowbind.DEFAULT_CAPABILITIES, NOTHING):
                for state in (None, STATE):
                    findings = validate(
                        option, role=role, message=message, capabilities=caps, state=state, profile=profile
                    )
                    order = [ORDER[f.rule] for f in findings]
                    assert order == sorted(order)
                    for f in findings:
                        rule = RULE_AT[f.rule]
                        assert (f.status, f.severity, f.section) == (rule.status, rule.severity, rule.section)
                        assert f.offset is not None and 0 <= f.offset < size
                    if message == "bu":
                        peer_view = validate(
                            option, role="mn", peer=role, capabilities=caps, state=state, profile=profile
                        )
                        assert peer_view == findings
    assert validate(option, role="map", profile=profile) == validate(option, role="ha", profile=profile)


@PROPERTY
@given(profiled_options())
def test_property_warnings_are_exactly_the_non_zero_reserved_and_ignored_bits(
    drawn: tuple[flowbind.Profile, FlowIdentification],
) -> None:
    profile, option = drawn
    wire = flowbind.encode(option, profile)
    reserved = [
        option.source.reserved if option.source else 0,
        option.destination.reserved if option.destination else 0,
        option.res3,
        option.res4,
    ]
    ignored = [option.ignored_protocol, option.ignored_class_of_service]
    warnings = [f for f in validate(option, profile=profile) if f.severity is Severity.WARNING]
    assert [f.rule for f in warnings] == ["reserved-nonzero"] * sum(map(bool, reserved)) + [
        "ignored-nonzero"
    ] * sum(map(bool, ignored))
    for f in warnings:
        assert f.offset is not None
        # Reserved bits start at the offset and are at most 3 octets long; the window is not all zero.
        assert any(wire[f.offset : f.offset + 3])


@PROPERTY
@given(profiled_options(canonical=True))
def test_property_a_canonical_option_has_no_warning(
    drawn: tuple[flowbind.Profile, FlowIdentification],
) -> None:
    profile, option = drawn
    assert all(f.severity is Severity.ERROR for f in validate(option, profile=profile))


@PROPERTY
@given(profiled_options())
def test_property_strict_decode_refuses_exactly_what_validate_reports(
    drawn: tuple[flowbind.Profile, FlowIdentification],
) -> None:
    profile, option = drawn
    data = flowbind.encode(option, profile)
    findings = validate(flowbind.decode(data, profile), profile=profile)
    if findings:
        with pytest.raises(ValidationError) as info:
            flowbind.decode(data, profile, strict=True)
        assert info.value.findings == findings
    else:
        assert flowbind.decode(data, profile, strict=True) == option
