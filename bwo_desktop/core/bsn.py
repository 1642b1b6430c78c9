"""BSN: the 11-proef and masking for lists and exports."""

from __future__ import annotations

import re

# 8 or 9 digits standing alone: a number that may be a BSN (checked with the 11-proef where
# it matters; scrubbed unchecked from logs and audit details). The one definition of the
# pattern: the log scrubber (app.py) and the audit log (services/audit.py) use it too.
BSN_LIKE = re.compile(r"(?<!\d)\d{8,9}(?!\d)")


def is_valid_bsn(bsn: str) -> bool:
    """Burgerservicenummer: 9 digits passing the 11-proef (8 or 9 digits accepted with a
    leading zero added, as BSNs below 100000000 are sometimes written without it)."""
    if not isinstance(bsn, str) or not bsn.isascii() or not bsn.isdigit():
        return False
    if len(bsn) == 8:
        bsn = "0" + bsn
    if len(bsn) != 9 or bsn == "000000000":
        return False
    digits = [int(c) for c in bsn]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def normalise_bsn(bsn: str) -> str:
    bsn = bsn.strip().replace(" ", "").replace(".", "")
    return "0" + bsn if len(bsn) == 8 else bsn


def mask_bsn(bsn: str) -> str:
    """Show only the last three digits: `******789`."""
    if len(bsn) <= 3:
        return "*" * len(bsn)
    return "*" * (len(bsn) - 3) + bsn[-3:]


def contains_bsn(text: str) -> bool:
    """Does `text` (a file name, a kenmerk) hold a number that passes the 11-proef?"""
    return any(is_valid_bsn(m.group(0)) for m in BSN_LIKE.finditer(text))
