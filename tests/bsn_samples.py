"""Fictional BSNs for every test folder: numbers from the 9999xxxxx test range that pass the
11-proef (and beyond it 99xxxxxxx, for lists longer than the ~9,000 test-range numbers).

A plain module beside the rootdir conftest (tests/ is on sys.path): import it as
`from bsn_samples import bsn, make_bsns`.
"""

from __future__ import annotations

from functools import cache

from bwo_desktop.core.bsn import is_valid_bsn


def make_bsns(count: int, start: int = 0) -> list[str]:
    """`count` valid BSNs in order, from candidate number `start` on."""
    found: list[str] = []
    number = start
    while len(found) < count:
        # 9999xxxxx (the test range) holds ~9,000 valid numbers; beyond it continue in 99xxxxxxx.
        candidate = f"9999{number:05d}" if number < 100_000 else f"99{number:07d}"
        if is_valid_bsn(candidate):
            found.append(candidate)
        number += 1
    return found


@cache
def bsn(n: int) -> str:
    """The n-th BSN of the form 9999xxxxx that passes the 11-proef."""
    if n < 0:
        raise ValueError(n)
    found = make_bsns(n + 1)[n]
    if not found.startswith("9999"):
        raise ValueError(n)
    return found
