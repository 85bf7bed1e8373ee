"""Find every Flow Identification option in a pcap or pcapng capture.

:func:`read_capture` reads the file with scapy's raw pcap and pcapng readers
(the ``pcap`` extra: ``pip install -e '.[pcap]'`` in a checkout; see
``docs/captures.md`` for why scapy), takes each frame's link layer
(Ethernet, raw IPv6, Linux cooked SLL and SLL2, BSD loopback), walks the
IPv6 extension headers to the Mobility Header and decodes it with
:func:`flowbind.mobility.decode_message`.  A frame that cannot be decoded is
reported as a :class:`CaptureError` for that frame and the walk goes on
(``on_error="raise"`` stops at the first).  :func:`capture_options` gives one
record per Flow Identification option, :func:`to_dataframe` a pandas table
(the ``pandas`` extra).

:func:`write_pcap` and :func:`ipv6_packet` go the other way and need no extra.
"""

from __future__ import annotations

import ipaddress
import os
import struct
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Final, Literal

from .errors import DecodeError, FlowbindError
from .mobility import (
    IPPROTO_MH,
    AddressInput,
    BindingAcknowledgement,
    BindingUpdate,
    Message,
    MessageDecodeError,
    MHType,
    MobilityHeader,
    _decode,
    _verify,
    build_message,
    encode_message,
)
from .model import FlowIdentification
from .profile import DRAFT_02, Profile
from .schema_mobility import (
    FRAGMENT_HEADER_LAYOUT,
    HOME_ADDRESS_OPTION_LAYOUT,
    IPV6_HEADER_LAYOUT,
    ROUTING_TYPE2_LAYOUT,
)

if TYPE_CHECKING:
    import pandas

__all__ = [
    "LINKTYPE_ETHERNET",
    "LINKTYPE_IPV6",
    "LINKTYPE_LINUX_SLL",
    "LINKTYPE_LINUX_SLL2",
    "LINKTYPE_LOOP",
    "LINKTYPE_NULL",
    "LINKTYPE_RAW",
    "CaptureError",
    "CaptureFileError",
    "CaptureStats",
    "MobilityFrame",
    "OptionRecord",
    "capture_options",
    "frames_of",
    "ipv6_packet",
    "packet_for",
    "read_capture",
    "to_dataframe",
    "write_pcap",
]

LINKTYPE_NULL: Final = 0  #: BSD loopback, address family in host byte order
LINKTYPE_ETHERNET: Final = 1
LINKTYPE_RAW: Final = 101  #: raw IPv4 or IPv6 (DLT_RAW is 12, or 14 on OpenBSD: read too)
LINKTYPE_LOOP: Final = 108  #: OpenBSD loopback, address family in network byte order
LINKTYPE_LINUX_SLL: Final = 113
LINKTYPE_IPV6: Final = 229
LINKTYPE_LINUX_SLL2: Final = 276

#: BSD address families of IPv6: NetBSD/OpenBSD, FreeBSD, Darwin.
_AF_INET6: Final = frozenset({24, 28, 30})
_ETHERTYPE_IPV6: Final = 0x86DD
_VLAN: Final = frozenset({0x8100, 0x88A8, 0x9100})
_IPV6_SIZE: Final = IPV6_HEADER_LAYOUT.fmt.size
_FRAGMENT_SIZE: Final = FRAGMENT_HEADER_LAYOUT.fmt.size
_RH2_SIZE: Final = ROUTING_TYPE2_LAYOUT.fmt.size
_HAO_TYPE: Final = 201
_HAO_SIZE: Final = HOME_ADDRESS_OPTION_LAYOUT.fmt.size
_HOP_BY_HOP, _ROUTING, _FRAGMENT, _AH, _DEST_OPTS = 0, 43, 44, 51, 60
_IPv6 = ipaddress.IPv6Address
_new = object.__new__
_set = object.__setattr__

ErrorKind = Literal[
    "file",
    "link",
    "ipv6",
    "extension",
    "fragment",
    "truncated",
    "type",
    "length",
    "value",
    "sub-option",
    "trailing",
]


class CaptureFileError(FlowbindError):
    """The file is not a capture flowbind can read (or the reader is not installed)."""


