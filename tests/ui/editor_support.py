"""Helpers of the case-editor tests: a real encrypted database with a planned herindicatie
(and an earlier decided case for the previous scores), and key sending that counts."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from bwo_desktop.core.case import (
    Address,
    Begeleider,
    Case,
    Client,
    CurrentIndication,
    Planned,
    Provider,
)

PASSPHRASE = "correct paard batterij nietje"
BSN = "999990019"  # test range, passes the 11-proef
CONSULTANT = "T. Consulent"
PREVIOUS_SCORES = {
    "financien": 2, "werk_opleiding": 2, "tijdsbesteding": 3, "huisvesting": 2,
    "huiselijke_relaties": 3, "geestelijke_gezondheid": 2, "lichamelijke_gezondheid": 3,
    "middelengebruik": 4, "basale_adl": 4, "instrumentele_adl": 2, "sociaal_netwerk": 3,
    "maatschappelijke_participatie": 3, "justitie": 5,
}  # fmt: skip


def open_db(path: Path, *, create: bool = True):  # type: ignore[no-untyped-def]
    from bwo_desktop.services.database import open_database

    return open_database(path, PASSPHRASE, create=create, backup_before_migrate=False)


def make_client(*, address: bool = True) -> Client:
    return Client(
        bsn=BSN,
        last_name="Wilde",
        prefix="de",
        initials="M.",
        first_name="Mila",
        birth_date=dt.date(1990, 5, 17),
        address=Address("Spuiweg", "12", "3311 GX", "Dordrecht") if address else None,
        provider=Provider(name="Stichting Het Kompas", agb_code="73730001"),
        begeleider=Begeleider(
            name="Sanne Bakker", phone="078-1234567", email="s.bakker@kompas.example"
        ),
    )


def add_previous_case(service, planned_on: dt.date) -> Case:  # type: ignore[no-untyped-def]
    """An earlier definitief case of the same client, with ZRM scores."""
    earlier = service.create_planned(
        make_client(), Planned(planned_on, dt.time(10, 0)), "Dordrecht, Spuiweg 12", CONSULTANT
    )
    earlier.assessment = {
        "assessment_date": planned_on.isoformat(),
        "period": {"start": planned_on.isoformat()},
        "zrm": dict(PREVIOUS_SCORES),
        "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
    }
    earlier.status = "concept"
    return service.save(earlier)


@dataclass
class World:
    db_path: Path
    db: object
    service: object
    case_id: str
    previous_id: str | None = None
    extra: dict[str, object] = field(default_factory=dict)


def make_world(
    tmp_path: Path, *, previous: bool = True, planned_on: dt.date | None = None
) -> World:
    from bwo_desktop.services.cases import CaseService

    db_path = tmp_path / "bwo.db"
    db = open_db(db_path)
    service = CaseService(db, user=CONSULTANT)
    day = planned_on or dt.date(2026, 12, 8)
    previous_id = None
    if previous:
        previous_id = add_previous_case(service, day - dt.timedelta(days=365)).id
    case = service.create_planned(
        make_client(),
        Planned(day, dt.time(9, 30)),
        "Dordrecht, Spuiweg 12",
        CONSULTANT,
        current_indication=CurrentIndication("IB2 + bereikbaarheid", dt.date(2026, 12, 31)),
    )
    assert case.id is not None
    return World(db_path, db, service, case.id, previous_id)


class KeyCounter:
    """Sends key presses to the focused widget (like a consultant would) and counts them.

    Non-ASCII text is sent as QKeyEvents carrying the text (qtbot.keyClicks aborts on it).
    """

    def __init__(self) -> None:
        self.count = 0
        self.by_section: dict[str, int] = {}
        self.section = "overig"

    def start(self, section: str) -> None:
        self.section = section

    def _add(self, n: int = 1) -> None:
        self.count += n
        self.by_section[self.section] = self.by_section.get(self.section, 0) + n

    @staticmethod
    def target() -> QWidget:
        # Window activation is asynchronous (offscreen too): wait for the focus to land.
        deadline = time.monotonic() + 3
        widget = QApplication.focusWidget()
        while widget is None and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.005)
            widget = QApplication.focusWidget()
        assert widget is not None, "no widget has the keyboard focus"
        return widget

    def key(
        self,
        key: Qt.Key,
        modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
        text: str = "",
        target: QWidget | None = None,
    ) -> None:
        widget = target or self.target()
        press = QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text)
        release = QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text)
        QApplication.sendEvent(widget, press)
        widget2 = QApplication.focusWidget() or widget
        QApplication.sendEvent(widget2, release)
        QCoreApplication.processEvents()
        self._add()

    def shortcut(self, sequence: str) -> None:
        """A shortcut like Ctrl+3 (one key press with a modifier held)."""
        from PySide6.QtTest import QTest

        widget = self.target()
        mods = Qt.KeyboardModifier.NoModifier
        *mod_names, key_name = sequence.split("+")
        for name in mod_names:
            mods |= {
                "Ctrl": Qt.KeyboardModifier.ControlModifier,
                "Shift": Qt.KeyboardModifier.ShiftModifier,
                "Alt": Qt.KeyboardModifier.AltModifier,
            }[name]
        key = {"PgDown": Qt.Key.Key_PageDown, "PgUp": Qt.Key.Key_PageUp}.get(key_name)
        if key is None:
            key = Qt.Key(ord(key_name.upper()))
        QTest.keyClick(widget, key, mods)
        QCoreApplication.processEvents()
        self._add()

    def type(self, text: str) -> None:
        for char in text:
            if char == "\n":
                self.key(Qt.Key.Key_Return, text="\r")
                continue
            if char.isascii() and char.isalnum():
                key = Qt.Key(ord(char.upper()))
            elif char == " ":
                key = Qt.Key.Key_Space
            else:
                key = Qt.Key.Key_unknown
            mods = (
                Qt.KeyboardModifier.ShiftModifier
                if char.isupper()
                else Qt.KeyboardModifier.NoModifier
            )
            self.key(key, mods, char)

    def tab(self) -> None:
        self.key(Qt.Key.Key_Tab)

    def enter(self) -> None:
        self.key(Qt.Key.Key_Return, text="\r")

    def space(self) -> None:
        self.key(Qt.Key.Key_Space, text=" ")

    def down(self) -> None:
        self.key(Qt.Key.Key_Down)


def iter_widgets(root: QWidget) -> Iterator[QWidget]:
    yield root
    yield from root.findChildren(QWidget)


def show_main_window(qtbot, context, *, size: tuple[int, int] | None = None):  # type: ignore[no-untyped-def]
    """The real main window on `context`, with its case list loaded and exposed."""
    from bwo_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_cases(context.cases.list_summaries())
    if size is not None:
        window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def close_case(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Back to the list, then wait until the editor's autosave worker and every background
    job have finished (a test that ends earlier leaves threads writing into a deleted DB)."""
    from bwo_desktop.ui.background import wait_for_background
    from bwo_desktop.ui.case_editor import CaseEditor

    editor = window.editor
    worker = editor.autosaver.worker if isinstance(editor, CaseEditor) else None
    window.back_to_list()
    if worker is not None:
        qtbot.waitUntil(lambda: not worker.alive)
    qtbot.waitUntil(lambda: wait_for_background(50))
    qtbot.wait(20)


def open_editor(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, *, width: int = 1366, height: int = 700, world: World | None = None
):
    """A CaseEditor on `world` (a fresh one by default), shown, active, with the focus."""
    from bwo_desktop.ui.case_editor import CaseEditor

    world = world or make_world(tmp_path)
    editor = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(editor)
    editor.resize(width, height)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    editor.world = world
    return editor


def visible_top_levels() -> set[QWidget]:
    """The top-level widgets on screen now (an error label without a parent is one)."""
    return {w for w in QApplication.topLevelWidgets() if w.isVisible()}
