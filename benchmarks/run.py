"""flowbind's benchmarks: speed as ratios to a bare-struct yardstick, same run.

Run on demand (it is not a test):

    .venv/bin/python benchmarks/run.py [--yardstick PATH] [--quick] [--json FILE]

For each case it times flowbind's decode and encode and the yardstick's
(``shared/bench/yardstick.py``, loaded by path, never imported by flowbind)
on the same bytes, in this process, interleaved, and reports the median of
the repeats and the ratio flowbind / yardstick.  A plain scapy layer of the
same option (``benchmarks/scapy_layer.py``) is timed too when scapy is
installed, and so is ``python -c "import flowbind"``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import flowbind

HERE = Path(__file__).resolve().parent
DEFAULT_YARDSTICK = HERE.parent.parent / "shared" / "bench" / "yardstick.py"

#: Goals of the performance issue: case -> (decode ratio, encode ratio).
GOALS = {
    "every-field": (4.0, 4.0),
    "scenario": (4.0, 4.0),
    "header-only": (5.0, 5.0),
}
SCAPY_GOAL = 25.0
IMPORT_GOAL_MS = 150.0


def load_yardstick(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("yardstick", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load the yardstick from {path}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def extra_cases() -> dict[str, str]:
    """Cases beyond the yardstick's: big sub-options and the largest option."""
    bids = flowbind.FlowIdentification(
        fid=9, priority=1, action=flowbind.Action.NCAST, sub_options=(flowbind.BIDSubOption(range(253)),)
    )
    unknown = tuple(flowbind.UnknownSubOption(2, bytes(range(253))) for _ in range(7))
    # 8 + 7 * 255 = 1793 octets; PadN-like zero padding to 2040 via `padding`.
    largest = flowbind.FlowIdentification(
        fid=1, source_ports=flowbind.PortRange(1, 2), sub_options=unknown, padding=240
    )
    return {
        "253-bids": flowbind.encode(bids).hex(),
        "2040-octets": flowbind.encode(largest).hex(),
    }


