"""The ``flowbind`` command: decode, encode (and check) options from the shell.

Every subcommand prints one JSON object per input, one per line, so its output
can be piped to ``jq`` or read with ``pandas.read_json(lines=True)``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TextIO

from . import __version__
from .codec import decode, encode
from .errors import DecodeError, FlowbindError
from .model import FlowIdentification
from .profile import DRAFT_02, Profile

__all__ = ["main", "parse_hex"]

#: The example the README's first command decodes: the two options of the
#: draft's §4 usage scenario (ssh and https source ports to CoA1), then the
#: Refresh of FID 5 and an n-cast of FID 10 to BID 7.
EXAMPLE = (
    "12 02 20 01 01 01 00 01 00 16 00 16 00 00 00 00",
    "12 02 20 01 02 01 00 01 01 bb 01 bb 00 00 00 00",
    "12 01 00 01 05 01 00 21",
    "12 02 00 0a 0a 03 00 01 01 03 07 00 00 00 00 00",
)


def parse_hex(text: str) -> bytes:
    """Bytes from hex text that may hold spaces, colons, dashes or a ``0x``.

    >>> parse_hex("0x12:01 00-01 05010021").hex()
    '1201000105010021'
    """
    t = text.strip()
    if t[:2].lower() == "0x":
        t = t[2:]
    for sep in (" ", "\t", ":", "-", "_"):
        t = t.replace(sep, "")
    if len(t) % 2:
        raise ValueError(f"odd number of hex digits ({len(t)})")
    try:
        return bytes.fromhex(t)
    except ValueError:
        bad = next((ch for ch in t if ch not in "0123456789abcdefABCDEF"), "?")
        raise ValueError(f"not hex: {bad!r}") from None


def _profile(args: argparse.Namespace) -> Profile:
    fields: dict[str, Any] = {}
    if args.option_type is not None:
        fields["option_type"] = args.option_type
    if args.length_unit is not None:
        fields["length_unit"] = args.length_unit
    if args.bid_width is not None:
        fields["bid_width"] = args.bid_width
    return Profile(**fields) if fields else DRAFT_02


def _inputs(items: Sequence[str], stdin: TextIO) -> Iterator[str]:
    for item in items:
        if item == "-":
            for line in stdin:
                if line.strip() and not line.lstrip().startswith("#"):
                    yield line.rstrip("\n")
        else:
            yield item


def _emit(out: TextIO, obj: dict[str, Any]) -> None:
    out.write(json.dumps(obj) + "\n")


def _error(exc: Exception, text: str) -> dict[str, Any]:
    if isinstance(exc, DecodeError):
        return {"error": exc.kind, "offset": exc.offset, "message": str(exc), "input": text}
    return {"error": "input", "offset": None, "message": str(exc), "input": text}


def _decode_each(
    args: argparse.Namespace,
    out: TextIO,
    stdin: TextIO,
    body: Callable[[FlowIdentification, Profile, str], dict[str, Any]],
) -> int:
    profile = _profile(args)
    rc = 0
    if args.example:
        items: list[str] = list(EXAMPLE)
    else:
        items = list(args.hex) or ["-"]
    for text in _inputs(items, stdin):
        try:
            option = decode(parse_hex(text), profile)
        except (DecodeError, ValueError) as exc:
            _emit(out, _error(exc, text))
            rc = 1
            continue
        _emit(out, body(option, profile, text))
    return rc


def _cmd_decode(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    return _decode_each(args, out, stdin, lambda opt, prof, text: opt.to_dict())


def _cmd_validate(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    from .checks import Severity, validate

    if args.role == "mn" and args.peer is None and args.message == "bu":
        raise ValueError("--role mn checks what a peer will answer: give --peer ha, map or cn")
    if args.role != "mn" and args.peer is not None:
        raise ValueError("--peer is for --role mn (the mobile node's peer)")
    failed = False

    def body(option: FlowIdentification, profile: Profile, text: str) -> dict[str, Any]:
        nonlocal failed
        findings = validate(option, role=args.role, message=args.message, peer=args.peer, profile=profile)
        errors = [f for f in findings if f.severity is Severity.ERROR]
        if errors:
            failed = True
        status = errors[0].status if errors else 0
        return {
            "input": text,
            "findings": [f.to_dict() for f in findings],
            "status": None if status is None else int(status),
        }

    rc = _decode_each(args, out, stdin, body)
    return 1 if failed else rc


def _cmd_encode(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    profile = _profile(args)
    texts: list[str] = list(args.json)
    if not texts or texts == ["-"]:
        texts = [line for line in stdin if line.strip()]
    rc = 0
    for text in texts:
        try:
            data = json.loads(text)
            option = FlowIdentification.from_dict(data)
            out.write(encode(option, profile).hex() + "\n")
        except (json.JSONDecodeError, FlowbindError, TypeError) as exc:
            err = {"error": "input", "message": str(exc), "input": text.strip()}
            if isinstance(exc, FlowbindError) and hasattr(exc, "field"):
                err["field"] = exc.field
            _emit(out, err)
            rc = 1
    return rc


def _add_profile_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("profile (default: DRAFT_02)")
    g.add_argument(
        "--option-type",
        type=int,
        metavar="N",
        help="Option Type octet, 0..255 (default 18: the draft says TBD; 18 is RFC 5096's experimental type)",
    )
    g.add_argument(
        "--length-unit",
        choices=["8-octet", "octet"],
        help="how Option Len counts: '8-octet' = whole option in 8-octet units (the draft's §2.1, default); "
        "'octet' = octets after the Len octet, as RFC 6275 options (and Wireshark) count",
    )
    g.add_argument(
        "--bid-width",
        type=int,
        choices=[1, 2],
        help="octets per BID in the BID sub-option: 1 (Figure 2, default) or 2 (RFC 5648)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowbind",
        description="Decode, encode and check the Flow Identification option of "
        "draft-soliman-monami6-flow-binding-02 (Flow Bindings in Mobile IPv6).",
    )
    parser.add_argument("--version", action="version", version=f"flowbind {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "decode",
        help="decode options given as hex; one JSON object per input per line",
        description="Decode each hex string (spaces, colons, dashes and a 0x are allowed) as one "
        "option and print its JSON form on one line. An input that is refused prints "
        '{"error": kind, "offset": n, "message": ...} on its line; the command goes on and exits 1 '
        "at the end. '-' reads one hex string per line from standard input.",
    )
    p.add_argument("hex", nargs="*", help="an option in hex, or '-' for standard input (the default)")
    p.add_argument(
        "--example", action="store_true", help="decode the built-in example (the draft's §4 scenario)"
    )
    _add_profile_flags(p)
    p.set_defaults(func=_cmd_decode)

    p = sub.add_parser(
        "encode",
        help="encode options given in their JSON form; prints hex",
        description="Encode each JSON object (as 'flowbind decode' prints it: an argument, or one per "
        "line on standard input) and print the option's hex. 'type' and 'length' are not needed: the "
        "profile decides them.",
    )
    p.add_argument("json", nargs="*", help="an option's JSON form, or '-' for standard input (the default)")
    _add_profile_flags(p)
    p.set_defaults(func=_cmd_encode)

    p = sub.add_parser(
        "validate",
        help="check options given as hex; one JSON object of findings per input per line",
        description="Decode each hex string as one option and check it as --role would (docs/validation.md). "
        'Prints {"input": ..., "findings": [{rule, status, status_name, severity, message, section, '
        'offset}, ...], "status": n} on one line per input, where status is the first error\'s Status '
        "(what the receiver answers) or 0. An input that does not decode prints as for 'decode'. Exits 1 "
        "if any input has an error-level finding or does not decode. '-' reads one hex string per line "
        "from standard input.",
    )
    p.add_argument("hex", nargs="*", help="an option in hex, or '-' for standard input (the default)")
    p.add_argument(
        "--example", action="store_true", help="check the built-in example (the draft's §4 scenario)"
    )
    p.add_argument(
        "--role",
        choices=["ha", "map", "cn", "mn"],
        default="ha",
        help="who checks: home agent (default), MAP (as a home agent), correspondent node, or a mobile "
        "node about to send (with --peer)",
    )
    p.add_argument(
        "--message",
        choices=["bu", "ba"],
        default="bu",
        help="the option is in a Binding Update (default) or is the copy in a Binding Acknowledgement",
    )
    p.add_argument(
        "--peer", choices=["ha", "map", "cn"], help="for --role mn: the peer the Binding Update goes to"
    )
    _add_profile_flags(p)
    p.set_defaults(func=_cmd_validate)

    from .cli_pcap import add_pcap_command

    add_pcap_command(sub, _add_profile_flags, _profile)
    for sub_parser in sub.choices.values():
        sub_parser.set_defaults(_parser=sub_parser)
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stdin: TextIO | None = None) -> int:
    """Run the command; return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    usage = getattr(args, "_parser", parser)
    if getattr(args, "example", False) and getattr(args, "hex", None):
        usage.error("--example takes no other input")
    out = stdout if stdout is not None else sys.stdout
    inp = stdin if stdin is not None else sys.stdin
    try:
        rc: int = args.func(args, out, inp)
    except ValueError as exc:  # an invalid profile
        usage.error(str(exc))
    except BrokenPipeError:  # e.g. piped into head
        return 0
    return rc


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
