"""The fuzz targets: flowbind's promises about hostile input, as plain functions.

Each target takes one input (``bytes``) and raises only if flowbind breaks a
promise; the exceptions flowbind documents are caught here.  Drivers
(:mod:`fuzz.run`: atheris/libFuzzer, or flowbind's own random mutator) feed
them; ``tests/test_fuzz_smoke.py`` runs a few thousand inputs of each in CI.

``option``
    ``flowbind.decode`` under every profile of :data:`PROFILES`: it raises
    nothing but ``DecodeError`` (kind one of the six, offset inside the
    buffer); what it accepts re-encodes to exactly the input; and the
    construct-driven reference codec gives the same value (or the same error
    kind and offset) and the same bytes.
``message``
    ``flowbind.decode_message`` under every profile: only ``DecodeError``
    (a ``MessageDecodeError``); an accepted message re-encodes exactly, each
    Flow Identification option in it is the one ``flowbind.decode`` reads at
    its offset, and a checksum finding appears exactly when
    ``mh_checksum`` disagrees with the message's checksum.
``capture``
    ``flowbind.capture.read_capture`` on the input as a pcap/pcapng file (first
    octet even), or on a pcap file made of frames cut from the input (odd):
    no exception but ``CaptureFileError`` (a file that is not a capture)
    escapes; every frame that cannot be decoded is reported as a
    ``CaptureError`` of its own, in frame order, with an offset inside the
    frame; every decoded Mobility Header re-encodes to the frame's octets;
    the counts add up.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import struct
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final, get_args

import flowbind
from flowbind import DRAFT_02, DRAFT_02_OCTETS, DecodeError, FlowIdentification, Profile, reference
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
    ErrorKind,
    MobilityFrame,
    read_capture,
)
from flowbind.errors import DECODE_ERROR_KINDS
from flowbind.mobility import MAX_MESSAGE, MessageDecodeError, decode_message, encode_message, mh_checksum

__all__ = ["PROFILES", "TARGETS", "capture", "message", "option", "seeds"]

#: Every input is decoded under each of these.
PROFILES: Final = (
    DRAFT_02,
    DRAFT_02_OCTETS,
    Profile(bid_width=2),
    Profile(length_unit="octet", bid_width=2, ack_copy="verbatim"),
    Profile(ack_copy="verbatim"),
)
#: The capture target reads frames with these (one per input, by its second octet).
CAPTURE_PROFILES: Final = (DRAFT_02, DRAFT_02_OCTETS, Profile(ack_copy="verbatim"))
LINKTYPES: Final = (
    LINKTYPE_RAW,
    LINKTYPE_ETHERNET,
    LINKTYPE_IPV6,
    LINKTYPE_LINUX_SLL,
    LINKTYPE_LINUX_SLL2,
    LINKTYPE_NULL,
    LINKTYPE_LOOP,
    12,
    147,  # a link type flowbind does not read: each frame is a "link" error
)
SRC, DST = "2001:db8::1", "2001:db8::2"
# scapy warns about each damaged file it opens; the capture target checks what flowbind reports instead.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
_ROOT = Path(__file__).resolve().parent.parent
_CAPTURE_KINDS: Final = frozenset(get_args(ErrorKind))


class Broken(AssertionError):
    """flowbind broke a promise on this input."""


def _check(cond: bool, what: str) -> None:
    if not cond:
        raise Broken(what)


# --- option ----------------------------------------------------------------------------


def option(data: bytes) -> None:
    for profile in PROFILES:
        try:
            got = flowbind.decode(data, profile)
        except DecodeError as exc:
            _check(type(exc) is DecodeError, f"{type(exc).__name__} from decode")
            _check(exc.kind in DECODE_ERROR_KINDS, f"kind {exc.kind!r}")
            _check(0 <= exc.offset <= len(data), f"offset {exc.offset} of {len(data)}")
            try:
                reference.decode(data, profile)
            except DecodeError as ref:
                _check((ref.kind, ref.offset) == (exc.kind, exc.offset), f"{profile}: fast {exc}, ref {ref}")
            else:
                raise Broken(f"{profile}: the reference accepts what decode refuses: {exc}")
            continue
        _check(flowbind.encode(got, profile) == data, f"{profile}: re-encoded differently")
        ref_value = reference.decode(data, profile)
        _check(ref_value == got, f"{profile}: reference {ref_value!r} != {got!r}")
        _check(reference.encode(got, profile) == data, f"{profile}: reference re-encodes differently")
        _check(got.length == data[1] and got.option_type == data[0], "type/length not kept")


# --- message ---------------------------------------------------------------------------


def _framed(data: bytes) -> bytes:
    """``data`` made a Binding Update or Acknowledgement whose Header Len frames it (zero-filled).

    So that most inputs get past the message's own framing to its options list.
    """
    if len(data) < 3:
        return data
    buf = bytearray(data[:MAX_MESSAGE] + bytes(-len(data) % 8))[:MAX_MESSAGE]
    buf[1] = len(buf) // 8 - 1
    if buf[2] not in (5, 6):
        buf[2] = 5 + (buf[2] & 1)
    return bytes(buf)


def message(data: bytes) -> None:
    _message_laws(data)
    framed = _framed(data)
    if framed != data:
        _message_laws(framed)


def _message_laws(data: bytes) -> None:
    for profile in PROFILES:
        try:
            mh = decode_message(data, profile)
        except DecodeError as exc:
            _check(isinstance(exc, MessageDecodeError), f"{type(exc).__name__} from decode_message")
            _check(exc.kind in DECODE_ERROR_KINDS, f"kind {exc.kind!r}")
            _check(0 <= exc.offset <= len(data), f"offset {exc.offset} of {len(data)}")
            continue
        _check(encode_message(mh, profile) == data, f"{profile}: message re-encoded differently")
        options = mh.message.options
        _check(len(mh.option_offsets) == len(options), "an offset per option")
        verbatim_ba = mh.mh_type == 6 and profile.ack_copy == "verbatim"
        for off, opt in zip(mh.option_offsets, options, strict=True):
            if isinstance(opt, FlowIdentification):
                size = 8 if verbatim_ba else profile.option_size(data[off + 1])
                if not verbatim_ba:
                    _check(flowbind.decode(data[off : off + size], profile) == opt, f"option at {off}")
                    _check(flowbind.encode(opt, profile) == data[off : off + size], f"option bytes at {off}")
        checked = decode_message(data, profile, source=SRC, destination=DST)
        _check(checked == mh, "checksum verification changed the value")
        expected = mh_checksum(data, SRC, DST)
        # Ones' complement has two zeros: a computed 0x0000 is also carried as 0xFFFF.
        right = mh.checksum == expected or (expected == 0 and mh.checksum == 0xFFFF)
        _check(bool(checked.findings) != right, f"findings {checked.findings} with checksum right={right}")


# --- capture ---------------------------------------------------------------------------

_path: str | None = None


def _scratch() -> str:
    global _path
    if _path is None:
        base = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
        fd, _path = tempfile.mkstemp(prefix="flowbind-fuzz-", suffix=".cap", dir=base)
        os.close(fd)
    return _path


def _frames_pcap(data: bytes) -> tuple[bytes, int, list[bytes]]:
    """A pcap file of frames cut from ``data``: link type by data[0], then (length, frame)..."""
    linktype = LINKTYPES[data[0] % len(LINKTYPES)] if data else LINKTYPE_RAW
    frames: list[bytes] = []
    i = 1
    while i < len(data):
        n = data[i]
        if i + 1 < len(data) and n & 0x80:
            n = ((n & 0x7F) << 8) | data[i + 1]
            i += 1
        frames.append(data[i + 1 : i + 1 + n])
        i += 1 + n
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 0xFFFF, linktype)
    for k, frame in enumerate(frames):
        out += struct.pack("<IIII", k, 0, len(frame), len(frame)) + frame
    return out, linktype, frames


def capture(data: bytes) -> None:
    if not data:
        return
    frames: list[bytes] | None = None
    profile = CAPTURE_PROFILES[(data[1] if len(data) > 1 else 0) % len(CAPTURE_PROFILES)]
    if data[0] & 1:
        body, _, frames = _frames_pcap(data[2:])
    else:
        body = data[2:]
    path = _scratch()
    with open(path, "wb") as f:
        f.write(body)
    stats = CaptureStats()
    last = 0
    file_errors = 0
    try:
        items = list(read_capture(path, profile, stats=stats))
    except CaptureFileError:
        _check(frames is None, "a pcap flowbind wrote itself was refused as a file")
        return
    for item in items:
        if isinstance(item, CaptureError):
            _check(item.kind in _CAPTURE_KINDS, f"error kind {item.kind!r}")
            if item.kind == "file":
                file_errors += 1
                _check(frames is None, f"a file error in a well-formed pcap: {item.message}")
                _check(item.offset is None, "a file error has no offset")
                _check(item.frame >= last, "file error out of order")
                continue
            _check(item.frame > last, f"frame {item.frame} after {last}")
            last = item.frame
            _check(item.offset is not None and item.offset >= 0, f"offset {item.offset}")
            if frames is not None:
                assert item.offset is not None
                _check(item.offset <= len(frames[item.frame - 1]), "offset beyond the frame")
        else:
            _check(isinstance(item, MobilityFrame), f"yielded {type(item).__name__}")
            _check(item.frame > last, f"frame {item.frame} after {last}")
            last = item.frame
            if frames is not None:
                frame = frames[item.frame - 1]
                wire = encode_message(item.header, profile)
                start = item.mh_offset
                _check(frame[start : start + len(wire)] == wire, "the message re-encodes differently")
            for rec in item.options():
                _check(type(rec.option) is FlowIdentification, "an option record without an option")
            json.dumps([rec.to_dict() for rec in item.options()])
    _check(stats.errors == sum(isinstance(i, CaptureError) for i in items), "errors counted")
    _check(
        stats.frames == stats.messages + stats.other + stats.errors - file_errors,
        f"counts do not add up: {stats}",
    )
    if frames is not None:
        _check(stats.frames == len(frames), f"{stats.frames} frames read of {len(frames)}")


TARGETS: Final[dict[str, Callable[[bytes], None]]] = {
    "option": option,
    "message": message,
    "capture": capture,
}


# --- seeds ------------------------------------------------------------------------------


def _vector_seeds() -> Iterator[bytes]:
    for line in (_ROOT / "tests" / "vectors" / "flow-identification.jsonl").read_text().splitlines():
        if line.strip():
            yield bytes.fromhex(json.loads(line)["hex"])


def _drawn(strategy: object, n: int) -> list[object]:
    """``n`` examples of a hypothesis strategy, the same every run."""
    from hypothesis import HealthCheck, given, settings

    out: list[object] = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)  # type: ignore[arg-type]
    def collect(value: object) -> None:
        out.append(value)

    collect()
    return out


def _option_seeds() -> list[bytes]:
    from flowbind import strategies as fs

    seeds = list(_vector_seeds())
    for profile in PROFILES[:3]:
        seeds += [b for b in _drawn(fs.encodings(profile), 60) if isinstance(b, bytes) and len(b) < 400]
    return seeds


def _message_seeds() -> list[bytes]:
    from flowbind import strategies as fs

    seeds: list[bytes] = []
    for profile in PROFILES[:2] + PROFILES[3:4]:
        seeds += [
            b for b in _drawn(fs.message_encodings(profile), 50) if isinstance(b, bytes) and len(b) < 600
        ]
    return seeds


def _capture_seeds() -> list[bytes]:
    """Example captures (even first octet) and frame lists (odd) of messages from the strategies."""
    from flowbind.capture import frames_of

    seeds: list[bytes] = []
    for name in sorted((_ROOT / "examples").glob("*.pcap*")):
        seeds.append(b"\0\0" + name.read_bytes())
        seeds.append(b"\0\1" + name.read_bytes())
    msgs = list(_seeds("message"))
    for i, linktype in enumerate(LINKTYPES[:7]):
        packets = [
            flowbind.ipv6_packet(m, SRC, DST, home_address=SRC if i % 2 else None) for m in msgs[i::7][:4]
        ]
        packets += frames_of(
            [flowbind.BindingUpdate(sequence=i, options=(FlowIdentification(fid=i),))],
            source=SRC,
            destination=DST,
            home_address="2001:db8::99" if i % 3 == 0 else None,
        )
        seeds.append(_frame_list(i, 0, linktype, packets))
    seeds.append(_pcapng_seed())
    return seeds


def _frame_list(index: int, profile_index: int, linktype: int, packets: list[bytes]) -> bytes:
    from flowbind.capture import _link_header

    out = bytes([1, profile_index, LINKTYPES.index(linktype)])
    for packet in packets:
        frame = _link_header(linktype, packet) + packet
        n = len(frame)
        out += bytes([0x80 | (n >> 8), n & 0xFF]) + frame
    return out


def _pcapng_seed() -> bytes:
    """A small pcapng file (section, interface, two enhanced packet blocks) as a raw-file seed."""
    packet = flowbind.packet_for(
        flowbind.BindingUpdate(sequence=1, options=(FlowIdentification(fid=1),)), source=SRC, destination=DST
    )

    def block(btype: int, body: bytes) -> bytes:
        body += bytes(-len(body) % 4)
        n = 12 + len(body)
        return struct.pack("<II", btype, n) + body + struct.pack("<I", n)

    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = block(1, struct.pack("<HHI", LINKTYPE_RAW, 0, 0xFFFF))
    epb = block(6, struct.pack("<IIIII", 0, 0, 1000, len(packet), len(packet)) + packet)
    return b"\0\0" + shb + idb + epb + epb


@functools.cache
def _seeds(target: str) -> tuple[bytes, ...]:
    return tuple({"option": _option_seeds, "message": _message_seeds, "capture": _capture_seeds}[target]())


def seeds(target: str) -> list[bytes]:
    """The seed corpus of ``target``, the same every run."""
    return list(_seeds(target))


# --- signatures: what an input did, for the random driver's feedback -------------------------


def _bucket(n: int) -> int:
    return n if n < 16 else 16 + n.bit_length()


def _option_signature(data: bytes) -> str:
    parts = []
    for profile in PROFILES[:3]:
        try:
            got = flowbind.decode(data, profile)
        except DecodeError as exc:
            parts.append(f"{exc.kind}@{_bucket(exc.offset)}:{exc.reason[:12]}")
        else:
            parts.append(f"ok:{int(got.flags)}:{len(got.sub_options)}:{got.cls == 1}")
    return "|".join(parts)


def _message_signature(data: bytes) -> str:
    parts = []
    for profile, framing in ((DRAFT_02, None), (DRAFT_02, _framed), (DRAFT_02_OCTETS, _framed)):
        try:
            mh = decode_message(framing(data) if framing else data, profile)
        except MessageDecodeError as exc:
            parts.append(f"{exc.kind}:{exc.option_type}:{exc.reason[:30]}")
        else:
            kinds = ",".join(type(o).__name__[:4] for o in mh.message.options[:6])
            parts.append(f"ok:{mh.mh_type}:{kinds}")
    return "|".join(parts)


def _capture_signature(data: bytes) -> str:
    if not data:
        return ""
    profile = CAPTURE_PROFILES[(data[1] if len(data) > 1 else 0) % len(CAPTURE_PROFILES)]
    body = _frames_pcap(data[2:])[0] if data[0] & 1 else data[2:]
    path = _scratch()
    with open(path, "wb") as f:
        f.write(body)
    try:
        items = list(read_capture(path, profile))
    except CaptureFileError as exc:
        return f"file:{str(exc)[-20:]}"
    return ",".join(
        sorted(
            {
                i.kind + (i.message[:20] if i.kind == "file" else "") if isinstance(i, CaptureError) else "mh"
                for i in items
            }
        )
    )


SIGNATURES: Final[dict[str, Callable[[bytes], str]]] = {
    "option": _option_signature,
    "message": _message_signature,
    "capture": _capture_signature,
}