@dataclass(frozen=True)
class CaptureError:
    """A frame that could not be decoded (or the damaged end of the file).

    ``kind`` is ``link``, ``ipv6``, ``extension``, ``fragment`` (a later
    fragment: not reassembled), ``truncated`` (the frame ends before a header
    does) or ``file`` (the capture's own structure), or the kind of the
    :class:`~flowbind.errors.DecodeError` of the Mobility Header.  ``offset``
    counts octets from the start of the frame (None for ``file``);
    ``mh_offset`` is where the Mobility Header starts, when it was reached,
    and ``option_offset`` where the option at fault starts, in the message.
    """

    frame: int
    time: float | None
    kind: ErrorKind
    offset: int | None
    message: str
    mh_offset: int | None = None
    option_offset: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "frame": self.frame,
            "time": self.time,
            "error": self.kind,
            "offset": self.offset,
            "message": self.message,
        }
        if self.mh_offset is not None:
            out["mh_offset"] = self.mh_offset
        if self.option_offset is not None:
            out["option_offset"] = self.option_offset
        return out


@dataclass(frozen=True)
class MobilityFrame:
    """A frame that holds a Mobility Header message, decoded.

    ``src`` and ``dst`` are the IPv6 header's.  ``home_address`` is the
    Home Address destination option's (a Binding Update from a mobile node)
    or the type 2 routing header's (a Binding Acknowledgement to one); the
    checksum was verified over the pseudo-header these give (RFC 6275 §6.1.1).
    ``mh_offset`` is where the message starts in the frame; ``trailing`` the
    octets of the IPv6 payload after it.
    """

    frame: int
    time: float | None
    linktype: int
    src: ipaddress.IPv6Address
    dst: ipaddress.IPv6Address
    home_address: ipaddress.IPv6Address | None
    mh_offset: int
    header: MobilityHeader
    #: False when the checksum does not match; None when it could not be checked.
    checksum_ok: bool | None
    #: The first fragment of a fragmented packet (the message was in it whole).
    fragment: bool = False
    trailing: bytes = b""

    @property
    def mh_type(self) -> int:
        return self.header.mh_type

    def options(self) -> Iterator[OptionRecord]:
        """One record per Flow Identification option, in order."""
        h = self.header
        seq = h.sequence
        for off, opt in zip(h.option_offsets, h.message.options, strict=True):
            if type(opt) is FlowIdentification:
                rec = _new(OptionRecord)
                _set(rec, "__dict__", {"frame_info": self, "option_offset": off, "option": opt, "seq": seq})
                yield rec


@dataclass(frozen=True)
class OptionRecord:
    """One Flow Identification option found in a capture."""

    frame_info: MobilityFrame = field(repr=False)
    #: Where the option starts, in the Mobility Header message.
    option_offset: int
    option: FlowIdentification
    seq: int | None

    @property
    def frame(self) -> int:
        return self.frame_info.frame

    @property
    def mh_type(self) -> int:
        return self.frame_info.header.mh_type

    def to_dict(self) -> dict[str, Any]:
        """The JSON line ``flowbind pcap`` prints."""
        f = self.frame_info
        return {
            "frame": f.frame,
            "time": f.time,
            "src": _text(f.src),
            "dst": _text(f.dst),
            "home_address": None if f.home_address is None else _text(f.home_address),
            "mh_type": f.header.mh_type,
            "seq": self.seq,
            "option_offset": self.option_offset,
            "checksum_ok": f.checksum_ok,
            "option": self.option.to_dict(),
        }


@dataclass
class CaptureStats:
    """Counts :func:`read_capture` keeps while it reads (pass one to see them)."""

    frames: int = 0
    #: Frames with a Mobility Header message that decoded.
    messages: int = 0
    #: Frames with no Mobility Header (other traffic): not errors.
    other: int = 0
    errors: int = 0
    options: int = 0


# --- the reader -------------------------------------------------------------------


def _open(path: str | os.PathLike[str]) -> Any:
    try:
        from scapy.error import Scapy_Exception
        from scapy.utils import RawPcapReader
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CaptureFileError(
            "reading captures needs scapy: pip install -e '.[pcap]' in a flowbind checkout"
        ) from exc
    name = os.fspath(path)
    try:
        return RawPcapReader(name)
    except Scapy_Exception as exc:
        raise CaptureFileError(f"{name}: not a pcap or pcapng capture ({exc})") from None
    except OSError as exc:
        raise CaptureFileError(f"{name}: {exc.strerror or exc}") from None


