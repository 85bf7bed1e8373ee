"""``flowbind pcap FILE``: every Flow Identification option in a capture.

One JSON line per option, in frame order (``--format table`` for people); a
frame that cannot be decoded prints ``{"frame": n, "error": kind, ...}`` on
its line and the command goes on (``--stop-on-error`` stops there), exiting 1
at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from typing import Any, TextIO

from .capture import CaptureError, CaptureFileError, CaptureStats, OptionRecord, capture_options
from .mobility import MHType
from .profile import Profile

__all__ = ["add_pcap_command", "format_row"]

_MH_NAMES = {int(MHType.BINDING_UPDATE): "BU", int(MHType.BINDING_ACKNOWLEDGEMENT): "BA"}
_COLUMNS = (
    "frame",
    "time",
    "src > dst",
    "MH",
    "seq",
    "off",
    "fid",
    "pro",
    "action",
    "status",
    "flags",
    "fields",
)


def _fields(option: dict[str, Any]) -> str:
    parts = []
    for key in ("source", "destination"):
        v = option.get(key)
        if v:
            parts.append(f"{key}={v['address']}/{v['prefix']}")
    for key in ("source_ports", "destination_ports"):
        v = option.get(key)
        if v:
            parts.append(f"{key}={v[0]}" if v[0] == v[1] else f"{key}={v[0]}-{v[1]}")
    for key in ("spi", "flow_label", "protocol", "class_of_service"):
        if option.get(key) is not None:
            parts.append(f"{key}={option[key]}")
    bids = [b for s in option.get("sub_options", []) for b in s.get("bids", [])]
    if bids:
        parts.append("bids=" + ",".join(map(str, bids)))
    if option.get("header_only"):
        parts.append("(header only)")
    return " ".join(parts)


def format_row(rec: OptionRecord | CaptureError) -> list[str]:
    """The table cells of one record."""
    if isinstance(rec, CaptureError):
        t = "" if rec.time is None else f"{rec.time:.6f}"
        where = "" if rec.offset is None else f" at octet {rec.offset}"
        return [str(rec.frame), t, f"error: {rec.kind}{where}: {rec.message}"]
    d = rec.to_dict()
    o = d["option"]
    return [
        str(d["frame"]),
        "" if d["time"] is None else f"{d['time']:.6f}",
        f"{d['src']} > {d['dst']}",
        _MH_NAMES.get(d["mh_type"], str(d["mh_type"])),
        str(d["seq"]),
        str(d["option_offset"]),
        str(o["fid"]),
        _name(rec.option.pro),
        _name(rec.option.action),
        _name(rec.option.status),
        "".join(o["flags"]) or "-",
        _fields(o),
    ]


def _name(value: int) -> str:
    return getattr(value, "name", None) or str(int(value))


def _table(out: TextIO, rows: list[list[str]]) -> None:
    full = [r for r in rows if len(r) == len(_COLUMNS)]
    widths = [max([len(c), *(len(r[i]) for r in full)]) for i, c in enumerate(_COLUMNS)]
    right = {0, 1, 4, 5, 6}

    def line(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out.write(line(_COLUMNS) + "\n")
    for r in rows:
        if len(r) == len(_COLUMNS):
            out.write(line(r) + "\n")
        else:
            out.write(f"{r[0].rjust(widths[0])}  {r[1].rjust(widths[1])}  {r[2]}\n")


def _run(args: argparse.Namespace, out: TextIO, make_profile: Callable[[argparse.Namespace], Profile]) -> int:
    profile = make_profile(args)
    if args.ack_copy is not None:
        profile = dataclasses.replace(profile, ack_copy=args.ack_copy)
    stats = CaptureStats()
    rows: list[list[str]] = []
    errors = 0
    table = args.format == "table"
    try:
        for rec in capture_options(args.file, profile, verify_checksum=not args.no_checksum, stats=stats):
            if isinstance(rec, CaptureError):
                errors += 1
            if table:
                rows.append(format_row(rec))
            else:
                out.write(json.dumps(rec.to_dict()) + "\n")
            if errors and args.stop_on_error:
                break
    except CaptureFileError as exc:
        if table:
            _table(out, rows)
        else:
            out.write(
                json.dumps({"frame": None, "error": "file", "offset": None, "message": str(exc)}) + "\n"
            )
        return 1
    if table:
        _table(out, rows)
        out.write(
            f"{stats.frames} frames, {stats.messages} mobility messages, {stats.options} Flow Identification "
            f"options, {stats.errors} errors\n"
        )
    return 1 if errors else 0


def add_pcap_command(
    sub: Any,
    add_profile_flags: Callable[[argparse.ArgumentParser], None],
    make_profile: Callable[[argparse.Namespace], Profile],
) -> None:
    """Add the ``pcap`` subcommand to the ``flowbind`` parser's subparsers."""
    p = sub.add_parser(
        "pcap",
        help="find every Flow Identification option in a pcap/pcapng capture; one JSON line per option",
        description="Read a pcap or pcapng capture (Ethernet, raw IPv6, Linux cooked SLL/SLL2 or BSD "
        "loopback), walk each IPv6 packet's extension headers to its Mobility Header and print one JSON "
        'line per Flow Identification option in a Binding Update or Acknowledgement: {"frame", "time", '
        '"src", "dst", "home_address", "mh_type", "seq", "option_offset" (in the message), '
        '"checksum_ok", "option"}. A frame that cannot be decoded prints {"frame": n, "error": kind, '
        '"offset": octet in the frame, "message": ...}; the command goes on and exits 1 at the end. '
        "Needs the pcap extra (scapy).",
    )
    p.add_argument("file", help="a .pcap or .pcapng file (gzip-compressed too)")
    p.add_argument(
        "--format",
        choices=["json", "table"],
        default="json",
        help="one JSON object per line (default), or a table for people",
    )
    p.add_argument(
        "--stop-on-error", action="store_true", help="stop at the first frame that cannot be decoded"
    )
    p.add_argument("--no-checksum", action="store_true", help="do not verify the Mobility Header checksums")
    add_profile_flags(p)
    p.add_argument(
        "--ack-copy",
        choices=["rewrite", "verbatim"],
        help="the copies in a Binding Acknowledgement: Option Len describes 8 octets ('rewrite', default) "
        "or keeps the original ('verbatim': 8 octets are read per option)",
    )

    def run(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
        return _run(args, out, make_profile)

    p.set_defaults(func=run)
