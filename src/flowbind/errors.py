"""flowbind's exceptions: one root, structured attributes.

Every error flowbind raises on purpose is a :class:`FlowbindError`.  Decode
raises nothing else, on any input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .checks import Finding

__all__ = [
    "DECODE_ERROR_KINDS",
    "DecodeError",
    "DecodeErrorKind",
    "EncodeError",
    "FlowbindError",
    "ModelError",
    "ValidationError",
]

DecodeErrorKind = Literal["truncated", "type", "length", "value", "sub-option", "trailing"]

#: The kinds of :class:`DecodeError`, in the order decode checks for them
#: (interpretation §6).  ``truncated`` is checked at three points of that order.
DECODE_ERROR_KINDS: Final[tuple[DecodeErrorKind, ...]] = (
    "truncated",
    "type",
    "length",
    "value",
    "sub-option",
    "trailing",
)


class FlowbindError(Exception):
    """The root of every error flowbind raises."""


class DecodeError(FlowbindError, ValueError):
    """Bytes that are not one well-formed option under the given profile.

    :ivar kind: one of :data:`DECODE_ERROR_KINDS`.
    :ivar offset: the octet the fault is at, counted from the start of the
        buffer (interpretation §6 names it for each kind).
    :ivar reason: what was wrong, without the offset.
    """

    kind: DecodeErrorKind
    offset: int
    reason: str

    def __init__(self, kind: DecodeErrorKind, offset: int, reason: str) -> None:
        self.kind = kind
        self.offset = offset
        self.reason = reason
        super().__init__(f"{kind} at octet {offset}: {reason}")

    def __reduce__(self) -> tuple[type[DecodeError], tuple[str, int, str]]:
        return (type(self), (self.kind, self.offset, self.reason))


class _FieldError(FlowbindError, ValueError):
    """An error about one field of a value: ``field`` names it, ``reason`` says why."""

    field: str
    reason: str

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")

    def __reduce__(self) -> tuple[type[_FieldError], tuple[str, str]]:
        return (type(self), (self.field, self.reason))


class EncodeError(_FieldError):
    """A value the profile's wire format cannot carry; nothing is truncated.

    :ivar field: the dotted name of the offending field (e.g. ``"sub_options[0].bids[2]"``).
    """


class ModelError(EncodeError):
    """A model value that no wire encoding can carry, refused when it is made.

    It is an :class:`EncodeError` (interpretation §6: out-of-range values are
    refused with an encode error); flowbind refuses them before ``encode``.

    :ivar field: the name of the offending field.
    """


class ValidationError(FlowbindError, ValueError):
    """An option that decodes but breaks a rule: ``decode(..., strict=True)`` refuses it.

    :ivar findings: what :func:`flowbind.validate` reported (role ``"ha"``,
        message ``"bu"``), in its order: errors first, then warnings.
    """

    findings: tuple[Finding, ...]

    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = tuple(findings)
        n = len(self.findings)
        first = f"; first: {self.findings[0]}" if n else ""
        super().__init__(f"{n} validation finding{'' if n == 1 else 's'}{first}")

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Finding, ...]]]:
        return (type(self), (self.findings,))