def _raw_frames(
    path: str | os.PathLike[str],
) -> Iterator[tuple[int, float | None, bytes, int] | CaptureError]:
    """``(linktype, time, data, caplen)`` per record, then a ``file`` error for a damaged end."""
    import logging

    reader = _open(path)
    # flowbind reports damage itself; scapy's own warnings would say it twice.
    log = logging.getLogger("scapy.runtime")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        f = reader.f
        ng = hasattr(reader, "interfaces")
        number = 0
        good = f.tell()
        if ng:
            from scapy.error import Scapy_Exception

            try:
                for data, meta in reader:
                    number += 1
                    good = f.tell()
                    t = None if meta.tshigh is None else ((meta.tshigh << 32) | meta.tslow) / meta.tsresol
                    yield meta.linktype, t, data, len(data)
            except Scapy_Exception as exc:
                # A later section header block that scapy cannot read (fuzzing found it).
                end: str | None = f"the pcapng block at octet {good} could not be read: {exc}"
            else:
                end = _pcapng_damage(f, good, reader.endian)
        else:
            lt = reader.linktype
            div = 1e9 if reader.nano else 1e6
            for data, meta in reader:
                number += 1
                if len(data) < meta.caplen:
                    yield CaptureError(
                        number,
                        meta.sec + meta.usec / div,
                        "file",
                        None,
                        f"the capture ends inside this record: {len(data)} of its {meta.caplen} octets",
                    )
                    return
                good = f.tell()
                yield lt, meta.sec + meta.usec / div, data, meta.caplen
            size = _size(f)
            left = 0 if size is None else size - good
            end = f"{left} octets after the last whole record, too few for another" if left > 0 else None
        if end:
            yield CaptureError(number + 1, None, "file", None, end)
    finally:
        log.setLevel(level)
        reader.close()


def _size(f: IO[bytes]) -> int | None:
    try:
        return os.fstat(f.fileno()).st_size
    except (OSError, AttributeError, ValueError):  # a gzip stream has no size to compare
        return None


def _pcapng_damage(f: IO[bytes], pos: int, endian: str) -> str | None:
    """Why the pcapng blocks from ``pos`` on do not frame, if they do not."""
    size = _size(f)
    if size is None or pos >= size:
        return None
    f.seek(pos)
    rest = f.read()
    off = 0
    while off < len(rest):
        if len(rest) - off < 12:
            return f"{len(rest) - off} octets at octet {pos + off}, too few for a pcapng block"
        btype, blen = struct.unpack_from(endian + "II", rest, off)
        if btype == 0x0A0D0D0A:  # another section: its byte order may differ
            return None
        if blen < 12 or blen % 4 or off + blen > len(rest):
            return f"a pcapng block at octet {pos + off} of length {blen} does not fit the file"
        if struct.unpack_from(endian + "I", rest, off + blen - 4)[0] != blen:
            return f"the pcapng block at octet {pos + off} does not end with its length"
        if btype in (2, 3, 6):
            return f"the packet block at octet {pos + off} could not be read"
        off += blen
    return None


def _link(linktype: int, data: bytes) -> int | str | None:
    """Where the IPv6 header starts; None for other traffic; a string says why not."""
    if linktype == LINKTYPE_ETHERNET:
        if len(data) < 14:
            return "an Ethernet header needs 14 octets"
        et = (data[12] << 8) | data[13]
        off = 14
        while et in _VLAN:
            if len(data) < off + 4:
                return "the frame ends inside a VLAN tag"
            et = (data[off + 2] << 8) | data[off + 3]
            off += 4
        return off if et == _ETHERTYPE_IPV6 else None
    if linktype in (LINKTYPE_RAW, 12, 14):
        if not data:
            return "an empty frame"
        v = data[0] >> 4
        return 0 if v == 6 else None if v == 4 else f"IP version {v}"
    if linktype == LINKTYPE_IPV6:
        return 0
    if linktype == LINKTYPE_LINUX_SLL:
        if len(data) < 16:
            return "a Linux cooked (SLL) header needs 16 octets"
        return 16 if (data[14] << 8) | data[15] == _ETHERTYPE_IPV6 else None
    if linktype == LINKTYPE_LINUX_SLL2:
        if len(data) < 20:
            return "a Linux cooked (SLL2) header needs 20 octets"
        return 20 if (data[0] << 8) | data[1] == _ETHERTYPE_IPV6 else None
    if linktype in (LINKTYPE_NULL, LINKTYPE_LOOP):
        if len(data) < 4:
            return "a loopback header needs 4 octets"
        be = int.from_bytes(data[:4], "big")
        le = int.from_bytes(data[:4], "little")
        af = be if linktype == LINKTYPE_LOOP else (le if le < 0x10000 else be)
        return 4 if af in _AF_INET6 else None
    return f"link type {linktype} is not supported"


