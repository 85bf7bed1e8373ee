"""flowbind.capture and `flowbind pcap`: link types, extension headers, damage, scapy's captures."""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from flowbind import (
    DRAFT_02,
    DRAFT_02_OCTETS,
    BIDSubOption,
    FlowIdentification,
    PortRange,
    Pro,
    Profile,
    decode,
    encode,
)
from flowbind.capture import (
    LINKTYPE_ETHERNET,
    LINKTYPE_IPV6,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_LOOP,
    LINKTYPE_NULL,
    LINKTYPE_RAW,
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
from flowbind.cli import main
from flowbind.mobility import (
    AlternateCareOfAddress,
    BindingIdentifier,
    BindingUpdate,
    BUFlag,
    Pad1,
    PadN,
    acknowledge,
    build_message,
    encode_message,
)

pytest.importorskip("scapy")

ROOT = Path(__file__).resolve().parent.parent
MN, HA, HOME = "2001:db8:b::7", "2001:db8:100::1", "2001:db8:100::7"
SSH = FlowIdentification(fid=1, priority=1, source_ports=PortRange(22, 22), sub_options=(BIDSubOption([1]),))
SPI = FlowIdentification(fid=3, spi=0x1234, protocol=50)
REMOVE = FlowIdentification(fid=9, pro=Pro.REMOVE)
UPDATE = BindingUpdate(
    sequence=5,
    flags=BUFlag.A | BUFlag.H,
    lifetime=100,
    options=(AlternateCareOfAddress("2001:db8:a::7"), SSH, BindingIdentifier(1), SPI, REMOVE),
)
PROFILES = [DRAFT_02, DRAFT_02_OCTETS, Profile(option_type=200, bid_width=2)]


def expected_rows(wire: bytes, mh_offset: int, profile: Profile) -> list[tuple[int, FlowIdentification]]:
    """What per-option decoding says of each Flow Identification option in a packet's message."""
    from flowbind.mobility import decode_message

    mh = decode_message(wire[mh_offset:], profile)
    out = []
    for off, o in zip(mh.option_offsets, mh.message.options, strict=True):
        if isinstance(o, FlowIdentification):
            size = profile.option_size(wire[mh_offset + off + 1])
            assert decode(wire[mh_offset + off : mh_offset + off + size], profile) == o
            out.append((off, o))
    return out


def options_of(path: Path, profile: Profile = DRAFT_02, **kw: object) -> list[OptionRecord | CaptureError]:
    return list(capture_options(path, profile, **kw))  # type: ignore[arg-type]


# --- link types and the reader ----------------------------------------------------


@pytest.mark.parametrize(
    ("linktype", "header"),
    [
        (LINKTYPE_ETHERNET, 14),
        (LINKTYPE_RAW, 0),
        (LINKTYPE_IPV6, 0),
        (LINKTYPE_LINUX_SLL, 16),
        (LINKTYPE_LINUX_SLL2, 20),
        (LINKTYPE_NULL, 4),
        (LINKTYPE_LOOP, 4),
    ],
)
@pytest.mark.parametrize("profile", PROFILES, ids=repr)
def test_every_link_type(tmp_path: Path, linktype: int, header: int, profile: Profile) -> None:
    bu = packet_for(UPDATE, profile, source=MN, destination=HA, home_address=HOME)
    ba = packet_for(
        acknowledge(UPDATE, [0, 0, 136], profile), profile, source=HA, destination=MN, home_address=HOME
    )
    path = tmp_path / "c.pcap"
    write_pcap(path, [bu, ba], linktype, start=100.0, interval=0.5)
    frames = list(read_capture(path, profile))
    assert [type(f) for f in frames] == [MobilityFrame, MobilityFrame]
    f1, f2 = frames
    assert isinstance(f1, MobilityFrame) and isinstance(f2, MobilityFrame)
    assert (f1.frame, f1.time, f1.mh_type, f1.linktype) == (1, 100.0, 5, linktype)
    assert (f2.frame, f2.time, f2.mh_type) == (2, 100.5, 6)
    assert str(f1.src) == MN and str(f1.dst) == HA and str(f1.home_address) == HOME
    assert str(f2.src) == HA and str(f2.dst) == MN and str(f2.home_address) == HOME
    assert f1.checksum_ok is True and f2.checksum_ok is True
    # the Home Address option (24 octets) before the BU, the type 2 routing header before the BA
    assert f1.mh_offset == header + 40 + 24 and f2.mh_offset == header + 40 + 24
    recs = options_of(path, profile)
    assert all(isinstance(r, OptionRecord) for r in recs)
    want = [(1, 5, off, o) for off, o in expected_rows(b"\0" * header + bu, f1.mh_offset, profile)]
    want += [(2, 6, off, o) for off, o in expected_rows(b"\0" * header + ba, f2.mh_offset, profile)]
    got = [(r.frame, r.mh_type, r.option_offset, r.option) for r in recs if isinstance(r, OptionRecord)]
    assert got == want
    assert [o.fid for *_, o in got] == [1, 3, 9, 1, 3, 9]


def _pcapng(blocks: list[bytes]) -> bytes:
    def block(btype: int, body: bytes) -> bytes:
        body += bytes(-len(body) % 4)
        n = len(body) + 12
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    return shb + b"".join(block(t, b) for t, b in blocks)  # type: ignore[misc]


def _idb(linktype: int, tsresol: int | None = None) -> tuple[int, bytes]:
    opts = b""
    if tsresol is not None:
        opts = struct.pack("<HHB3x", 9, 1, tsresol) + struct.pack("<HH", 0, 0)
    return 1, struct.pack("<HHI", linktype, 0, 0xFFFF) + opts


def _epb(interface: int, ticks: int, data: bytes) -> tuple[int, bytes]:
    return 6, struct.pack("<IIIII", interface, ticks >> 32, ticks & 0xFFFFFFFF, len(data), len(data)) + data


def test_pcapng_with_two_interfaces_of_different_link_types(tmp_path: Path) -> None:
    bu = packet_for(UPDATE, DRAFT_02, source=MN, destination=HA)
    eth = bytes(12) + b"\x86\xdd" + bu
    blocks = [
        _idb(LINKTYPE_ETHERNET),
        _idb(LINKTYPE_RAW, tsresol=9),
        _epb(0, 1_500_000, eth),
        _epb(1, 2_250_000_000, bu),
    ]
    blocks.append((5, struct.pack("<III", 0, 0, 0)))  # an Interface Statistics Block at the end: not damage
    path = tmp_path / "two.pcapng"
    path.write_bytes(_pcapng(blocks))
    frames = list(read_capture(path))
    assert [(f.frame, f.time, f.linktype, f.mh_offset) for f in frames if isinstance(f, MobilityFrame)] == [
        (1, 1.5, LINKTYPE_ETHERNET, 54),
        (2, 2.25, LINKTYPE_RAW, 40),
    ]
    assert [r.option.fid for r in options_of(path) if isinstance(r, OptionRecord)] == [1, 3, 9, 1, 3, 9]


def test_scapy_written_pcapng_and_gzip(tmp_path: Path) -> None:
    from scapy.layers.inet6 import IPv6
    from scapy.utils import wrpcapng

    bu = packet_for(UPDATE, DRAFT_02, source=MN, destination=HA)
    path = tmp_path / "s.pcapng"
    wrpcapng(str(path), [IPv6(bu)])
    assert [r.option.fid for r in options_of(path) if isinstance(r, OptionRecord)] == [1, 3, 9]
    gz = tmp_path / "c.pcap.gz"
    raw = tmp_path / "c.pcap"
    write_pcap(raw, [bu])
    gz.write_bytes(gzip.compress(raw.read_bytes()))
    assert [r.option.fid for r in options_of(gz) if isinstance(r, OptionRecord)] == [1, 3, 9]


# --- extension headers --------------------------------------------------------------


def _ext(nh: int, body: bytes) -> bytes:
    """An extension header (hop-by-hop, destination options, routing) of Next Header ``nh``."""
    total = 2 + len(body)
    assert total % 8 == 0
    return bytes((nh, total // 8 - 1)) + body


def _ipv6(first_nh: int, payload: bytes, src: str = MN, dst: str = HA) -> bytes:
    import ipaddress

    return (
        struct.pack(">IHBB", 6 << 28, len(payload), first_nh, 64)
        + ipaddress.IPv6Address(src).packed
        + ipaddress.IPv6Address(dst).packed
        + payload
    )


def _mh(profile: Profile = DRAFT_02, src: str = MN, dst: str = HA) -> bytes:
    return encode_message(build_message(UPDATE, profile, source=src, destination=dst), profile)


def test_extension_headers_are_walked(tmp_path: Path) -> None:
    mh = _mh()
    hbh = _ext(60, bytes((1, 4, 0, 0, 0, 0)))  # hop-by-hop, PadN
    import ipaddress

    home = ipaddress.IPv6Address(HOME).packed
    mh_home = _mh(src=HOME)
    dst_opts = _ext(44, bytes((1, 2, 0, 0, 201, 16)) + home)  # PadN, Home Address option
    frag_first = bytes((135, 0, 0, 1)) + (0x1234).to_bytes(4, "big")  # offset 0, M=1
    frag_later = bytes((135, 0, 0x00, 0xB8)) + (0x1234).to_bytes(4, "big")  # offset 23*8
    ah = bytes((135, 4, 0, 0)) + bytes(20)  # AH: (4 + 2) * 4 = 24 octets
    rh0 = bytes((135, 2, 0, 1, 0, 0, 0, 0)) + ipaddress.IPv6Address(HOME).packed  # type 0, 1 address left
    mh_rh0 = _mh(dst=HOME)
    packets = [
        _ipv6(0, hbh + dst_opts + frag_first + mh_home),  # 1: HBH, DestOpts with HAO, first fragment
        _ipv6(44, frag_later + b"\0" * 16),  # 2: a later fragment
        _ipv6(51, ah + mh),  # 3: AH
        _ipv6(43, rh0 + mh_rh0),  # 4: routing type 0, final destination in it
        _ipv6(6, b"\0" * 20),  # 5: TCP: other traffic
        bytes((0x45,)) + bytes(19),  # 6: IPv4 on a raw link: other traffic
        _ipv6(44, frag_first + mh[:16]),  # 7: first fragment; the message continues in the next
    ]
    path = tmp_path / "ext.pcap"
    write_pcap(path, packets, LINKTYPE_RAW)
    stats = CaptureStats()
    frames = list(read_capture(path, stats=stats))
    assert [f.frame for f in frames] == [1, 2, 3, 4, 7]
    f1, f2, f3, f4, f7 = frames
    assert isinstance(f1, MobilityFrame) and f1.fragment and str(f1.home_address) == HOME and f1.checksum_ok
    assert f1.mh_offset == 40 + 8 + 24 + 8
    assert isinstance(f2, CaptureError) and f2.kind == "fragment" and f2.offset == 40
    assert "offset 184" in f2.message and "0x1234" in f2.message
    assert isinstance(f3, MobilityFrame) and f3.mh_offset == 64 and f3.checksum_ok
    assert isinstance(f4, MobilityFrame) and f4.mh_offset == 64 and f4.checksum_ok and f4.home_address is None
    assert isinstance(f7, CaptureError) and f7.kind == "truncated" and "later fragment" in f7.message
    assert (stats.frames, stats.messages, stats.other, stats.errors) == (7, 3, 2, 2)


def test_a_bad_frame_is_reported_and_the_walk_goes_on(tmp_path: Path) -> None:
    good = packet_for(UPDATE, DRAFT_02, source=MN, destination=HA)
    wire = bytearray(good)
    mh_at = 40
    built = build_message(UPDATE)
    ssh_at = next(o for o, x in zip(built.option_offsets, built.message.options, strict=True) if x == SSH)
    wire[mh_at + ssh_at + 1] = 40  # the SSH option's Len now runs past the message
    bad_checksum = bytearray(good)
    bad_checksum[mh_at + 4] ^= 0xFF
    packets = [good, bytes(wire), good[:60], bytes(bad_checksum), good]
    path = tmp_path / "bad.pcap"
    write_pcap(path, packets, LINKTYPE_RAW)
    recs = options_of(path)
    kinds = [(r.frame, "ok" if isinstance(r, OptionRecord) else r.kind) for r in recs]
    assert kinds == [(1, "ok")] * 3 + [(2, "length"), (3, "truncated")] + [(4, "ok")] * 3 + [(5, "ok")] * 3
    err = next(r for r in recs if isinstance(r, CaptureError) and r.frame == 2)
    assert (err.offset, err.mh_offset, err.option_offset) == (mh_at + ssh_at + 1, mh_at, ssh_at)
    short = next(r for r in recs if isinstance(r, CaptureError) and r.frame == 3)
    assert short.offset == 60 and "holds 60" in short.message
    assert {r.frame_info.checksum_ok for r in recs if isinstance(r, OptionRecord) and r.frame == 4} == {False}
    with pytest.raises(CaptureFileError, match="frame 2"):
        options_of(path, on_error="raise")
    # no checksum check: None, not False
    assert {
        r.frame_info.checksum_ok
        for r in options_of(path, verify_checksum=False)
        if isinstance(r, OptionRecord)
    } == {None}


def test_unsupported_link_type_and_bad_ip_version(tmp_path: Path) -> None:
    path = tmp_path / "lt.pcap"
    write_pcap(path, [packet_for(UPDATE, source=MN, destination=HA)], LINKTYPE_RAW)
    data = bytearray(path.read_bytes())
    data[20:24] = (147).to_bytes(4, "little")  # a user-defined link type
    path.write_bytes(bytes(data))
    (err,) = list(read_capture(path))
    assert isinstance(err, CaptureError) and err.kind == "link" and "147" in err.message
    eth = tmp_path / "v.pcap"
    write_pcap(eth, [b"\x45" + bytes(60)], LINKTYPE_ETHERNET)  # ethertype IPv6, version 4
    (err,) = list(read_capture(eth))
    assert isinstance(err, CaptureError) and err.kind == "ipv6" and err.offset == 14


def test_damaged_files(tmp_path: Path) -> None:
    pkt = packet_for(UPDATE, source=MN, destination=HA)
    path = tmp_path / "d.pcap"
    write_pcap(path, [pkt, pkt])
    whole = path.read_bytes()
    # the last record cut short
    path.write_bytes(whole[:-10])
    recs = list(read_capture(path))
    assert isinstance(recs[0], MobilityFrame) and isinstance(recs[-1], CaptureError)
    assert recs[-1].kind == "file" and recs[-1].frame == 2 and "ends inside" in recs[-1].message
    # a few octets after the last whole record
    path.write_bytes(whole + b"\x01\x02\x03")
    recs = list(read_capture(path))
    assert [type(r) for r in recs] == [MobilityFrame, MobilityFrame, CaptureError]
    assert recs[-1].kind == "file" and recs[-1].frame == 3 and "3 octets" in recs[-1].message
    # pcapng: the last block damaged
    ng = tmp_path / "d.pcapng"
    ng.write_bytes(_pcapng([_idb(LINKTYPE_RAW), _epb(0, 0, pkt), _epb(0, 1, pkt)])[:-6])
    recs = list(read_capture(ng))
    assert (
        isinstance(recs[0], MobilityFrame) and isinstance(recs[-1], CaptureError) and recs[-1].kind == "file"
    )
    # not a capture at all
    (tmp_path / "x.pcap").write_bytes(b"hello, world, not a capture")
    with pytest.raises(CaptureFileError, match="not a pcap"):
        list(read_capture(tmp_path / "x.pcap"))
    with pytest.raises(CaptureFileError):
        list(read_capture(tmp_path / "missing.pcap"))


# --- captures built with scapy ---------------------------------------------------------


@pytest.mark.parametrize("profile", PROFILES, ids=repr)
def test_scapy_built_captures_decode_as_per_option_decoding_says(tmp_path: Path, profile: Profile) -> None:
    from scapy.layers.inet6 import HAO, MIP6MH_BA, MIP6MH_BU, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrRouting
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    from scapy.utils import wrpcap

    ssh, spi, remove = (encode(o, profile) for o in (SSH, SPI, REMOVE))
    # options after the 12 octets of BU/BA: PadN to 16, then ours, Pad1/PadN between, to a multiple of 8
    pad = lambda n: b"" if n == 0 else b"\0" if n == 1 else bytes((1, n - 2)) + bytes(n - 2)  # noqa: E731
    opts = pad(4)
    offsets = []
    for o in (ssh, spi, remove):
        opts += pad(-(12 + len(opts)) % 8)
        offsets.append(12 + len(opts))
        opts += o
    opts += pad(-(12 + len(opts)) % 8)
    bu = (
        Ether()
        / IPv6(src=MN, dst=HA)
        / IPv6ExtHdrDestOpt(options=[HAO(hoa=HOME)])
        / MIP6MH_BU(seq=77, flags="AH", mhtime=25, autopad=0)
        / Raw(opts)
    )
    copies = b"".join(
        o[:1] + bytes((profile.header_only_length,)) + o[2:6] + b"\x88" + o[7:8] for o in (ssh, spi, remove)
    )
    ba = (
        Ether()
        / IPv6(src=HA, dst=MN)
        / IPv6ExtHdrRouting(type=2, addresses=[HOME], segleft=1)
        / MIP6MH_BA(status=0, seq=77, mhtime=25, autopad=0)
        / Raw(b"\x01\x02\0\0" + copies)
    )
    path = tmp_path / "scapy.pcap"
    wrpcap(str(path), [bu, ba])
    frames = list(read_capture(path, profile))
    assert all(isinstance(f, MobilityFrame) for f in frames)
    f1, f2 = frames
    assert isinstance(f1, MobilityFrame) and isinstance(f2, MobilityFrame)
    # scapy computed the checksums (over the home address, for both) and flowbind agrees
    assert f1.checksum_ok is True and f2.checksum_ok is True
    recs = [r for r in options_of(path, profile) if isinstance(r, OptionRecord)]
    assert [(r.frame, r.seq, r.option_offset) for r in recs] == [(1, 77, o) for o in offsets] + [
        (2, 77, o) for o in (16, 24, 32)
    ]
    assert [r.option for r in recs[:3]] == [
        decode(ssh, profile),
        decode(spi, profile),
        decode(remove, profile),
    ]
    for rec, raw in zip(recs[3:], (ssh, spi, remove), strict=True):
        copy = raw[:1] + bytes((profile.header_only_length,)) + raw[2:6] + b"\x88" + raw[7:8]
        assert rec.option == decode(copy, profile) and rec.option.status == 0x88
    # and flowbind's own message for the same list is octet for octet scapy's
    assert bytes(bu[MIP6MH_BU])[:6] == encode_message(f1.header, profile)[:6]
    assert encode_message(f1.header, profile) == bytes(bu[MIP6MH_BU])


def test_scapy_reads_what_flowbind_writes() -> None:
    from scapy.layers.inet6 import MIP6MH_BA, MIP6MH_BU, IPv6

    pkt = IPv6(packet_for(UPDATE, DRAFT_02_OCTETS, source=MN, destination=HA, home_address=HOME))
    bu = pkt[MIP6MH_BU]
    assert (bu.seq, bu.mhtime, bu.len) == (5, 100, len(_mh(DRAFT_02_OCTETS, HOME)) // 8 - 1)
    assert bu.cksum == IPv6(bytes(pkt.copy())).getlayer(MIP6MH_BU).cksum
    ack = IPv6(
        packet_for(acknowledge(UPDATE, 0, DRAFT_02_OCTETS), DRAFT_02_OCTETS, source=HA, destination=MN)
    )
    assert ack[MIP6MH_BA].seq == 5


# --- the CLI and pandas ---------------------------------------------------------------


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    rc = main(list(argv), stdout=out)
    return rc, out.getvalue()


def test_cli_pcap_json_lines(tmp_path: Path) -> None:
    good = packet_for(UPDATE, DRAFT_02_OCTETS, source=MN, destination=HA, home_address=HOME)
    path = tmp_path / "c.pcap"
    write_pcap(path, [good, good[:50], good], LINKTYPE_ETHERNET, start=10.0)
    rc, text = run("pcap", str(path), "--length-unit", "octet")
    lines = [json.loads(line) for line in text.splitlines()]
    assert rc == 1
    assert [line["frame"] for line in lines] == [1, 1, 1, 2, 3, 3, 3]
    first = lines[0]
    assert set(first) >= {"frame", "time", "src", "dst", "mh_type", "seq", "option_offset", "option"}
    assert (first["time"], first["src"], first["dst"], first["mh_type"], first["seq"]) == (10.0, MN, HA, 5, 5)
    assert first["home_address"] == HOME and first["checksum_ok"] is True
    assert first["option"] == SSH.to_dict(DRAFT_02_OCTETS)
    assert FlowIdentification.from_dict(lines[1]["option"]) == SPI
    assert lines[3]["error"] == "truncated" and lines[3]["frame"] == 2 and "message" in lines[3]
    rc, text = run("pcap", str(path), "--length-unit", "octet", "--stop-on-error")
    assert rc == 1 and [json.loads(x)["frame"] for x in text.splitlines()] == [1, 1, 1, 2]
    ok = tmp_path / "ok.pcap"
    write_pcap(ok, [good])
    assert run("pcap", str(ok), "--length-unit", "octet")[0] == 0
    rc, text = run("pcap", str(tmp_path / "nope.pcap"))
    assert rc == 1 and json.loads(text)["error"] == "file"


def test_cli_pcap_table_and_ack_copy(tmp_path: Path) -> None:
    verbatim = Profile(ack_copy="verbatim")
    ba = packet_for(acknowledge(UPDATE, [0, 134, 136], verbatim), verbatim, source=HA, destination=MN)
    path = tmp_path / "ba.pcap"
    write_pcap(path, [ba])
    rc, text = run("pcap", str(path), "--ack-copy", "verbatim", "--format", "table")
    assert rc == 0
    rows = text.splitlines()
    assert rows[0].split()[:4] == ["frame", "time", "src", ">"]
    assert "SPI_NOT_SUPPORTED" in rows[2] and "FID_NOT_FOUND" in rows[3] and "REMOVE" in rows[3]
    assert rows[-1] == "1 frames, 1 mobility messages, 3 Flow Identification options, 0 errors"
    # read as 'rewrite', the SSH copy's original Len does not frame: the frame is an error
    rc, text = run("pcap", str(path))
    # (its header says F, so the next copy's octets are read as its ports, the rest as sub-options)
    (line,) = [json.loads(x) for x in text.splitlines()]
    assert rc == 1 and line["frame"] == 1 and line["error"] == "sub-option" and line["option_offset"] == 16


def test_to_dataframe(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    good = packet_for(UPDATE, source=MN, destination=HA)
    path = tmp_path / "c.pcap"
    write_pcap(path, [good, good[:50]])
    df = to_dataframe(path)
    assert len(df) == 4
    assert list(df["fid"][:3]) == [1, 3, 9] and list(df["frame"]) == [1, 1, 1, 2]
    assert list(df.columns[:9]) == [
        "frame",
        "time",
        "src",
        "dst",
        "home_address",
        "mh_type",
        "seq",
        "option_offset",
        "checksum_ok",
    ]
    assert df["error"][3].startswith("truncated") and df["error"][:3].isna().all()
    assert len(to_dataframe(path, errors="skip")) == 3
    with pytest.raises(CaptureFileError):
        to_dataframe(path, errors="raise")
    assert len(to_dataframe(list(capture_options(path)), errors="skip")) == 3


# --- the example shipped in the repository -----------------------------------------------


def test_the_shipped_example_is_what_the_script_makes(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "make_example_capture.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "6 frames" in done.stdout
    for name in ("flowbind-example.pcap", "flowbind-example-octet.pcap"):
        assert (tmp_path / name).read_bytes() == (ROOT / "examples" / name).read_bytes(), name


def test_the_example_capture_decodes_in_both_profiles() -> None:
    for name, profile in (
        ("flowbind-example.pcap", DRAFT_02),
        ("flowbind-example-octet.pcap", DRAFT_02_OCTETS),
    ):
        recs = options_of(ROOT / "examples" / name, profile)
        assert all(isinstance(r, OptionRecord) and r.frame_info.checksum_ok for r in recs)
        assert [
            (r.frame, r.option.fid, int(r.option.status)) for r in recs if isinstance(r, OptionRecord)
        ] == [
            (3, 1, 0),
            (3, 2, 0),
            (3, 3, 0),
            (4, 1, 0),
            (4, 2, 0),
            (4, 3, 134),
            (5, 1, 0),
            (5, 9, 0),
            (6, 1, 0),
            (6, 9, 136),
        ]


def test_ipv6_packet_refuses_a_payload_too_big() -> None:
    with pytest.raises(ValueError):
        ipv6_packet(bytes(70000), MN, HA)
    with pytest.raises(ValueError):
        write_pcap("/dev/null", [b""], 147)
    assert Pad1() and PadN()  # the names used above are the module's


def _text_transcripts(path: Path) -> list[tuple[str, list[str]]]:
    """The ``$ flowbind pcap ...`` transcripts in a doc's ``text`` blocks (they run from the root)."""
    out: list[tuple[str, list[str]]] = []
    inside = False
    block: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if inside and block and block[0].startswith("$ flowbind pcap "):
                out.append((block[0][2:], block[1:]))
            inside, block = line == "```text", []
        elif inside:
            block.append(line)
    return out


@pytest.mark.parametrize("doc", ["README.md", "docs/captures.md"])
def test_the_docs_pcap_demonstrations_print_what_they_say(doc: str) -> None:
    import shlex

    found = _text_transcripts(ROOT / doc)
    assert found, f"{doc} shows no `flowbind pcap` run"
    for command, expected in found:
        argv = shlex.split(command)[1:]
        out = io.StringIO()
        cwd = os.getcwd()
        os.chdir(ROOT)
        try:
            main(argv, stdout=out)
        finally:
            os.chdir(cwd)
        assert out.getvalue().splitlines() == expected, command
