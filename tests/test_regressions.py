"""Inputs the fuzz campaign (docs/fuzzing.md) stopped on, pinned.

Each test names the target and the input the fuzzer found; the input is the
fuzz target's own input (for ``capture``, the target's two leading octets
and then the file or frames) unless said otherwise.  Where the stop was a
fault in flowbind, the test fails without the fix; where it was the
harness's oracle that was wrong, the test pins the behaviour that is right.
"""

from __future__ import annotations

import sys
from pathlib import Path

import flowbind
from flowbind.mobility import decode_message, mh_checksum

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fuzz import targets  # noqa: E402

SRC, DST = "2001:db8::1", "2001:db8::2"


def test_message_checksum_negative_zero_is_accepted() -> None:
    """message target, crash-4d47aaa5: not a fault. The computed checksum is 0x0000 and the
    message carries 0xFFFF, ones' complement's other zero, which verifies (RFC 1071 §1):
    no finding. The oracle, which wanted the checksum equal to ``mh_checksum``, was wrong."""
    data = bytes.fromhex("2c0077fbffffffff")
    assert mh_checksum(data, SRC, DST) == 0
    mh = decode_message(data, source=SRC, destination=DST)
    assert mh.checksum == 0xFFFF and mh.findings == ()
    # The same message with 0x0000 verifies too, and anything else does not.
    assert decode_message(data[:4] + b"\0\0" + data[6:], source=SRC, destination=DST).findings == ()
    wrong = decode_message(data[:4] + b"\xff\xfe" + data[6:], source=SRC, destination=DST)
    assert [f.kind for f in wrong.findings] == ["checksum"] and wrong.findings[0].expected == 0
    targets.message(data)
    assert flowbind.encode_message(mh) == data


#: capture target, crash-287924ab: a pcapng file (raw-file mode, the two leading octets 00 00)
#: whose second section header block's options are too short for scapy's reader.
PCAPNG_BAD_SECOND_SHB = (
    "AAAKDQ0KHAAAAE08KxoBAAAA//////v///8cAAAAAQAAABQAAAAAAAAA//8AABQAAAAGAAAAYAAAAAAAAAAAAAYA6AMAAAAAAAAAAAAAAAAe"
    "EkCx+kOEMm/Th72AQSABDbgAAAAAAAAAAAAAAAEgAQ24AAAAAjsCBQBP4wABAAAAAAECAAASAwAAAQEAAWAAAAAKDQ0KHBAAAE08KxoBAAAA"
    "//////////8cAAAAAQEAABQAAAAAAAAAAAAAAAAAAA=="
)


def test_capture_a_damaged_later_section_header_is_a_file_error(tmp_path: Path) -> None:
    """capture target, crash-287924ab: a fault. scapy's pcapng reader raised ``Scapy_Exception``
    for the second section header block, and it escaped ``read_capture``.  The damaged end is
    now a ``file`` CaptureError after the frames before it, as the docstring promises."""
    import base64

    from flowbind.capture import CaptureError, CaptureStats, read_capture

    data = base64.b64decode(PCAPNG_BAD_SECOND_SHB)
    path = tmp_path / "bad.pcapng"
    path.write_bytes(data[2:])
    stats = CaptureStats()
    items = list(read_capture(path, stats=stats))
    assert all(isinstance(i, CaptureError) for i in items)
    assert [(i.frame, i.kind) for i in items] == [(1, "link"), (2, "file")]
    assert items[-1].offset is None and "could not be read" in items[-1].message
    assert "Section Header Block" in items[-1].message
    assert (stats.frames, stats.errors) == (1, 2)
    targets.capture(data)