def _frame(
    number: int,
    t: float | None,
    linktype: int,
    data: bytes,
    profile: Profile,
    verify: bool,
) -> MobilityFrame | CaptureError | None:
    """Decode one frame; None when it holds no Mobility Header."""
    off = _link(linktype, data)
    if off is None:
        return None
    if type(off) is str:
        return CaptureError(number, t, "link", 0, off)
    assert isinstance(off, int)
    n = len(data)
    if n - off < _IPV6_SIZE:
        return CaptureError(number, t, "truncated", n, f"the IPv6 header at octet {off} needs 40 octets")
    if data[off] >> 4 != 6:
        return CaptureError(number, t, "ipv6", off, f"IP version {data[off] >> 4} where IPv6 was announced")
    plen = (data[off + 4] << 8) | data[off + 5]
    nh = data[off + 6]
    src = data[off + 8 : off + 24]
    dst = data[off + 24 : off + 40]
    p = off + _IPV6_SIZE
    end = p + plen if plen or nh != _HOP_BY_HOP else n  # a jumbogram runs to the frame's end
    limit = min(end, n)
    home: bytes | None = None
    pseudo_src, pseudo_dst = src, dst
    checkable = True
    fragment = False
    while nh != IPPROTO_MH:
        if nh in (_HOP_BY_HOP, _DEST_OPTS, _ROUTING, _AH):
            if p + 2 > limit:
                return _short(number, t, n, end, p, "an extension header")
            hlen = (data[p + 1] + 2) * 4 if nh == _AH else (data[p + 1] + 1) * 8
            if p + hlen > limit:
                return _short(number, t, n, end, p, f"the {hlen}-octet extension header {nh}")
            if nh == _DEST_OPTS:
                hao = _home_address_option(data, p + 2, p + hlen)
                if isinstance(hao, str):
                    return CaptureError(number, t, "extension", p, hao)
                if hao is not None:
                    home = pseudo_src = hao
            elif nh == _ROUTING:
                rtype, left = data[p + 2], data[p + 3]
                if rtype == 2:
                    if hlen != _RH2_SIZE:
                        return CaptureError(
                            number, t, "extension", p, f"a type 2 routing header of {hlen} octets, not 24"
                        )
                    home = data[p + 8 : p + 24]
                    if left:
                        pseudo_dst = home
                elif rtype == 0 and left and hlen > 8:
                    pseudo_dst = data[p + hlen - 16 : p + hlen]
                elif left:
                    checkable = False  # its final destination is not worked out here
            nh = data[p]
            p += hlen
        elif nh == _FRAGMENT:
            if p + _FRAGMENT_SIZE > limit:
                return _short(number, t, n, end, p, "the fragment header")
            word = (data[p + 2] << 8) | data[p + 3]
            if word >> 3:
                ident = int.from_bytes(data[p + 4 : p + 8], "big")
                return CaptureError(
                    number,
                    t,
                    "fragment",
                    p,
                    f"a later fragment (offset {(word >> 3) * 8}) of packet {ident:#x}: fragments are "
                    "not reassembled",
                )
            fragment = bool(word & 1)
            nh = data[p]
            p += _FRAGMENT_SIZE
        else:
            return None
    if p + 2 > limit:
        return _short(number, t, n, end, p, "the Mobility Header", fragment)
    size = (data[p + 1] + 1) * 8
    if p + size > limit:
        return _short(number, t, n, end, p, f"the {size}-octet Mobility Header", fragment)
    mh = data[p : p + size]
    try:
        header = _decode(mh, profile, None, None)
    except MessageDecodeError as exc:
        return CaptureError(
            number,
            t,
            exc.kind,
            p + exc.offset,
            f"Mobility Header at octet {p}: {exc.reason}",
            p,
            exc.option_offset,
        )
    except DecodeError as exc:  # pragma: no cover - _decode raises MessageDecodeError
        return CaptureError(number, t, exc.kind, p + exc.offset, exc.reason, p)
    ok: bool | None = None
    if verify and checkable:
        finding = _verify(mh, pseudo_src, pseudo_dst)
        ok = finding is None
        if finding is not None:
            header.__dict__["findings"] = (finding,)
    frame = _new(MobilityFrame)
    _set(
        frame,
        "__dict__",
        {
            "frame": number,
            "time": t,
            "linktype": linktype,
            "src": _address(src),
            "dst": _address(dst),
            "home_address": None if home is None else _address(home),
            "mh_offset": p,
            "header": header,
            "checksum_ok": ok,
            "fragment": fragment,
            "trailing": data[p + size : limit],
        },
    )
    return frame


