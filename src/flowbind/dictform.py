"""The dict (JSON) form of an option, read back: :meth:`FlowIdentification.from_dict`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .enums import Flag, SubOptionType
from .errors import ModelError
from .model import AddressPrefix, BIDSubOption, FlowIdentification, PortRange, SubOption, UnknownSubOption

__all__ = ["option_from_dict"]

_SCALARS = (
    "fid",
    "pro",
    "action",
    "priority",
    "status",
    "cls",
    "spi",
    "flow_label",
    "protocol",
    "class_of_service",
)
_KNOWN = set(_SCALARS) | {
    "type",
    "length",
    "flags",
    "header_only",
    "source",
    "destination",
    "source_ports",
    "destination_ports",
    "sub_options",
    "opaque",
    "reserved",
    "padding",
}
_RESERVED = ("source", "destination", "res3", "res4", "ignored_protocol", "ignored_class_of_service")


def _address(value: Any, reserved: int, key: str) -> AddressPrefix | None:
    if value is None:
        return None
    if not isinstance(value, Mapping) or "address" not in value:
        raise ModelError(key, f"{key} must be {{'address': ..., 'prefix': ...}} or null, not {value!r}")
    return AddressPrefix(value["address"], value.get("prefix", 128), reserved)


def _ports(value: Any, key: str) -> PortRange | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return PortRange(value[0], value[1])
    if isinstance(value, int) and not isinstance(value, bool):
        return PortRange(value, value)
    raise ModelError(key, f"{key} must be [min, max] or null, not {value!r}")


def _sub_option(value: Any, i: int) -> SubOption:
    key = f"sub_options[{i}]"
    if not isinstance(value, Mapping) or "type" not in value:
        raise ModelError(key, f"{key} must be {{'type': 1, 'bids': [...]}} or {{'type': n, 'data': hex}}")
    if value["type"] == SubOptionType.BID:
        if "bids" not in value:
            raise ModelError(key, f"{key}: a BID sub-option needs 'bids'")
        return BIDSubOption(tuple(value["bids"]))
    data = value.get("data", "")
    try:
        raw = bytes.fromhex(data) if isinstance(data, str) else bytes(data)
    except (ValueError, TypeError) as exc:
        raise ModelError(key, f"{key}: data must be hex text, not {data!r}") from exc
    return UnknownSubOption(value["type"], raw)


def option_from_dict(data: Mapping[str, Any]) -> FlowIdentification:
    """Make an option from its dict form; unknown keys are refused, not dropped.

    Any fault in the dict is a :class:`~flowbind.errors.ModelError`.
    """
    try:
        return _from_dict(data)
    except (TypeError, AttributeError) as exc:
        raise ModelError("option", f"malformed dict form: {exc}") from exc


def _from_dict(data: Mapping[str, Any]) -> FlowIdentification:
    if not isinstance(data, Mapping):
        raise ModelError("option", f"the dict form is a mapping, not {type(data).__name__}")
    unknown = set(data) - _KNOWN
    if unknown:
        raise ModelError(sorted(unknown)[0], f"unknown keys {sorted(unknown)}")
    reserved = data.get("reserved") or {}
    padding = data.get("padding") or {}
    if not isinstance(reserved, Mapping) or set(reserved) - set(_RESERVED):
        raise ModelError("reserved", f"reserved must map some of {list(_RESERVED)} to integers")
    if not isinstance(padding, Mapping) or set(padding) - {"before", "after"}:
        raise ModelError("padding", "padding must be {'before': [...], 'after': n}")
    kwargs: dict[str, Any] = {k: data[k] for k in _SCALARS if data.get(k) is not None}
    flags = data.get("flags", [])
    if isinstance(flags, str):
        flags = list(flags)
    if not isinstance(flags, (list, tuple)):
        raise ModelError("flags", f"flags must be a list of letters, not {flags!r}")
    try:
        kwargs["flags"] = Flag.from_letters(flags)
    except ValueError as exc:
        raise ModelError("flags", str(exc)) from None
    kwargs["source"] = _address(data.get("source"), reserved.get("source", 0), "source")
    kwargs["destination"] = _address(data.get("destination"), reserved.get("destination", 0), "destination")
    kwargs["source_ports"] = _ports(data.get("source_ports"), "source_ports")
    kwargs["destination_ports"] = _ports(data.get("destination_ports"), "destination_ports")
    subs = data.get("sub_options") or []
    if not isinstance(subs, (list, tuple)):
        raise ModelError("sub_options", "sub_options must be a list")
    kwargs["sub_options"] = tuple(_sub_option(s, i) for i, s in enumerate(subs))
    opaque = data.get("opaque")
    if opaque is not None:
        try:
            kwargs["opaque"] = bytes.fromhex(opaque)
        except (ValueError, TypeError) as exc:
            raise ModelError("opaque", f"opaque must be hex text, not {opaque!r}") from exc
    for key in ("res3", "res4", "ignored_protocol", "ignored_class_of_service"):
        if key in reserved:
            kwargs[key] = reserved[key]
    kwargs["pad_before"] = tuple(padding.get("before", ()))
    kwargs["padding"] = padding.get("after", 0)
    opt = FlowIdentification(**kwargs)
    header_only = data.get("header_only")
    if header_only is not None and bool(header_only) != opt.header_only:
        raise ModelError(
            "header_only",
            f"header_only is {header_only} but the fields and sub-options given make it {opt.header_only}",
        )
    return opt
