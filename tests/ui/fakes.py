"""Test doubles for the shell: a case service in memory and a case editor stand-in."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading
import uuid
from typing import Any

from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from bwo_desktop.core.case import CaseSummary
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.ui.case_view import CaseView

LAST_NAMES = [
    "Wilde",
    "Çelik",
    "Jansen",
    "Öztürk",
    "Bakker",
    "Visser",
    "Smit",
    "Wiśniewski",
    "Yılmaz",
    "Dekker",
    "Brouwer",
    "de Groot",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
]
INITIALS = ["M.", "A.B.", "J.", "S.", "E.", "K.L.", "R.", "T."]
PREFIXES = ["", "", "", "de", "van", "van der"]
PROVIDERS = ["Stichting Het Kompas", "Yulius", "Leger des Heils", "Fonteynenburg", "Kwintes"]
LOCATIONS = [
    "Dordrecht, Spuiweg 12",
    "Zwijndrecht, Kerkstraat 5",
    "Sliedrecht, Stationsweg 3",
    "Papendrecht, Markt 1",
]
STATUSES = ["planned", "concept", "definitief"]


def _bsn(seq: int) -> str:
    # Test range 9999xxxxx passing the 11-proef: vary digits 5-8, fix the check digit.
    for extra in range(10):
        body = f"9999{(seq * 10 + extra) % 10000:04d}"
        total = sum(int(c) * w for c, w in zip(body, range(9, 1, -1), strict=True))
        check = total % 11
        if check < 10:
            return body + str(check)
    raise AssertionError("no BSN")


def make_summary(i: int, rng: random.Random, today: dt.date) -> CaseSummary:
    last = rng.choice(LAST_NAMES)
    prefix = rng.choice(PREFIXES)
    initials = rng.choice(INITIALS)
    name = f"{last}, {initials} {prefix}".strip()
    planned = today + dt.timedelta(days=rng.randint(-400, 60))
    status = rng.choice(STATUSES)
    return CaseSummary(
        id=str(uuid.UUID(int=i + 1)),
        reference=f"BWO-{planned.year}-A{i % 7}-{i:05d}",
        client_name=name,
        bsn=_bsn(i),
        birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 15000)),
        provider_name=rng.choice(PROVIDERS),
        planned_date=planned,
        planned_time=dt.time(9 + rng.randint(0, 4), rng.choice((0, 30))),
        location=rng.choice(LOCATIONS),
        status=status,
        ib_level=rng.choice(("IB1", "IB2", "IB3")) if status == "definitief" else None,
        current_indication_end=planned + dt.timedelta(days=rng.randint(0, 120)),
        updated_at=None,
    )


def make_summaries(n: int, *, seed: int = 7, today: dt.date | None = None) -> list[CaseSummary]:
    rng = random.Random(seed)
    day = today or dt.date(2024, 3, 12)
    return [make_summary(i, rng, day) for i in range(n)]


class FakeCases:
    def __init__(self, summaries: list[CaseSummary]) -> None:
        self.rows = {s.id: s for s in summaries}
        self.ui_state: dict[str, Any] = {}
        self.user: str | None = None

    def list_rows(self) -> CaseRows:
        return CaseRows.from_summaries(self.list_summaries())

    def list_summaries(self) -> list[CaseSummary]:
        return list(self.rows.values())

    def get_summary(self, case_id: str) -> CaseSummary | None:
        return self.rows.get(case_id)

    def get_ui_state(self, key: str, default: Any = None) -> Any:
        return self.ui_state.get(key, default)

    def known_client(self, bsn: str) -> Any:
        return None  # the fake knows its rows, not the clients behind them

    def set_ui_state(self, key: str, value: Any) -> None:
        self.ui_state[key] = value

    def change(self, case_id: str, **changes: Any) -> None:
        self.rows[case_id] = dataclasses.replace(self.rows[case_id], **changes)


class FakeEditor(CaseView):
    """A case view with one text field; counts its flushes."""

    instances: list[FakeEditor] = []  # noqa: RUF012

    def __init__(self, service: Any, case_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.case_id = case_id
        self.flushes = 0
        self.next_offered = False
        self.field = QLineEdit()
        self.field.setAccessibleName("Testveld")
        QVBoxLayout(self).addWidget(self.field)
        FakeEditor.instances.append(self)

    def offer_next_client(self, offered: bool) -> None:
        self.next_offered = offered

    def flush(self) -> bool:
        self.flushes += 1
        return True


class FakeEditorFactory:
    """Opens FakeEditors; `load` runs on the shell's worker thread like the real one, and
    records which thread it ran on. `hold` (a threading.Event) makes `load` wait for it."""

    def __init__(self, service: Any, hold: threading.Event | None = None) -> None:
        self.service = service
        self.hold = hold
        self.load_threads: list[threading.Thread] = []

    def load(self, case_id: str) -> str:
        self.load_threads.append(threading.current_thread())
        if self.hold is not None and not self.hold.wait(10):
            raise TimeoutError("hold was never released")
        if self.service.get_summary(case_id) is None:
            from bwo_desktop.services.errors import CaseNotFound

            raise CaseNotFound(case_id)
        return case_id

    def build(self, loaded: str, parent: QWidget) -> FakeEditor:
        return FakeEditor(self.service, loaded, parent)


def open_and_wait(qtbot: Any, window: Any, case_id: str) -> Any:
    """Open a case in the shell and wait until its editor is there (it is read on a worker)."""
    window.open_case(case_id)
    qtbot.waitUntil(lambda: window.editor is not None and not window.is_opening(), timeout=10_000)
    return window.editor


FAKE_TODAY = dt.date(2024, 3, 12)
FAKE_PASSPHRASE = "paars paard rent hard"


def fake_verify(passphrase: str) -> None:
    """Passphrase check of the fake shell: only FAKE_PASSPHRASE unlocks."""
    from bwo_desktop.services.errors import WrongPassphrase

    if passphrase != FAKE_PASSPHRASE:
        raise WrongPassphrase()


def fake_shell_window(qtbot: Any, cases: FakeCases, team: Any = None) -> Any:
    """The real main window over fake cases and a fake editor, on FAKE_TODAY, exposed;
    `team`: a stand-in for services.team.TeamService (None: no team functions)."""
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.main_window import MainWindow, ShellContext

    context = ShellContext(
        cases=cases,
        settings=Settings(consultant_name="M. Vermeulen"),
        verify_passphrase=fake_verify,
        editor_factory=FakeEditorFactory(cases),
        today=lambda: FAKE_TODAY,
        team=team,
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_cases(cases.list_summaries())
    window.show()
    qtbot.waitExposed(window)
    return window


class FakeDecisions:
    """DecisionService's surface: readiness(case_id) and finalise(case_id, expected_version)."""

    def __init__(self, cases: Any = None) -> None:
        self.cases = cases
        self.calls: list[tuple[str, int]] = []
        self.items: list[Any] = []

    def readiness(self, case_id: str) -> list[Any]:
        return list(self.items)

    def finalise(self, case_id: str, expected_version: int) -> Any:
        self.calls.append((case_id, expected_version))
        return self.cases.get(case_id) if self.cases is not None else None


