"""Named values of the option's fields (draft §2.1, interpretation §2).

Unknown numeric values are never rejected: decode keeps them as plain ``int``
and the model accepts them, so every field is typed ``Enum | int``.
"""

from __future__ import annotations

import enum
from typing import Final

__all__ = [
    "CLS_FLOW",
    "FIELD_FLAGS",
    "FLAG_ORDER",
    "Action",
    "Flag",
    "Pro",
    "Status",
    "SubOptionType",
    "is_success",
]


class Pro(enum.IntEnum):
    """PRO, the 4-bit processing requested for the option (§2.1)."""

    ADD = 0
    #: Also called Modify in §3.5 and §5.2.
    REPLACE = 1
    REFRESH = 2
    #: The draft writes 255, which cannot fit 4 bits; 15 is its all-ones
    #: 4-bit form (interpretation §2).
    REMOVE = 15

    def __str__(self) -> str:
        return self.name


class Action(enum.IntEnum):
    """Action (§2.1).  The §4 example's "0 (forward)" is an erratum for 1."""

    FORWARD = 1
    DISCARD = 2
    NCAST = 3

    def __str__(self) -> str:
        return self.name


class Status(enum.IntEnum):
    """Status (§2.1): 0..127 mean success, 128..255 failure."""

    SUCCESS = 0
    REASON_UNSPECIFIED = 128
    POORLY_FORMED = 129
    ADMINISTRATIVELY_PROHIBITED = 130
    PREFIX_NOT_SUPPORTED = 131
    PORTS_NOT_SUPPORTED = 132
    FLOW_LABEL_NOT_SUPPORTED = 133
    SPI_NOT_SUPPORTED = 134
    FID_ALREADY_IN_USE = 135
    #: §7.3.1 says "137 (FID not found)": an erratum for 136.
    FID_NOT_FOUND = 136
    CLASSIFIER_NOT_SUPPORTED = 137
    DISCARD_NOT_SUPPORTED = 138
    NCAST_NOT_SUPPORTED = 139

    @property
    def is_success(self) -> bool:
        return is_success(self)

    def __str__(self) -> str:
        return self.name


#: Statuses below this value mean success (§2.1).
FIRST_FAILURE_STATUS: Final = 128


def is_success(status: int) -> bool:
    """True for a success Status (0..127), known or not."""
    return int(status) < FIRST_FAILURE_STATUS


class Flag(enum.IntFlag):
    """The ten flags of the option's third and fourth octets (Figure 1).

    Their values are their bits in the 16-bit word that also holds PRI.
    """

    S = 0x8000  #: source address and prefix present
    E = 0x4000  #: destination address and prefix present
    F = 0x2000  #: source port range present
    L = 0x1000  #: destination port range present
    O = 0x0800  #: Protocol present
    W = 0x0400  #: flow label present
    T = 0x0200  #: Class of Service present
    I = 0x0100  #: SPI present
    R = 0x0080  #: the flow's source is the receiver of the BU (no field)
    H = 0x0040  #: the flow's destination is the BU's source (no field)

    @property
    def letters(self) -> list[str]:
        """The set flags as letters, in S E F L O W T I R H order."""
        return [str(f.name) for f in FLAG_ORDER if self & f]

    @classmethod
    def from_letters(cls, letters: str | list[str] | tuple[str, ...]) -> Flag:
        """``Flag.from_letters("SF")`` or ``Flag.from_letters(["S", "F"])``."""
        out = cls(0)
        for letter in letters:
            try:
                out |= cls[str(letter).upper()]
            except KeyError:
                raise ValueError(f"unknown flag {letter!r}; flags are S E F L O W T I R H") from None
        return out

    def __str__(self) -> str:
        return "".join(self.letters) or "-"


#: Flags in the order the draft lists them (and the dict form writes them).
FLAG_ORDER: Final = (
    Flag.S,
    Flag.E,
    Flag.F,
    Flag.L,
    Flag.O,
    Flag.W,
    Flag.T,
    Flag.I,
    Flag.R,
    Flag.H,
)
#: Flags that announce a field after the header; R and H carry none.
FIELD_FLAGS: Final = Flag.S | Flag.E | Flag.F | Flag.L | Flag.O | Flag.W | Flag.T | Flag.I
#: All ten flag bits of the flags/PRI word.
ALL_FLAGS: Final = FIELD_FLAGS | Flag.R | Flag.H
#: PRI is the low 6 bits of the flags/PRI word.
PRIORITY_MASK: Final = 0x3F

#: CLS 1: the only classifier the draft defines (Figure 1's fields).
CLS_FLOW: Final = 1


class SubOptionType(enum.IntEnum):
    """Sub-option types (§2.2).  Type 0 is one octet of padding, not a type."""

    BID = 1


#: A zero octet where a sub-option type is expected is one octet of padding.
PAD_OCTET: Final = 0
