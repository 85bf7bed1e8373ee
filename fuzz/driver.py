"""A small mutation fuzzer with no dependencies, for CI and where atheris is missing.

It mutates the seed corpus (bit flips, interesting octets, inserts, deletes,
copies, splices, cuts), and keeps an input in the corpus when it produces an
outcome not seen before: a crude feedback (the error kind and a bucket of its
offset, or acceptance and a bucket of the size), without coverage
instrumentation.  Runs are deterministic for a given ``seed``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

__all__ = ["Failure", "Result", "mutate", "run"]

#: Octets that sit on the codec's boundaries: lengths, prefix 128/129, the types.
INTERESTING = (0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 15, 16, 18, 35, 0x3F, 0x40, 0x7F, 0x80, 0x81, 0xC0, 0xFE, 0xFF)


def mutate(rng: random.Random, data: bytes, corpus: Sequence[bytes]) -> bytes:
    """``data`` with 1 to 4 random edits."""
    buf = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 3, 4))):
        how = rng.randrange(10)
        if not buf or how == 0:
            buf += bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            continue
        at = rng.randrange(len(buf))
        if how == 1:
            buf[at] ^= 1 << rng.randrange(8)
        elif how == 2:
            buf[at] = rng.choice(INTERESTING)
        elif how == 3:
            buf[at] = rng.randrange(256)
        elif how == 4:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif how == 5:
            del buf[at : at + rng.randint(1, 8)]
        elif how == 6:
            n = rng.randint(1, 16)
            buf[at:at] = buf[rng.randrange(len(buf)) :][:n]
        elif how == 7:
            other = rng.choice(corpus)
            if other:
                cut = rng.randrange(len(other))
                buf[at:] = other[cut:]
        elif how == 8:
            del buf[at:]
        else:
            # Small arithmetic on an octet: a length one too short or long.
            buf[at] = (buf[at] + rng.choice((-8, -2, -1, 1, 2, 8))) & 0xFF
    return bytes(buf)


@dataclass
class Failure:
    """An input on which the target raised."""

    index: int
    data: bytes
    error: BaseException

    def __str__(self) -> str:
        return f"input {self.index} ({self.data.hex()}): {type(self.error).__name__}: {self.error}"


@dataclass
class Result:
    target: str
    inputs: int = 0
    seconds: float = 0.0
    corpus: int = 0
    failures: list[Failure] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds else 0.0


def run(
    name: str,
    target: Callable[[bytes], None],
    seeds: Sequence[bytes],
    runs: int,
    *,
    seed: int = 0,
    max_failures: int = 10,
    max_len: int = 4096,
    signature: Callable[[bytes], str] | None = None,
) -> Result:
    """Feed ``target`` the seeds, then ``runs`` mutated inputs; collect failures.

    ``signature`` names an input's behaviour; an input with a new one joins
    the corpus.
    """
    rng = random.Random(seed)
    corpus = [s for s in seeds if len(s) <= max_len] or [b""]
    first = [*corpus, b""]
    seen: set[str] = set()
    result = Result(name)
    start = time.perf_counter()
    for k in range(len(first) + runs):
        data = first[k] if k < len(first) else mutate(rng, rng.choice(corpus), corpus)[:max_len]
        result.inputs += 1
        try:
            target(data)
        except Exception as exc:  # every exception that escapes a target is a fault
            result.failures.append(Failure(k, data, exc))
            if len(result.failures) >= max_failures:
                break
            continue
        if signature is not None:
            sig = signature(data)
            result.outcomes[sig] = result.outcomes.get(sig, 0) + 1
            if sig not in seen:
                seen.add(sig)
                corpus.append(data)
    result.seconds = time.perf_counter() - start
    result.corpus = len(corpus)
    return result