class FakeLetters:
    """LetterService's surface: beschikking, verslag and day_batch record what was asked."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def beschikking(self, case_id: str, folder: Any) -> Any:
        self.calls.append(("beschikking", case_id, folder))
        return folder / f"beschikking_{case_id}.pdf"

    def verslag(self, case_id: str, folder: Any, *, copy: str) -> Any:
        self.calls.append(("verslag", case_id, folder, copy))
        return folder / f"onderzoeksverslag-{copy}_{case_id}.pdf"

    def day_batch(
        self,
        day: Any,
        folder: Any,
        progress: Any = None,
        *,
        location: Any = None,
        verslagen: bool = False,
    ) -> Any:
        from bwo_desktop.services.letters import DayBatchReport

        self.calls.append(("day_batch", day, folder, location, verslagen))
        return DayBatchReport(day, location)


def audit_record(seq: int, action: str, result: str = "ok", **details: Any) -> Any:
    """An audit log entry as the audit dialog gets it (services.audit.AuditRecord)."""
    from bwo_desktop.services import audit

    return audit.AuditRecord(
        seq=seq, time=dt.datetime(2026, 3, 2, 9, seq % 60, tzinfo=dt.UTC), user="M. Berg",
        os_user="mberg", machine="LAPTOP-7", action=action, object_ref="BWO-2026-AB-0001",
        result=result, details=details or None, prev_hash="0" * 64, hash=f"{seq:064d}",
    )  # fmt: skip
