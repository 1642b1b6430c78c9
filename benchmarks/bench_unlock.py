"""Prints what one passphrase guess (one key file unwrap) costs at the production scrypt cost,
against the former cost measured in the same process."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bwo_desktop.services import keys

PASSPHRASE = "een twee drie vier"


def _unlock_seconds(n: int, r: int, p: int, folder: Path) -> float:
    keys.SCRYPT_N, keys.SCRYPT_R, keys.SCRYPT_P = n, r, p
    path = folder / f"bench-{n}-{r}.key"
    keys.create_key_file(path, PASSPHRASE)
    started = time.perf_counter()
    keys.unlock_key_file(path, PASSPHRASE)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = _unlock_seconds(2**15, 8, 1, folder)
        new = _unlock_seconds(*keys.PRODUCTION_COST, folder)
    n, r, p = keys.PRODUCTION_COST
    print(f"former cost n=2^15 r=8 p=1: {old:.3f} s per guess")
    print(f"production n=2^{n.bit_length() - 1} r={r} p={p}: {new:.3f} s per guess "
          f"({new / old:.1f}x; target 0.5-1.0 s)")  # fmt: skip


if __name__ == "__main__":
    main()