def message_case(ys: ModuleType, cases: dict[str, str], number: int, repeat: int) -> dict[str, Any]:
    """A Binding Update with a Binding Identifier and four Flow Identification options.

    Decode and encode of the whole message (``decode_message``,
    ``encode_message``: header, alignment padding, every option) against the
    yardstick decoding and encoding the four Flow Identification options it
    holds, each at its offset.
    """
    from flowbind.mobility import (
        BindingIdentifier,
        BindingUpdate,
        BUFlag,
        build_message,
        decode_message,
        encode_message,
    )

    names = ("every-field", "scenario", "scenario", "header-only")
    fis = [flowbind.decode(bytes.fromhex(cases[c])) for c in names]
    update = BindingUpdate(
        sequence=7, flags=BUFlag.A | BUFlag.H, lifetime=150, options=(BindingIdentifier(1), *fis)
    )
    mh = build_message(update, source="2001:db8:b::7", destination="2001:db8:100::1")
    wire = encode_message(mh)
    decoded = decode_message(wire)
    assert encode_message(decoded) == wire
    # Where each Flow Identification option sits in the message, for the yardstick.
    spans = []
    for hx in (cases[c] for c in names):
        raw = bytes.fromhex(hx)
        at = wire.find(raw, spans[-1][1] if spans else 0)
        assert at >= 0
        spans.append((at, at + len(raw)))
    tuples = [ys.decode(wire[a:b]) for a, b in spans]

    def ys_decode() -> object:
        return [ys.decode(wire[a:b]) for a, b in spans]

    def ys_encode() -> object:
        return [ys.encode(t) for t in tuples]

    n = max(200, number * 16 // len(wire))
    dec, ydec = time_pair(lambda: decode_message(wire), ys_decode, n, repeat)
    enc, yenc = time_pair(lambda: encode_message(decoded), ys_encode, n, repeat)
    return _row("bu-message", len(wire), (dec, ydec), (enc, yenc))


def _row(case: str, octets: int, decode: tuple[float, float], encode: tuple[float, float]) -> dict[str, Any]:
    """A table row from (flowbind, yardstick) seconds per call of decode and of encode."""
    return {
        "case": case,
        "octets": octets,
        "decode_us": decode[0] * 1e6,
        "yardstick_decode_us": decode[1] * 1e6,
        "decode_ratio": decode[0] / decode[1],
        "encode_us": encode[0] * 1e6,
        "yardstick_encode_us": encode[1] * 1e6,
        "encode_ratio": encode[0] / encode[1],
    }


def best_of(fn: Callable[[], object], number: int, repeat: int) -> list[float]:
    return [t / number for t in timeit.repeat(fn, number=number, repeat=repeat)]


def time_pair(
    ours: Callable[[], object], theirs: Callable[[], object], number: int, repeat: int
) -> tuple[float, float]:
    """Median per-call seconds of both, timed in alternation so drift hits both."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(repeat):
        a += best_of(ours, number, 1)
        b += best_of(theirs, number, 1)
    return statistics.median(a), statistics.median(b)


def import_time_ms(runs: int) -> tuple[float, float]:
    """Median wall time of ``python -c "import flowbind"`` and of a bare ``python -c pass``."""

    def wall(code: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return (time.perf_counter() - t0) * 1e3

    ours = statistics.median(wall("import flowbind") for _ in range(runs))
    bare = statistics.median(wall("pass") for _ in range(runs))
    return ours, bare


CAPTURE_MESSAGES = 100_000


def capture_case(ys: ModuleType, messages: int = CAPTURE_MESSAGES) -> dict[str, Any]:
    """Read a capture of ``messages`` Binding Updates as ``flowbind pcap`` does.

    Each update carries the draft's §4 pair (ssh and https source ports, FID
    1 and 2) and a Binding Identifier option, over Ethernet, its sequence
    number and checksum different in every frame.  The capture is built in a
    temporary directory; two figures are reported: the records
    (``capture_options``, what ``to_dataframe`` and scripts use) and the whole
    command with its JSON lines, each also as a ratio to the yardstick
    decoding the same options.
    """
    import io
    import tempfile

    from flowbind.capture import LINKTYPE_ETHERNET, capture_options, packet_for, write_pcap
    from flowbind.cli import main as cli_main
    from flowbind.mobility import BindingIdentifier, BindingUpdate, BUFlag, mh_checksum

    src, dst = "2001:db8:b::7", "2001:db8:100::1"
    update = BindingUpdate(
        sequence=0,
        flags=BUFlag.A | BUFlag.H,
        lifetime=150,
        options=(
            BindingIdentifier(1),
            flowbind.FlowIdentification(fid=1, priority=1, source_ports=flowbind.PortRange(22, 22)),
            flowbind.FlowIdentification(fid=2, priority=1, source_ports=flowbind.PortRange(443, 443)),
        ),
    )
    template = bytearray(packet_for(update, source=src, destination=dst))
    mh = 40

    def packets() -> Any:
        for i in range(messages):
            pkt = template[:]
            pkt[mh + 6 : mh + 8] = (i & 0xFFFF).to_bytes(2, "big")
            pkt[mh + 4 : mh + 6] = b"\0\0"
            pkt[mh + 4 : mh + 6] = mh_checksum(bytes(pkt[mh:]), src, dst).to_bytes(2, "big")
            yield bytes(pkt)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "updates.pcap"
        write_pcap(path, packets(), LINKTYPE_ETHERNET)
        size = path.stat().st_size
        t0 = time.perf_counter()
        options = sum(1 for _ in capture_options(path))
        records = time.perf_counter() - t0
        t0 = time.perf_counter()
        out = io.StringIO()
        rc = cli_main(["pcap", str(path)], stdout=out)
        command = time.perf_counter() - t0
        assert rc == 0 and out.getvalue().count("\n") == options == 2 * messages
    # The yardstick decodes the same Flow Identification options from bytes already in hand:
    # the ratios include reading the file, the frames, the IPv6 and Mobility headers.
    fis = [flowbind.encode(o) for o in update.options if isinstance(o, flowbind.FlowIdentification)]
    decode = ys.decode
    t0 = time.perf_counter()
    for _ in range(messages):
        for raw in fis:
            decode(raw)
    yardstick = time.perf_counter() - t0
    return {
        "messages": messages,
        "file_octets": size,
        "options": options,
        "records_s": records,
        "records_options_per_s": options / records,
        "command_s": command,
        "command_options_per_s": options / command,
        "yardstick_s": yardstick,
    }


def run(yardstick_path: Path, quick: bool) -> dict[str, Any]:
    ys = load_yardstick(yardstick_path)
    number, repeat = (2000, 5) if quick else (20000, 9)
    try:
        sys.path.insert(0, str(HERE))
        from scapy_layer import FlowIdentificationScapy  # type: ignore[import-not-found]
    except ImportError:
        FlowIdentificationScapy = None

    cases = dict(ys.CASES)
    cases.update(extra_cases())
    rows: list[dict[str, Any]] = []
    for name, hx in cases.items():
        data = bytes.fromhex(hx)
        option = flowbind.decode(data)
        tup = ys.decode(data)
        assert flowbind.encode(option) == data, name
        assert ys.encode(tup) == data, name
        n = max(200, number * 16 // max(16, len(data)))
        dec, ydec = time_pair(lambda d=data: flowbind.decode(d), lambda d=data: ys.decode(d), n, repeat)
        enc, yenc = time_pair(lambda o=option: flowbind.encode(o), lambda t=tup: ys.encode(t), n, repeat)
        row = _row(name, len(data), (dec, ydec), (enc, yenc))
        if FlowIdentificationScapy is not None:
            sn = max(20, n // 50)
            sdec = statistics.median(best_of(lambda d=data: FlowIdentificationScapy(d), sn, repeat))
            row["scapy_decode_us"] = sdec * 1e6
            row["scapy_over_flowbind"] = sdec / dec
        rows.append(row)

    rows.append(message_case(ys, cases, number, repeat))

    # Linearity: decode cost per octet across sizes (sub-option heavy).
    lin = []
    for k in (1, 2, 4, 7):
        subs = tuple(flowbind.UnknownSubOption(2, bytes(253)) for _ in range(k))
        data = flowbind.encode(flowbind.FlowIdentification(fid=1, sub_options=subs))
        n = max(200, number * 16 // len(data))
        t, yt = time_pair(lambda d=data: flowbind.decode(d), lambda d=data: ys.decode(d), n, repeat)
        lin.append(
            {"octets": len(data), "decode_us": t * 1e6, "ns_per_octet": t * 1e9 / len(data), "ratio": t / yt}
        )

    # Several options in one buffer, walked with iter_options; the yardstick decodes each slice.
    walked = ("scenario", "every-field", "header-only", "scenario")
    parts = [bytes.fromhex(cases[c]) for c in walked]
    several = b"".join(parts)
    n = max(200, number // 4)
    walk, ywalk = time_pair(
        lambda: list(flowbind.iter_options(several)), lambda: [ys.decode(p) for p in parts], n, repeat
    )

    capture = capture_case(ys, CAPTURE_MESSAGES // 10 if quick else CAPTURE_MESSAGES)
    imp, bare = import_time_ms(5 if quick else 15)
    return {
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
        },
        "flowbind": flowbind.__version__,
        "cases": rows,
        "linearity": lin,
        "iter_options_4_options_us": walk * 1e6,
        "iter_options_ratio": walk / ywalk,
        "capture": capture,
        "import_ms": imp,
        "bare_python_ms": bare,
    }


def report(res: dict[str, Any]) -> tuple[str, bool]:
    lines = [
        f"flowbind {res['flowbind']} on Python {res['machine']['python']} ({res['machine']['platform']})",
        "",
        "| case | octets | decode µs | yardstick µs | ratio | encode µs | yardstick µs | ratio"
        " | scapy decode µs | scapy / flowbind |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ok = True
    for r in res["cases"]:
        goal = GOALS.get(r["case"])
        marks = ["", ""]
        if goal:
            for i, (key, limit) in enumerate(zip(("decode_ratio", "encode_ratio"), goal, strict=True)):
                met = r[key] <= limit
                ok &= met
                marks[i] = f" {'✓' if met else '✗'}≤{limit:g}"
        scapy = ""
        if "scapy_decode_us" in r:
            met = r["scapy_over_flowbind"] >= SCAPY_GOAL
            ok &= met
            scapy = f" {r['scapy_decode_us']:.1f} | {r['scapy_over_flowbind']:.0f}× {'✓' if met else '✗'}"
        else:
            scapy = " – | – "
        lines.append(
            f"| {r['case']} | {r['octets']} | {r['decode_us']:.2f} | {r['yardstick_decode_us']:.2f} "
            f"| {r['decode_ratio']:.2f}×{marks[0]} | {r['encode_us']:.2f} | {r['yardstick_encode_us']:.2f} "
            f"| {r['encode_ratio']:.2f}×{marks[1]} |{scapy} |"
        )
    lines += [
        "",
        "decode cost by size: "
        + ", ".join(
            f"{x['octets']} o: {x['decode_us']:.1f} µs ({x['ns_per_octet']:.1f} ns/o, {x['ratio']:.2f}×)"
            for x in res["linearity"]
        ),
    ]
    lines.append(
        f"iter_options over 4 options in one buffer: {res['iter_options_4_options_us']:.2f} µs "
        f"({res['iter_options_ratio']:.2f}× the yardstick decoding each)"
    )
    cap = res.get("capture")
    if cap:
        lines.append(
            f"capture of {cap['messages']} Binding Updates ({cap['options']} options, "
            f"{cap['file_octets']} octets): records {cap['records_options_per_s']:,.0f} options/s "
            f"({cap['records_s']:.2f} s), flowbind pcap JSON lines "
            f"{cap['command_options_per_s']:,.0f} options/s ({cap['command_s']:.2f} s); "
            f"the yardstick decoding the same options {cap['yardstick_s']:.2f} s: "
            f"records {cap['records_s'] / cap['yardstick_s']:.1f}×, "
            f"command {cap['command_s'] / cap['yardstick_s']:.1f}×"
        )
    met = res["import_ms"] <= IMPORT_GOAL_MS
    ok &= met
    lines.append(
        f"python -c 'import flowbind': {res['import_ms']:.0f} ms "
        f"(bare interpreter {res['bare_python_ms']:.0f} ms)"
        f" {'✓' if met else '✗'}≤{IMPORT_GOAL_MS:g}"
    )
    lines.append("all goals met" if ok else "SOME GOALS NOT MET")
    return "\n".join(lines), ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--yardstick", type=Path, default=DEFAULT_YARDSTICK, help="path of yardstick.py")
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run, not a measurement)")
    ap.add_argument("--json", type=Path, help="also write the raw figures to this file")
    args = ap.parse_args(argv)
    res = run(args.yardstick, args.quick)
    text, _ok = report(res)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