_ADDRESSES: dict[bytes, ipaddress.IPv6Address] = {}


_TEXTS: dict[ipaddress.IPv6Address, str] = {}


def _text(address: ipaddress.IPv6Address) -> str:
    t = _TEXTS.get(address)
    if t is None:
        if len(_TEXTS) >= 4096:
            _TEXTS.clear()
        t = _TEXTS[address] = str(address)
    return t


def _address(packed: bytes) -> ipaddress.IPv6Address:
    """The address of 16 octets; a capture repeats a few addresses, so they are kept."""
    a = _ADDRESSES.get(packed)
    if a is None:
        if len(_ADDRESSES) >= 4096:
            _ADDRESSES.clear()
        a = _ADDRESSES[packed] = _IPv6(packed)
    return a


def _short(
    number: int, t: float | None, n: int, end: int, at: int, what: str, fragment: bool = False
) -> CaptureError:
    if fragment:
        why = "it continues in a later fragment, which is not reassembled"
    elif end > n:
        why = f"the frame holds {n} of the packet's {end} octets"
    else:
        why = "the IPv6 payload ends first"
    return CaptureError(number, t, "truncated", min(n, end), f"{what} at octet {at} does not fit: {why}")


def _home_address_option(data: bytes, off: int, end: int) -> bytes | str | None:
    """The Home Address option's address among the options ``data[off:end]``."""
    home = None
    while off < end:
        ty = data[off]
        if ty == 0:
            off += 1
            continue
        if off + 2 > end:
            return f"a destination option at octet {off} has no length"
        ln = data[off + 1]
        if off + 2 + ln > end:
            return f"the destination option at octet {off} runs past its header"
        if ty == _HAO_TYPE:
            if ln != _HAO_SIZE - 2:
                return f"a Home Address option of length {ln}, not 16"
            home = data[off + 2 : off + 18]
        off += 2 + ln
    return home


def read_capture(
    path: str | os.PathLike[str],
    profile: Profile = DRAFT_02,
    *,
    on_error: Literal["report", "raise"] = "report",
    verify_checksum: bool = True,
    stats: CaptureStats | None = None,
) -> Iterator[MobilityFrame | CaptureError]:
    """Yield each frame of the capture that holds a Mobility Header message, decoded.

    A frame that cannot be decoded gives a :class:`CaptureError` and the
    walk goes on; with ``on_error="raise"`` it raises
    :class:`CaptureFileError` instead.  Frames of other traffic are skipped
    (``stats`` counts them).  Raises :class:`CaptureFileError` for a file
    that is not a capture.
    """
    st = stats if stats is not None else CaptureStats()
    for rec in _raw_frames(path):
        if type(rec) is CaptureError:
            st.errors += 1
            if on_error == "raise":
                raise CaptureFileError(f"frame {rec.frame}: {rec.message}")
            yield rec
            continue
        assert isinstance(rec, tuple)
        lt, t, data, _caplen = rec
        st.frames += 1
        out = _frame(st.frames, t, lt, data, profile, verify_checksum)
        if out is None:
            st.other += 1
            continue
        if type(out) is CaptureError:
            st.errors += 1
            if on_error == "raise":
                raise CaptureFileError(f"frame {out.frame}: {out.kind} at octet {out.offset}: {out.message}")
        else:
            st.messages += 1
        yield out


