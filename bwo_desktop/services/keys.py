"""The key file beside the database: a random 256-bit data key, wrapped (AES-256-GCM) by a
key derived from the passphrase with scrypt.

The database is encrypted with the raw data key, so opening it skips SQLCipher's own key
derivation, and changing the passphrase only rewraps this small file. Backups carry a copy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bwo_desktop.core.passphrase import check_passphrase_strength, normalise
from bwo_desktop.services import fileperms
from bwo_desktop.services.errors import KeyFileError, WrongPassphrase

__all__ = ["check_passphrase_strength"]

KEY_FORMAT = "bwo-key/1"
DATA_KEY_BYTES = 32
# scrypt cost for new key files: n=2**17, r=14 takes about 0.56 s and 224 MiB on the 2-core
# development machine (benchmarks/bench_unlock.py prints the figure; r=11 had drifted to
# 0.44 s there). Older files (n=2**15 r=8, n=2**17 r=11) still open: the parameters are
# read from the file, within the bounds below.
SCRYPT_N = 2**17
SCRYPT_R = 14
SCRYPT_P = 1
PRODUCTION_COST = (SCRYPT_N, SCRYPT_R, SCRYPT_P)
# Bounds on what a key file may ask for, so a forged file cannot hang or exhaust memory.
MAX_SCRYPT_N = 2**20
MAX_SCRYPT_R = 16
MAX_SCRYPT_P = 4
MAX_SCRYPT_MEMORY = 512 * 1024 * 1024
SALT_BYTES = 16
MAX_KEY_FILE_BYTES = 64 * 1024


def key_file_for(db_path: Path | str) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".key")


@dataclass(frozen=True)
class _Kdf:
    salt: bytes
    n: int
    r: int
    p: int

    def derive(self, passphrase: str) -> bytes:
        return hashlib.scrypt(
            normalise(passphrase).encode("utf-8"),
            salt=self.salt,
            n=self.n,
            r=self.r,
            p=self.p,
            maxmem=256 * self.n * self.r + 16 * 1024 * 1024,
            dklen=32,
        )


def _plausible(kdf: _Kdf) -> bool:
    return (
        len(kdf.salt) == SALT_BYTES
        and 2**10 <= kdf.n <= MAX_SCRYPT_N
        and kdf.n & (kdf.n - 1) == 0
        and 1 <= kdf.r <= MAX_SCRYPT_R
        and 1 <= kdf.p <= MAX_SCRYPT_P
        and 128 * kdf.n * kdf.r * kdf.p <= MAX_SCRYPT_MEMORY
    )


def needs_rewrap(document: dict[str, Any]) -> bool:
    """True for a key file wrapped with a lower cost than new files get."""
    kdf = document.get("kdf", {})
    try:
        return int(kdf["n"]) * int(kdf["r"]) * int(kdf["p"]) < SCRYPT_N * SCRYPT_R * SCRYPT_P
    except (KeyError, TypeError, ValueError):
        return False


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any, name: str) -> bytes:
    try:
        return base64.b64decode(str(text), validate=True)
    except ValueError as exc:
        raise KeyFileError(f"sleutelbestand beschadigd ({name})") from exc


def _aad(kdf: _Kdf) -> bytes:
    # The KDF parameters are authenticated: lowering them in the file breaks the unwrap.
    return f"{KEY_FORMAT}|scrypt|{kdf.n}|{kdf.r}|{kdf.p}".encode()


def key_id(data_key: bytes) -> str:
    """A short public fingerprint of a data key (one-way: it tells nothing about the key), so
    `backup list` can see without a passphrase which backups are on another key."""
    return hashlib.sha256(b"bwo-key-id/1|" + data_key).hexdigest()[:16]


def wrap_secret(secret: bytes, passphrase: str) -> dict[str, Any]:
    """`secret` encrypted (AES-256-GCM) under a key derived from the passphrase."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kdf = _Kdf(salt=secrets.token_bytes(SALT_BYTES), n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(kdf.derive(passphrase)).encrypt(nonce, secret, _aad(kdf))
    return {
        "format": KEY_FORMAT,
        "kdf": {"name": "scrypt", "n": kdf.n, "r": kdf.r, "p": kdf.p, "salt": _b64(kdf.salt)},
        "cipher": "AES-256-GCM",
        "nonce": _b64(nonce),
        "wrapped_key": _b64(wrapped),
    }


def wrap_key(data_key: bytes, passphrase: str) -> dict[str, Any]:
    return {**wrap_secret(data_key, passphrase), "key_id": key_id(data_key)}


def unwrap_secret(document: dict[str, Any], passphrase: str) -> bytes:
    """The secret of a `wrap_secret` document; WrongPassphrase or KeyFileError."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        if document["format"] != KEY_FORMAT or document["cipher"] != "AES-256-GCM":
            raise KeyFileError("onbekend formaat van het sleutelbestand")
        kdf_doc = document["kdf"]
        if kdf_doc["name"] != "scrypt":
            raise KeyFileError("onbekende sleutelafleiding in het sleutelbestand")
        kdf = _Kdf(
            salt=_unb64(kdf_doc["salt"], "salt"),
            n=int(kdf_doc["n"]),
            r=int(kdf_doc["r"]),
            p=int(kdf_doc["p"]),
        )
        nonce = _unb64(document["nonce"], "nonce")
        wrapped = _unb64(document["wrapped_key"], "wrapped_key")
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError("sleutelbestand beschadigd") from exc
    if not _plausible(kdf):
        raise KeyFileError("sleutelbestand beschadigd (kdf)")
    try:
        return AESGCM(kdf.derive(passphrase)).decrypt(nonce, wrapped, _aad(kdf))
    except InvalidTag:
        raise WrongPassphrase() from None


def unwrap_key(document: dict[str, Any], passphrase: str) -> bytes:
    data_key = unwrap_secret(document, passphrase)
    if len(data_key) != DATA_KEY_BYTES:
        raise KeyFileError("sleutelbestand beschadigd (sleutellengte)")
    return data_key


def read_key_file(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(f"sleutelbestand beschadigd (te groot): {path.name}")
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"sleutelbestand ontbreekt: {path.name}") from None
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"sleutelbestand onleesbaar: {path.name}") from exc
    if not isinstance(document, dict):
        raise KeyFileError(f"sleutelbestand beschadigd: {path.name}")
    return document


def write_key_file(path: Path, document: dict[str, Any]) -> None:
    """Atomic: a crash leaves the old or the new file, never half of one."""
    text = json.dumps(document, indent=2) + "\n"
    fileperms.write_private_atomic(path, text.encode("utf-8"))


def create_key_file(path: Path, passphrase: str) -> bytes:
    """A new random data key, wrapped with the passphrase; returns the data key."""
    data_key = secrets.token_bytes(DATA_KEY_BYTES)
    write_key_file(path, wrap_key(data_key, passphrase))
    return data_key


def unlock_key_file(path: Path, passphrase: str, *, upgrade: bool = False) -> bytes:
    """The data key. With upgrade, a file wrapped at an older, lower cost is rewrapped
    (same data key, same passphrase) at the current cost after the successful unwrap."""
    document = read_key_file(path)
    data_key = unwrap_key(document, passphrase)
    if upgrade and needs_rewrap(document):
        write_key_file(path, wrap_key(data_key, passphrase))
    return data_key


def rewrap_key_file(path: Path, old: str, new: str) -> None:
    """Change the passphrase: same data key, new salt and wrap."""
    data_key = unlock_key_file(path, old)
    write_key_file(path, wrap_key(data_key, new))
