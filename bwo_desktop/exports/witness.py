"""The audit chain's head for export metadata, as plain data ({"seq": N, "hash": H},
docs/audit-chain.md).

Exports do not import services: the composition root installs a source (a callable), and
every PDF then carries the head in its Keywords, a witness `audit verify --witness` checks.
A light module (no reportlab), so the app can install the source at open for free.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

HeadSource = Callable[[], "Mapping[str, Any] | None"]
AUDIT_HEAD_KEYWORD = "bwo-audit-head/1"
_head_source: HeadSource | None = None


def set_audit_head_source(source: HeadSource | None) -> None:
    global _head_source
    _head_source = source


def current_audit_head() -> Mapping[str, Any] | None:
    if _head_source is None:
        return None
    try:
        return _head_source()
    except Exception:  # a witness is a bonus: never a reason for a PDF to fail
        return None


def audit_head_keywords(head: Mapping[str, Any] | None) -> str:
    """ "bwo-audit-head/1 seq=N hash=H", or "" without a head."""
    if not head:
        return ""
    return f"{AUDIT_HEAD_KEYWORD} seq={int(head['seq'])} hash={head['hash']}"
