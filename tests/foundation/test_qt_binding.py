"""The Qt binding must not leak references to None/True (PySide6 6.12.0 on Python 3.11 did:
the app aborted with "none_dealloc" after a morning of typing)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    changed = Signal(str)


def test_void_calls_and_emits_keep_reference_counts(qapp: object) -> None:
    label = QLabel()
    emitter = _Emitter()
    none_before = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for _ in range(500):
        label.setText("x")
        emitter.changed.emit("x")
    # Other threads may touch None meanwhile; a leak shows as -500 or worse.
    assert sys.getrefcount(None) > none_before - 100
    assert sys.getrefcount(True) > true_before - 100
