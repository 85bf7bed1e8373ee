"""Make the example captures shipped in examples/: the draft's §4 scenario.

    python examples/make_example_capture.py [OUTDIR]

writes ``flowbind-example.pcap`` (the default ``DRAFT_02`` profile, Option
Len in 8-octet units) and ``flowbind-example-octet.pcap`` (``DRAFT_02_OCTETS``,
which Wireshark frames correctly) to OUTDIR (default: beside this script).
The files are the same, octet for octet, every time; the test suite runs this
script and compares its output with the files in the repository.

The exchange, Ethernet, between a mobile node (home address 2001:db8:100::7,
care-of addresses CoA1 2001:db8:a::7 and CoA2 2001:db8:b::7) and its home
agent 2001:db8:100::1:

1. BU from CoA2 (Home Address option): register CoA2 as the default, BID 2
   (RFC 5648 Binding Identifier option).
2. BA, status 0, to CoA2 (type 2 routing header).
3. BU from CoA2 binding ssh (source port 22, FID 1) and https (443, FID 2) to
   CoA1 (BID 1, Binding Identifier option with CoA1), plus an ESP flow by SPI
   for FID 3 that this home agent does not support.
4. BA with the 8-octet copies: 0, 0 and 134 (SPI not supported).
5. BU refreshing FID 1 and removing FID 9, which was never added.
6. BA: 0 for the Refresh, 136 (FID not found) for the Remove.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    Pro,
    Profile,
    Status,
)
from flowbind.capture import LINKTYPE_ETHERNET, packet_for, write_pcap
from flowbind.mobility import BindingIdentifier, BindingUpdate, BUFlag, Message, acknowledge

HOME = "2001:db8:100::7"
COA1 = "2001:db8:a::7"
COA2 = "2001:db8:b::7"
HA = "2001:db8:100::1"
START = 1_159_574_400.0  # 2006-09-30 00:00:00 UTC, the draft's date
NAMES = {DRAFT_02: "flowbind-example.pcap", DRAFT_02_OCTETS: "flowbind-example-octet.pcap"}


def exchange(profile: Profile) -> list[tuple[Message, bool]]:
    """The six messages, each with whether the mobile node sends it."""
    flags = BUFlag.A | BUFlag.H
    bu1 = BindingUpdate(sequence=100, flags=flags, lifetime=150, options=(BindingIdentifier(2),))
    ssh = FlowIdentification(
        fid=1, priority=1, source_ports=PortRange(22, 22), sub_options=(BIDSubOption([1]),)
    )
    https = FlowIdentification(
        fid=2, priority=1, source_ports=PortRange(443, 443), sub_options=(BIDSubOption([1]),)
    )
    esp = FlowIdentification(fid=3, priority=2, spi=0x1234, protocol=50)
    bu2 = BindingUpdate(
        sequence=101,
        flags=flags,
        lifetime=150,
        options=(BindingIdentifier(1, care_of_address=ipaddress.ip_address(COA1)), ssh, https, esp),
    )
    refresh = FlowIdentification(fid=1, pro=Pro.REFRESH, priority=1, flags=ssh.flags)
    remove = FlowIdentification(fid=9, pro=Pro.REMOVE)
    bu3 = BindingUpdate(sequence=102, flags=flags, lifetime=150, options=(refresh, remove))
    return [
        (bu1, True),
        (acknowledge(bu1, [], profile), False),
        (bu2, True),
        (acknowledge(bu2, [Status.SUCCESS, Status.SUCCESS, Status.SPI_NOT_SUPPORTED], profile), False),
        (bu3, True),
        (acknowledge(bu3, [Status.SUCCESS, Status.FID_NOT_FOUND], profile), False),
    ]


def packets(profile: Profile) -> list[tuple[float, bytes]]:
    out = []
    for i, (message, from_mn) in enumerate(exchange(profile)):
        src, dst = (COA2, HA) if from_mn else (HA, COA2)
        out.append(
            (START + i * 0.25, packet_for(message, profile, source=src, destination=dst, home_address=HOME))
        )
    return out


def main(argv: list[str]) -> int:
    outdir = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    outdir.mkdir(parents=True, exist_ok=True)
    for profile, name in NAMES.items():
        n = write_pcap(outdir / name, packets(profile), LINKTYPE_ETHERNET)
        print(f"{outdir / name}: {n} frames ({profile!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