def capture_options(
    path: str | os.PathLike[str],
    profile: Profile = DRAFT_02,
    *,
    on_error: Literal["report", "raise"] = "report",
    verify_checksum: bool = True,
    stats: CaptureStats | None = None,
) -> Iterator[OptionRecord | CaptureError]:
    """One record per Flow Identification option in the capture, in frame order; errors as they come."""
    st = stats if stats is not None else CaptureStats()
    for item in read_capture(path, profile, on_error=on_error, verify_checksum=verify_checksum, stats=st):
        if type(item) is CaptureError:
            yield item
            continue
        assert isinstance(item, MobilityFrame)
        for rec in item.options():
            st.options += 1
            yield rec


def to_dataframe(
    source: str | os.PathLike[str] | Iterable[OptionRecord | CaptureError],
    profile: Profile = DRAFT_02,
    *,
    errors: Literal["include", "skip", "raise"] = "include",
) -> pandas.DataFrame:
    """A pandas DataFrame with one row per Flow Identification option found.

    Columns: ``frame``, ``time``, ``src``, ``dst``, ``home_address``,
    ``mh_type``, ``seq``, ``option_offset``, ``checksum_ok``, then the keys
    of the option's dict form (``fid``, ``pro``, ``action``, ``status``,
    ``flags``, ...), and ``error``.  With ``errors="include"`` (the default)
    each frame that could not be decoded is a row whose ``error`` says why;
    ``"skip"`` leaves them out; ``"raise"`` stops at the first.  Needs the
    ``pandas`` extra.
    """
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FlowbindError(
            "to_dataframe() needs pandas: pip install -e '.[pandas]' in a flowbind checkout"
        ) from exc
    if isinstance(source, (str, os.PathLike)):
        items: Iterable[OptionRecord | CaptureError] = capture_options(
            source, profile, on_error="raise" if errors == "raise" else "report"
        )
    else:
        items = source
    rows: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, CaptureError):
            if errors == "raise":
                raise CaptureFileError(f"frame {item.frame}: {item.message}")
            if errors == "include":
                rows.append({"frame": item.frame, "time": item.time, "error": f"{item.kind}: {item.message}"})
            continue
        d = item.to_dict()
        option = d.pop("option")
        d.update(option)
        d["error"] = None
        rows.append(d)
    columns = [
        "frame",
        "time",
        "src",
        "dst",
        "home_address",
        "mh_type",
        "seq",
        "option_offset",
        "checksum_ok",
        *_OPTION_COLUMNS,
        "error",
    ]
    extra = sorted({k for r in rows for k in r} - set(columns))
    return pd.DataFrame(rows, columns=[*columns, *extra])


_OPTION_COLUMNS: Final = tuple(FlowIdentification().to_dict())


# --- writing captures ---------------------------------------------------------------


def _addr(value: AddressInput) -> bytes:
    return _IPv6(value).packed


def ipv6_packet(
    message: bytes,
    source: AddressInput,
    destination: AddressInput,
    *,
    home_address: AddressInput | None = None,
    routing_home_address: AddressInput | None = None,
    hop_limit: int = 64,
) -> bytes:
    """An IPv6 packet carrying the Mobility Header message ``message`` as is.

    ``home_address`` adds a destination options header with the Home Address
    option (a mobile node's Binding Update, RFC 6275 §6.3), and
    ``routing_home_address`` a type 2 routing header (a home agent's Binding
    Acknowledgement, §6.4).  The message's checksum is not touched: compute
    it over the pseudo-header these give (:func:`packet_for` does).
    """
    nh = IPPROTO_MH
    headers = b""
    if home_address is not None:
        # PadN of 4, then the option at 8n+6 as RFC 6275 §6.3 asks: 24 octets.
        headers = bytes((nh, 2, 1, 2, 0, 0, _HAO_TYPE, 16)) + _addr(home_address) + headers
        nh = _DEST_OPTS
    if routing_home_address is not None:
        headers = bytes((nh, 2, 2, 1, 0, 0, 0, 0)) + _addr(routing_home_address) + headers
        nh = _ROUTING
    payload = headers + bytes(message)
    if len(payload) > 0xFFFF:
        raise ValueError(f"an IPv6 payload of {len(payload)} octets does not fit Payload Length")
    return (
        IPV6_HEADER_LAYOUT.fmt.pack(6 << 28, len(payload), nh, hop_limit, _addr(source), _addr(destination))
        + payload
    )


