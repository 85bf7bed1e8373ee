"""The ``flowbind`` command's decode and encode (issue 2 item 9)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import flowbind
from flowbind import DRAFT_02_OCTETS, Profile, decode, encode
from flowbind.cli import main

SSH = "12022001010100010016001600000000"  # vector h01
HTTPS = "120220010201000101bb01bb00000000"  # vector h02
REFRESH = "1201000105010021"  # vector h03


def run(*argv: str, stdin: str = "") -> tuple[int, list[str]]:
    out = io.StringIO()
    rc = main(list(argv), stdout=out, stdin=io.StringIO(stdin))
    return rc, out.getvalue().splitlines()


def _lines(lines: list[str]) -> list[dict[str, object]]:
    return [json.loads(line) for line in lines]


# --- decode -----------------------------------------------------------------------


def test_decode_prints_one_json_line_per_input() -> None:
    rc, lines = run("decode", SSH, HTTPS, REFRESH)
    assert rc == 0
    assert _lines(lines) == [decode(bytes.fromhex(h)).to_dict() for h in (SSH, HTTPS, REFRESH)]
    first = json.loads(lines[0])
    assert (first["fid"], first["source_ports"], first["flags"]) == (1, [22, 22], ["F"])


def test_decode_reports_a_refused_input_on_its_line_goes_on_and_exits_1() -> None:
    rc, lines = run(
        "decode", SSH, "120480000701000120010db80000000000000000000000018100000000000000", "zz", REFRESH
    )
    assert rc == 1
    assert len(lines) == 4
    got = _lines(lines)
    assert got[0]["fid"] == 1 and got[3]["fid"] == 5
    assert (got[1]["error"], got[1]["offset"]) == ("value", 24)
    assert "prefix" in str(got[1]["message"])
    assert got[2]["error"] == "input" and "hex" in str(got[2]["message"])


@pytest.mark.parametrize(
    "text",
    [
        "12 01 00 01 05 01 00 21",
        "12:01:00:01:05:01:00:21",
        "0x1201000105010021",
        "0X12-01-00-01 05:01:00:21",
        "  1201000105010021\t",
    ],
)
def test_decode_accepts_hex_with_spaces_colons_and_0x(text: str) -> None:
    rc, lines = run("decode", text)
    assert rc == 0
    assert json.loads(lines[0]) == decode(bytes.fromhex(REFRESH)).to_dict()


def test_decode_dash_reads_one_hex_string_per_line_from_stdin() -> None:
    rc, lines = run("decode", "-", stdin=f"{SSH}\n\n# a comment\n{HTTPS}\n12\n")
    assert rc == 1
    got = _lines(lines)
    assert [g.get("fid") for g in got[:2]] == [1, 2]
    assert (got[2]["error"], got[2]["offset"]) == ("truncated", 1)
    # No argument at all also reads stdin.
    assert run("decode", stdin=REFRESH + "\n") == (0, [json.dumps(decode(bytes.fromhex(REFRESH)).to_dict())])


def test_decode_example_is_the_scenario() -> None:
    rc, lines = run("decode", "--example")
    assert rc == 0
    got = _lines(lines)
    assert [(g["fid"], g["source_ports"]) for g in got[:2]] == [(1, [22, 22]), (2, [443, 443])]


# --- profile flags ----------------------------------------------------------------------


def test_length_unit_flag() -> None:
    octets = "120a20010101000100160016"  # vector h28a
    rc, lines = run("decode", "--length-unit", "octet", octets)
    assert rc == 0 and json.loads(lines[0])["length"] == 10
    rc, lines = run("decode", octets)
    assert rc == 1 and json.loads(lines[0])["error"] == "truncated"
    rc, lines = run(
        "encode", "--length-unit", "octet", json.dumps({"fid": 1, "priority": 1, "source_ports": [22, 22]})
    )
    assert (rc, lines) == (0, [octets])


def test_bid_width_flag() -> None:
    bid16 = "1202000a0a0300010104000700000000"  # vector h30a
    rc, lines = run("decode", "--bid-width", "2", bid16)
    assert rc == 0 and json.loads(lines[0])["sub_options"] == [{"type": 1, "bids": [7]}]
    rc, lines = run("decode", bid16)
    assert json.loads(lines[0])["sub_options"] == [{"type": 1, "bids": [0, 7]}]
    form = json.dumps({"fid": 10, "priority": 10, "action": 3, "sub_options": [{"type": 1, "bids": [7]}]})
    assert run("encode", "--bid-width", "2", form) == (0, [bid16])


def test_option_type_flag() -> None:
    rc, lines = run("decode", "--option-type", "200", "c801000105010021")
    assert rc == 0 and json.loads(lines[0])["type"] == 200
    rc, lines = run("decode", "c801000105010021")
    assert rc == 1 and (json.loads(lines[0])["error"], json.loads(lines[0])["offset"]) == ("type", 0)
    assert run("encode", "--option-type", "200", '{"fid": 5, "priority": 1, "pro": 2}') == (
        0,
        ["c801000105010021"],
    )


def test_an_invalid_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        run("decode", "--option-type", "300", REFRESH)
    assert info.value.code == 2
    assert "option_type" in capsys.readouterr().err


# --- encode -------------------------------------------------------------------------------


@pytest.mark.parametrize("profile_args", [[], ["--length-unit", "octet"], ["--bid-width", "2"]])
def test_encode_round_trips_decodes_output(profile_args: list[str]) -> None:
    profile = Profile(
        length_unit="octet" if "octet" in profile_args else "8-octet",
        bid_width=2 if "2" in profile_args else 1,
    )
    hexes = [
        SSH,
        REFRESH,
        "1209ff0101010001000102030405060708090a0b0c0d0e0f80000000000102030405060708090a0b0c0d0e0f800000000016001601bb01bb00001234abcde0000600000001030500",
        "1202080101010001062e000000000000",
        "12022001010100020016001600000000",
    ]
    wires = [encode(decode(bytes.fromhex(h)), profile).hex() for h in hexes]
    rc, decoded = run("decode", *profile_args, *wires)
    assert rc == 0
    rc, encoded = run("encode", *profile_args, stdin="\n".join(decoded) + "\n")
    assert (rc, encoded) == (0, wires)
    rc, encoded = run("encode", *profile_args, *decoded)
    assert (rc, encoded) == (0, wires)


def test_encode_reports_bad_input_per_line_and_exits_1() -> None:
    good = json.dumps({"fid": 5, "priority": 1, "pro": 2})
    rc, lines = run(
        "encode",
        "-",
        stdin="\n".join(
            [
                good,
                "{not json",
                json.dumps({"fid": 1, "bogus": 1}),
                json.dumps({"sub_options": [{"type": 1, "bids": [300]}]}),
                json.dumps({"flags": ["X"]}),
                good,
            ]
        ),
    )
    assert rc == 1
    assert lines[0] == lines[5] == REFRESH
    errors = _lines(lines[1:5])
    assert all(e["error"] == "input" for e in errors)
    assert errors[1]["field"] == "bogus"
    assert errors[2]["field"] == "sub_options[0].bids[0]"
    assert errors[3]["field"] == "flags"


# --- help and the installed command --------------------------------------------------------


@pytest.mark.parametrize("command", ["decode", "encode"])
def test_help_explains_each_flag(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    text = capsys.readouterr().out
    for flag in ("--option-type", "--length-unit", "--bid-width"):
        assert flag in text
    assert "8-octet" in text and "octet" in text and "RFC 5648" in text
    assert "'-'" in text or "standard input" in text


def test_top_level_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "decode" in text and "encode" in text


def test_the_installed_console_script_runs() -> None:
    script = Path(sys.executable).with_name("flowbind")
    assert script.exists(), "flowbind is not installed in this environment (pip install -e .)"
    done = subprocess.run(
        [str(script), "decode", "-", "--length-unit", "octet"],
        input="120a20010101000100160016\n12\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert first == decode(bytes.fromhex("120a20010101000100160016"), DRAFT_02_OCTETS).to_dict()
    assert second["error"] == "truncated"
    version = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert version.stdout.strip() == f"flowbind {flowbind.__version__}"


def test_example_refuses_other_inputs_with_the_subcommands_usage(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["decode", "--example", "zz"], ["validate", "--example", "12"]):
        with pytest.raises(SystemExit) as info:
            main(argv, stdout=io.StringIO(), stdin=io.StringIO(""))
        assert info.value.code == 2
        err = capsys.readouterr().err
        assert f"usage: flowbind {argv[0]}" in err
        assert "--example takes no other input" in err
