"""Profiles: every choice the draft leaves open, held in one immutable value.

The draft (draft-soliman-monami6-flow-binding-02) leaves the option type
unassigned, contradicts itself on the unit of Option Len, draws an 8-bit BID
where its successor uses 16 bits, and does not say whether the 8-octet copy in
a Binding Acknowledgement keeps the original Option Len.  Each of these is a
field of :class:`Profile`; no other module hard-codes any of them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

__all__ = [
    "DRAFT_02",
    "DRAFT_02_OCTETS",
    "AckCopy",
    "LengthUnit",
    "Profile",
]

#: The fixed part of every option (Type, Len, flags/PRI, FID, Action, Status, PRO/CLS).
HEADER_SIZE: Final = 8


class LengthUnit(str, enum.Enum):
    """How Option Len counts (interpretation §1)."""

    #: Option Len counts the whole option, Type and Len included, in 8-octet
    #: units; the option is zero-padded up to Len x 8 (§2.1, literally).
    EIGHT_OCTET = "8-octet"
    #: Option Len counts the octets after the Len octet, as every RFC 6275
    #: mobility option does (§4's "12 bytes" example is Len 10).
    OCTET = "octet"

    def __str__(self) -> str:
        return self.value


class AckCopy(str, enum.Enum):
    """What Option Len says in the 8-octet copy in a Binding Acknowledgement."""

    #: The copy's Option Len describes 8 octets.
    REWRITE = "rewrite"
    #: The copy keeps the original Option Len; a BA decoder reads 8 octets.
    VERBATIM = "verbatim"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Profile:
    """One reading of the draft: every choice it leaves open.

    >>> Profile(length_unit="octet").length_unit == "octet"
    True
    >>> Profile(bid_width=3)
    Traceback (most recent call last):
    ...
    ValueError: bid_width must be 1 or 2, not 3
    """

    #: Option Type octet.  The draft says "TBD"; 18 is RFC 5096's
    #: experimental mobility option type.
    option_type: int = 18
    length_unit: LengthUnit = LengthUnit.EIGHT_OCTET
    #: Octets per BID in the BID sub-option: 1 (Figure 2) or 2 (RFC 5648).
    bid_width: int = 1
    ack_copy: AckCopy = AckCopy.REWRITE

    def __post_init__(self) -> None:
        ot = self.option_type
        if isinstance(ot, bool) or not isinstance(ot, int) or not 0 <= ot <= 255:
            raise ValueError(f"option_type must be an integer 0..255, not {ot!r}")
        try:
            unit = LengthUnit(self.length_unit)
        except ValueError:
            raise ValueError(f"length_unit must be '8-octet' or 'octet', not {self.length_unit!r}") from None
        bw = self.bid_width
        if isinstance(bw, bool) or bw not in (1, 2):
            raise ValueError(f"bid_width must be 1 or 2, not {bw!r}")
        try:
            ack = AckCopy(self.ack_copy)
        except ValueError:
            raise ValueError(f"ack_copy must be 'rewrite' or 'verbatim', not {self.ack_copy!r}") from None
        object.__setattr__(self, "length_unit", unit)
        object.__setattr__(self, "ack_copy", ack)
        # Kept as plain attributes for the codec's hot paths.
        object.__setattr__(self, "_granule", 8 if unit is LengthUnit.EIGHT_OCTET else 1)
        object.__setattr__(self, "_max_size", self.option_size(255))

    # Framing arithmetic, in one place.

    def option_size(self, length_octet: int) -> int:
        """Octets of a whole option whose Option Len octet is ``length_octet``."""
        if self.length_unit is LengthUnit.EIGHT_OCTET:
            return length_octet * 8
        return length_octet + 2

    def length_octet(self, size: int) -> int:
        """The Option Len octet for a whole option of ``size`` octets.

        ``size`` must be a size this unit can express (see :meth:`fits`).
        """
        if self.length_unit is LengthUnit.EIGHT_OCTET:
            return size // 8
        return size - 2

    if TYPE_CHECKING:  # set in __post_init__; not dataclass fields at run time
        _granule: int = field(init=False, default=8)
        _max_size: int = field(init=False, default=2040)

    @property
    def granule(self) -> int:
        """Octets an option's size must be a multiple of (8 or 1)."""
        return self._granule

    @property
    def max_size(self) -> int:
        """The largest option this profile can frame (2040 or 257 octets)."""
        return self._max_size

    @property
    def header_only_length(self) -> int:
        """The Option Len of a header-only (8-octet) option: 1 or 6."""
        return self.length_octet(HEADER_SIZE)

    def __repr__(self) -> str:
        for name, known in _NAMED.items():
            if self == known:
                return name
        return (
            f"Profile(option_type={self.option_type}, length_unit={self.length_unit.value!r}, "
            f"bid_width={self.bid_width}, ack_copy={self.ack_copy.value!r})"
        )


#: The default reading: the draft's field definitions taken literally.
DRAFT_02: Final = Profile()
#: The same, with Option Len counted in octets as RFC 6275 options are, for
#: peers (and generic walkers such as Wireshark's) that frame options that way.
DRAFT_02_OCTETS: Final = Profile(length_unit=LengthUnit.OCTET)

_NAMED = {"DRAFT_02": DRAFT_02, "DRAFT_02_OCTETS": DRAFT_02_OCTETS}
