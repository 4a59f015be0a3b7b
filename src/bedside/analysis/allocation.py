"""Seeded random order of conditions inside each block (the app's coin flip, §4.1).

The order of block ``i`` is a pure function of (seed, i, levels): a Fisher-Yates shuffle
driven by SHA-256 of ``"bedside-order:<seed>:<i>"``. It is therefore reproducible forever
(it does not depend on a NumPy version) and each block's order can be drawn and stored
just before that block starts, as CENT item 8-10 asks, without revealing later blocks.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator, Sequence


def new_seed() -> int:
    """A fresh seed for a new experiment (store it with the plan)."""
    return secrets.randbits(63)


def block_order(seed: int, block: int, levels: Sequence[str]) -> tuple[str, ...]:
    """The order of ``levels`` inside block ``block`` (0-based) for ``seed``."""
    if len(set(levels)) != len(levels) or len(levels) < 2:
        raise ValueError("levels must be at least two distinct conditions")
    if block < 0:
        raise ValueError("block index must be 0 or more")
    items = list(levels)
    draws = _uniform_integers(f"bedside-order:{seed}:{block}")
    for i in range(len(items) - 1, 0, -1):
        j = next(draws) % (i + 1)
        items[i], items[j] = items[j], items[i]
    return tuple(items)


def _uniform_integers(key: str) -> Iterator[int]:
    """An endless stream of 64-bit integers derived from ``key``."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{key}:{counter}".encode()).digest()
        for start in range(0, len(digest), 8):
            yield int.from_bytes(digest[start : start + 8], "big")
        counter += 1
