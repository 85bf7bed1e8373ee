"""A real peer: tshark (Wireshark) reads the captures flowbind writes.

In the ``octet`` profile every message must dissect as a well-formed Binding
Update or Acknowledgement, with every mobility option framed exactly where
flowbind frames it and no malformed or expert-info item.  In the default
``8-octet`` profile Wireshark, a generic RFC 6275 option walker, misframes
the option (docs/captures.md shows how): the test holds that too, so the
documentation stays true.

Skipped when tshark is absent, unless CI=true, when its absence fails.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    AddressPrefix,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    Pro,
    Profile,
    UnknownSubOption,
)
from flowbind.capture import (
    LINKTYPE_ETHERNET,
    LINKTYPE_LINUX_SLL2,
    MobilityFrame,
    packet_for,
    read_capture,
    write_pcap,
)
from flowbind.mobility import (
    AlternateCareOfAddress,
    BindingIdentifier,
    BindingRefreshAdvice,
    BindingUpdate,
    BUFlag,
    UnknownMobilityOption,
    acknowledge,
    encode_message,
)

TSHARK = shutil.which("tshark")
if TSHARK is None:
    if os.environ.get("CI") == "true":
        pytest.fail(
            "tshark is not installed, and CI=true: .ci/run installs it (apt-get install tshark)",
            pytrace=False,
        )
    pytest.skip(
        "tshark is not installed (apt-get install tshark); CI runs these tests", allow_module_level=True
    )

pytest.importorskip("scapy")

MN, HA, HOME = "2001:db8:b::7", "2001:db8:100::1", "2001:db8:100::7"

OPTIONS = [
    FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22)),
    FlowIdentification(
        fid=2, priority=1, source_ports=PortRange(443, 443), sub_options=(BIDSubOption([1, 2]),)
    ),
    FlowIdentification(
        fid=3,
        priority=63,
        source=AddressPrefix("2001:db8:5::", 48),
        destination=AddressPrefix("192.0.2.0", 120),
        source_ports=PortRange(1024, 65535),
        destination_ports=PortRange(80, 80),
        spi=0xDEADBEEF,
        flow_label=0xABCDE,
        protocol=17,
        class_of_service=0x2E,
        sub_options=(BIDSubOption([7]), UnknownSubOption(9, b"abc")),
    ),
    FlowIdentification(fid=4, pro=Pro.REFRESH),
    FlowIdentification(fid=5, pro=Pro.REMOVE),
    FlowIdentification(fid=6, cls=2, opaque=bytes(range(1, 9))),
]


def messages(profile: Profile) -> list[tuple[BindingUpdate | object, bool]]:
    """Updates with every kind of option, each with its acknowledgement."""
    updates = [
        BindingUpdate(sequence=1, flags=BUFlag.A | BUFlag.H, lifetime=60, options=tuple(OPTIONS)),
        BindingUpdate(
            sequence=2,
            flags=BUFlag.A | BUFlag.H | BUFlag.K,
            lifetime=60,
            options=(
                AlternateCareOfAddress("2001:db8:a::7"),
                OPTIONS[0],
                BindingIdentifier(1, care_of_address=ipaddress.ip_address("2001:db8:a::7")),
                OPTIONS[2],
                BindingIdentifier(2, care_of_address=ipaddress.ip_address("192.0.2.7")),
                BindingIdentifier(3),
                OPTIONS[3],
                UnknownMobilityOption(8, b"\x01mn@example"),
            ),
        ),
        BindingUpdate(sequence=3, options=(OPTIONS[4],)),
    ]
    out: list[tuple[BindingUpdate | object, bool]] = []
    for u in updates:
        out.append((u, True))
        out.append(
            (
                acknowledge(
                    u, lambda o: 0 if o.fid % 2 else 128 + o.fid, profile, options=[BindingRefreshAdvice(30)]
                ),
                False,
            )
        )
    return out


def write(path: Path, profile: Profile, linktype: int = LINKTYPE_ETHERNET) -> None:
    pkts = []
    for m, from_mn in messages(profile):
        src, dst = (MN, HA) if from_mn else (HA, MN)
        pkts.append(packet_for(m, profile, source=src, destination=dst, home_address=HOME))  # type: ignore[arg-type]
    write_pcap(path, pkts, linktype)


def pdml(path: Path) -> ET.Element:
    done = subprocess.run([TSHARK, "-r", str(path), "-T", "pdml"], capture_output=True, text=True, check=True)  # type: ignore[list-item]
    return ET.fromstring(done.stdout)


def walk(el: ET.Element) -> list[ET.Element]:
    return list(el.iter("field"))


def mip6_options(proto: ET.Element) -> list[tuple[int, int]]:
    """(position in the frame, size) of each mobility option tshark framed."""
    opts = next((f for f in proto.iter("field") if f.get("show") == "Mobility Options"), None)
    if opts is None:
        return []
    return [
        (int(f.get("pos", -1)), int(f.get("size", -1)))
        for f in opts
        if f.get("name", "").startswith("mip6.options.")
    ]


@pytest.mark.parametrize("linktype", [LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL2])
def test_tshark_frames_every_option_of_the_octet_profile_as_flowbind_does(
    tmp_path: Path, linktype: int
) -> None:
    profile = DRAFT_02_OCTETS
    path = tmp_path / "octet.pcap"
    write(path, profile, linktype)
    root = pdml(path)
    packets = root.findall("packet")
    ours = [f for f in read_capture(path, profile)]
    assert len(packets) == len(ours) == 6
    for pkt, frame in zip(packets, ours, strict=True):
        assert isinstance(frame, MobilityFrame) and frame.checksum_ok
        names = {f.get("name") for f in pkt.iter("field")} | {p.get("name") for p in pkt.iter("proto")}
        assert "_ws.malformed" not in names and "_ws.expert" not in names, "tshark found fault with a frame"
        assert "_ws.short" not in names
        (proto,) = [p for p in pkt.iter("proto") if p.get("name") == "mipv6"]
        fields = {f.get("name"): f.get("show") for f in proto.iter("field")}
        assert int(fields["mip6.mhtype"]) == frame.mh_type in (5, 6)
        seq = fields["mip6.bu.seqnr"] if frame.mh_type == 5 else fields["mip6.ba.seqnr"]
        assert int(seq) == frame.header.sequence
        assert int(fields["mip6.csum"], 16) == frame.header.checksum
        # every option, padding included, at the octet and of the size flowbind says
        wire = encode_message(frame.header, profile)
        want = []
        for off, nxt in zip(
            frame.header.option_offsets, [*frame.header.option_offsets[1:], len(wire)], strict=True
        ):
            want.append((frame.mh_offset + off, nxt - off))
        assert want and mip6_options(proto) == want
        # and our options are the Experimental Mobility Option type (RFC 5096) to it, Length as we wrote it
        ems = [f for f in proto.iter("field") if f.get("name") == "mip6.options.em"]
        ours_fi = [
            (frame.mh_offset + off, o)
            for off, o in zip(frame.header.option_offsets, frame.header.message.options, strict=True)
            if isinstance(o, FlowIdentification)
        ]
        assert [int(f.get("pos", -1)) for f in ems] == [p for p, _ in ours_fi]


def test_tshark_reads_the_shipped_octet_example_cleanly() -> None:
    path = Path(__file__).resolve().parent.parent / "examples" / "flowbind-example-octet.pcap"
    root = pdml(path)
    for pkt in root.findall("packet"):
        names = {f.get("name") for f in pkt.iter("field")} | {p.get("name") for p in pkt.iter("proto")}
        assert "mipv6" in names and "_ws.malformed" not in names and "_ws.expert" not in names


def test_tshark_misframes_the_8_octet_unit(tmp_path: Path) -> None:
    """What docs/captures.md shows: the default profile's Len is not an RFC 6275 walker's."""
    path = tmp_path / "eight.pcap"
    write(path, DRAFT_02)
    root = pdml(path)
    bad = 0
    for pkt, frame in zip(root.findall("packet"), read_capture(path, DRAFT_02), strict=True):
        assert isinstance(frame, MobilityFrame) and frame.checksum_ok  # flowbind reads it
        names = {f.get("name") for f in pkt.iter("field")} | {p.get("name") for p in pkt.iter("proto")}
        (proto,) = [p for p in pkt.iter("proto") if p.get("name") == "mipv6"]
        wire = encode_message(frame.header, DRAFT_02)
        want = [
            (frame.mh_offset + off, nxt - off)
            for off, nxt in zip(
                frame.header.option_offsets, [*frame.header.option_offsets[1:], len(wire)], strict=True
            )
        ]
        if "_ws.malformed" in names or "_ws.expert" in names or mip6_options(proto) != want:
            bad += 1
    assert bad == 6  # every message, updates and acknowledgements alike, is misread


def test_the_tshark_output_quoted_in_the_docs_is_what_tshark_prints() -> None:
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [TSHARK, "-r", str(root / "examples" / "flowbind-example.pcap"), "-V"],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        check=True,
    )
    printed = done.stdout.splitlines()
    quotes = []
    inside = False
    block: list[str] = []
    for line in (root / "docs" / "captures.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if inside and block and block[0].strip() == "Mobility Options":
                quotes.append(block)
            inside, block = line == "```text", []
        elif inside:
            block.append(line)
    assert len(quotes) == 2
    for quote in quotes:
        starts = [i for i, line in enumerate(printed) if printed[i : i + len(quote)] == quote]
        assert starts, "docs/captures.md quotes tshark output that tshark does not print:\n" + "\n".join(
            quote
        )