def packet_for(
    message: Message | MobilityHeader,
    profile: Profile = DRAFT_02,
    *,
    source: AddressInput,
    destination: AddressInput,
    home_address: AddressInput | None = None,
) -> bytes:
    """An IPv6 packet of ``message``, built (aligned, padded) with its checksum right.

    With ``home_address``, a Binding Update carries it in a Home Address
    option (the pseudo-header's source is then the home address) and any
    other message in a type 2 routing header (its destination is then the
    home address).  A :class:`~flowbind.mobility.MobilityHeader` is written
    exactly as it is, checksum included.
    """
    via_option = home_address is not None and (
        isinstance(message, BindingUpdate)
        or (isinstance(message, MobilityHeader) and message.mh_type == MHType.BINDING_UPDATE)
    )
    if isinstance(message, MobilityHeader):
        wire = encode_message(message, profile)
    else:
        ps = home_address if via_option else source
        pd = home_address if (home_address is not None and not via_option) else destination
        assert ps is not None and pd is not None
        wire = encode_message(build_message(message, profile, source=ps, destination=pd), profile)
    return ipv6_packet(
        wire,
        source,
        destination,
        home_address=home_address if via_option else None,
        routing_home_address=home_address if home_address is not None and not via_option else None,
    )


_MAC_DST: Final = bytes.fromhex("00005e005302")  # RFC 7042 documentation MACs
_MAC_SRC: Final = bytes.fromhex("00005e005301")


def _link_header(linktype: int, packet: bytes) -> bytes:
    if linktype == LINKTYPE_ETHERNET:
        return _MAC_DST + _MAC_SRC + b"\x86\xdd"
    if linktype in (LINKTYPE_RAW, LINKTYPE_IPV6):
        return b""
    if linktype == LINKTYPE_LINUX_SLL:
        return struct.pack(">HHH8sH", 4, 1, 6, _MAC_SRC + b"\0\0", _ETHERTYPE_IPV6)
    if linktype == LINKTYPE_LINUX_SLL2:
        return struct.pack(">HHIHBB8s", _ETHERTYPE_IPV6, 0, 1, 1, 4, 6, _MAC_SRC + b"\0\0")
    if linktype == LINKTYPE_NULL:
        return struct.pack("<I", 30)  # Darwin's AF_INET6, little-endian host
    if linktype == LINKTYPE_LOOP:
        return struct.pack(">I", 24)
    raise ValueError(f"write_pcap() does not write link type {linktype}")


def write_pcap(
    path: str | os.PathLike[str],
    packets: Iterable[bytes | tuple[float, bytes]],
    linktype: int = LINKTYPE_RAW,
    *,
    start: float = 0.0,
    interval: float = 0.001,
) -> int:
    """Write IPv6 ``packets`` to a pcap file (microsecond, little-endian); return how many.

    Each packet is IPv6 bytes (see :func:`ipv6_packet`), given the link header
    that ``linktype`` needs (Ethernet with documentation MAC addresses,
    raw, Linux cooked SLL or SLL2, BSD loopback), or a ``(time, packet)``
    pair.  Packets without a time are ``interval`` seconds apart from
    ``start``, so the same packets always make the same file.
    """
    count = 0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 0xFFFF, linktype))
        for item in packets:
            if isinstance(item, tuple):
                t, pkt = item
            else:
                t, pkt = start + count * interval, item
            frame = _link_header(linktype, pkt) + bytes(pkt)
            usec_total = round(t * 1_000_000)
            sec, usec = divmod(usec_total, 1_000_000)
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
            f.write(frame)
            count += 1
    return count


def frames_of(
    messages: Sequence[Message | MobilityHeader],
    profile: Profile = DRAFT_02,
    *,
    source: AddressInput,
    destination: AddressInput,
    home_address: AddressInput | None = None,
) -> list[bytes]:
    """IPv6 packets for ``messages``: Binding Updates from ``source`` to
    ``destination``, Binding Acknowledgements back (see :func:`packet_for`)."""
    out = []
    for m in messages:
        body = m.message if isinstance(m, MobilityHeader) else m
        if isinstance(body, BindingAcknowledgement):
            out.append(
                packet_for(m, profile, source=destination, destination=source, home_address=home_address)
            )
        else:
            out.append(
                packet_for(m, profile, source=source, destination=destination, home_address=home_address)
            )
    return out
