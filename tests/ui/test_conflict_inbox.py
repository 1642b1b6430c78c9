"""The conflict inbox dialog: both versions side by side, the differing fields first in
bold, and a decision only after a question whose default answer is "Nee". Three kinds: a
parked case, a client's field conflict (only its fields, named and decided) and a case that
left this laptop (only "sluiten"; "mine" disabled with the reason). The kinds run on a real
laptop database with the conflicts written as the sync writes them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from bwo_desktop.ui.conflict_inbox import KEEP_MINE, KEEP_OFFICE, MSG_EMPTY, ConflictInboxDialog

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "persistence"))
from bsn_samples import bsn
from persistence_samples import PASSPHRASE, full_case


@dataclasses.dataclass(frozen=True)
class FakeConflict:
    id: int
    reference: str
    reason: str
    holder: str | None
    created_at: dt.datetime
    local_row: dict[str, Any]
    office_row: dict[str, Any] | None
    table_name: str = "herindicaties"
    fields: list[str] | None = None
    here: bool = True
    held_by: str | None = None


def _conflict(n: int) -> FakeConflict:
    office = {"id": f"c{n}", "version": 3, "reference": f"BW-2026-00{n}", "zrm_notes": "oud"}
    return FakeConflict(
        id=n,
        reference=f"BW-2026-00{n}",
        reason="lease",
        holder="laptop-2 (A. de Vries)",
        created_at=dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC),
        local_row={**office, "version": 4, "zrm_notes": "nieuw op deze laptop"},
        office_row=office,
    )


class FakeInbox:
    def __init__(self, n: int = 2) -> None:
        self.open = [_conflict(i + 1) for i in range(n)]
        self.resolved: list[tuple[Any, str]] = []
        self.threads: list[threading.Thread] = []

    def conflicts(self) -> list[FakeConflict]:
        self.threads.append(threading.current_thread())
        return list(self.open)

    def resolve_conflict(self, conflict_id: Any, keep: str) -> None:
        self.threads.append(threading.current_thread())
        self.resolved.append((conflict_id, keep))
        self.open = [c for c in self.open if c.id != conflict_id]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What the question box was asked: (text, default); it answers with `reply[0]`."""
    asked: list[Any] = []
    reply = [QMessageBox.StandardButton.No]

    def question(_parent: Any, _title: str, text: str, _buttons: Any, default: Any) -> Any:
        asked.append((text, default))
        return reply[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    asked.append(reply)
    return asked


def _open(qtbot: Any, inbox: Any) -> ConflictInboxDialog:
    resolved: list[bool] = []
    dialog = ConflictInboxDialog(inbox, on_resolved=lambda: resolved.append(True))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=5000)
    return dialog


def test_both_versions_side_by_side_differing_fields_first(qtbot: Any) -> None:
    inbox = FakeInbox()
    dialog = _open(qtbot, inbox)
    assert threading.main_thread() not in inbox.threads  # read on a worker
    assert dialog.list.count() == 2
    assert dialog.table.item(0, 0).text() == "ZRM-toelichting"
    assert dialog.table.item(0, 1).text() == "nieuw op deze laptop"
    assert dialog.table.item(0, 2).text() == "oud"
    assert dialog.table.item(0, 1).font().bold()
    assert not dialog.table.item(1, 1).font().bold()  # the kenmerk is the same
    assert "ander apparaat" in dialog.reason.text() and "laptop-2" in dialog.reason.text()
    headers = [dialog.table.horizontalHeaderItem(i).text() for i in range(3)]
    assert headers == ["Veld", "Uw versie (deze laptop)", "Kantoor"]


def test_a_decision_asks_first_with_nee_as_the_default(qtbot: Any, answers: list[Any]) -> None:
    inbox = FakeInbox()
    dialog = _open(qtbot, inbox)
    dialog.keep_office.click()
    assert answers[1][1] == QMessageBox.StandardButton.No
    assert inbox.resolved == []  # "Nee": nothing decided
    answers[0][0] = QMessageBox.StandardButton.Yes
    dialog.keep_mine.click()
    qtbot.waitUntil(lambda: inbox.resolved == [(1, KEEP_MINE)], timeout=5000)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 1, timeout=5000)
    dialog.keep_office.click()
    qtbot.waitUntil(lambda: len(inbox.resolved) == 2, timeout=5000)
    assert inbox.resolved[1] == (2, KEEP_OFFICE)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 0, timeout=5000)
    assert dialog.empty.isVisible() and dialog.empty.text() == MSG_EMPTY
    assert not dialog.keep_office.isEnabled()


def test_enter_never_decides(qtbot: Any, answers: list[Any]) -> None:
    inbox = FakeInbox(1)
    dialog = _open(qtbot, inbox)
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert len(answers) == 1 and inbox.resolved == []
    assert dialog.isVisible()


# --- the three kinds, on a laptop database ------------------------------------------------------


@pytest.fixture
def laptop(tmp_path: Path) -> Iterator[Any]:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    db = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True)
    svc = CaseService(db, user="J. Consulent")
    for i in range(2):
        svc.create(full_case(i))
    yield db
    db.close()


def _rows(db: Any, table_name: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from bwo_desktop.services import sync_rows

    table = sync_rows.table_for(table_name)
    with db.read() as s:
        found = s.execute(select(table).order_by(table.c.created_at)).mappings()
        return [sync_rows.encode_row(table, r) for r in found]


def _add(db: Any, **values: Any) -> None:
    from bwo_desktop.models import SyncConflict, utcnow

    with db.session() as s:
        s.add(SyncConflict(created_at=utcnow(), **values))


def _park(db: Any, case: dict[str, Any], row_id: uuid.UUID) -> None:
    """A change of `case` the office parked (B's laptop holds it), as `sync_client._park`
    stores it."""
    _add(
        db,
        table_name="herindicaties",
        row_id=row_id,
        reference=case["reference"],
        reason=f"casus {case['reference']} is in bezit van B. Tweede (laptop-b); uw wijziging "
        "is niet toegepast",
        holder="B. Tweede (laptop-b)",
        local_row={**case, "location": "Bij de cliënt thuis"},
        office_row=case,
    )


def _texts(dialog: ConflictInboxDialog, col: int) -> list[str]:
    return [dialog.table.item(r, col).text() for r in range(dialog.table.rowCount())]


def _bold_rows(dialog: ConflictInboxDialog) -> list[str]:
    rows = range(dialog.table.rowCount())
    return [dialog.table.item(r, 0).text() for r in rows if dialog.table.item(r, 1).font().bold()]


def test_a_client_field_conflict_shows_and_decides_only_its_fields(
    qtbot: Any, laptop: Any, answers: list[Any]
) -> None:
    """As the sync leaves it: the push was parked for the phone, the pull applied the
    office's merged row; the laptop's pushed row is the conflict's local row."""
    from sqlalchemy import func, select

    from bwo_desktop.models import SyncOutbox
    from bwo_desktop.services import sync_inbox
    from bwo_desktop.services.team import TeamService

    def queued() -> int:
        with laptop.read() as s:
            return s.scalar(
                select(func.count()).where(
                    SyncOutbox.table_name == "clients",
                    SyncOutbox.row_id == uuid.UUID(office["id"]),
                    SyncOutbox.pushed_at.is_(None),
                )
            )

    office = _rows(laptop, "clients")[0]
    mine = {**office, "begeleider_phone": "06-99999999"}
    office = {**office, "begeleider_phone": "010-1234567", "city": "Zwijndrecht"}
    before = queued()
    _add(
        laptop,
        table_name="clients",
        row_id=uuid.UUID(office["id"]),
        reference="cliënt Şahin, A.",
        reason="veldconflict: telefoon begeleider",
        local_row=mine,
        office_row=office,
        fields=["begeleider_phone"],
    )
    dialog = _open(qtbot, TeamService(laptop))
    assert dialog.list.item(0).text().splitlines()[0] == "Cliënt Şahin, A. — telefoon begeleider"
    # Only the phone is decided: first and bold, even though the city differs too.
    assert (_texts(dialog, 0)[0], _texts(dialog, 1)[0], _texts(dialog, 2)[0]) == (
        "telefoon begeleider",
        "06-99999999",
        "010-1234567",
    )
    assert _bold_rows(dialog) == ["telefoon begeleider"]
    labels = _texts(dialog, 0)
    assert {"woonplaats", "BSN", "achternaam", "geboortedatum"} <= set(labels)
    assert not [x for x in labels if "_" in x or "client" in x]  # no column names
    shown = " ".join(_texts(dialog, 1) + _texts(dialog, 2) + [dialog.reason.text()])
    assert bsn(0) not in shown and bsn(0)[-3:] in shown  # masked, not hidden
    assert "kenmerk" not in labels and "versie" not in labels  # a client, not a case
    assert dialog.table.horizontalHeaderItem(1).text() == "Uw waarde (deze laptop)"
    assert (dialog.keep_office.text(), dialog.keep_mine.text()) == (
        "&Kantoorwaarde houden",
        "&Mijn waarde houden",
    )
    assert dialog.keep_office.isEnabled() and dialog.keep_mine.isEnabled()
    assert "casus" not in dialog.reason.text().lower()

    dialog.keep_mine.click()
    text, default = answers[1]
    assert default == QMessageBox.StandardButton.No
    assert "telefoon begeleider" in text and "Şahin, A." in text and "casus" not in text
    assert sync_inbox.open_conflicts(laptop)  # "Nee": nothing decided
    answers[0][0] = QMessageBox.StandardButton.Yes
    dialog.keep_mine.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 0, timeout=5000)
    client = next(r for r in _rows(laptop, "clients") if r["id"] == office["id"])
    assert client["begeleider_phone"] == "06-99999999"
    assert queued() == before + 1  # this laptop's value goes to the office


def test_a_case_that_left_can_only_be_closed_and_says_why_not_mine(
    qtbot: Any, laptop: Any, answers: list[Any]
) -> None:
    """The purge of a case with a change still in the outbox (services/sync_purge.py)."""
    from bwo_desktop.services import sync_inbox, sync_purge
    from bwo_desktop.services.team import TeamService

    case = _rows(laptop, "herindicaties")[0]
    case_id, kenmerk = uuid.UUID(case["id"]), case["reference"]
    with laptop.session() as s:
        sync_purge.purge(s, {case_id: "B. Tweede"}, {("herindicaties", case_id)})
    dialog = _open(qtbot, TeamService(laptop))
    assert dialog.list.item(0).text().splitlines()[0] == (
        f"Casus {kenmerk} — overgedragen aan B. Tweede"
    )
    assert dialog.keep_office.text() == "&Kantoorversie houden (sluiten)"
    assert dialog.keep_office.isEnabled()
    assert not dialog.keep_mine.isEnabled()
    why = dialog.keep_mine.toolTip()
    assert "teamleider" in why and "B. Tweede" in why and kenmerk in why
    assert "niet meer op deze laptop" in dialog.reason.text()
    assert dialog.table.isColumnHidden(2)  # no office version here to show
    assert _bold_rows(dialog) == []
    assert "Locatie Zuid, Dordrecht" in _texts(dialog, 1)

    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    dialog.keep_mine.click()  # disabled: no question, nothing refused afterwards
    assert len(answers) == 1
    dialog.keep_office.click()
    text, default = answers[1]
    assert default == QMessageBox.StandardButton.No and "sluiten" in text and kenmerk in text
    assert len(sync_inbox.open_conflicts(laptop)) == 1
    answers[0][0] = QMessageBox.StandardButton.Yes
    dialog.keep_office.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 0, timeout=5000)
    assert sync_inbox.open_conflicts(laptop) == []


def test_a_parked_case_held_elsewhere_disables_mine_with_the_holder(
    qtbot: Any, laptop: Any, answers: list[Any]
) -> None:
    from bwo_desktop.models import SyncLease
    from bwo_desktop.services.team import TeamService

    case = _rows(laptop, "herindicaties")[1]
    with laptop.session() as s:
        s.add(SyncLease(case_id=uuid.UUID(case["id"]), device="laptop-b", consultant="B. Tweede"))
    _park(laptop, case, uuid.UUID(case["id"]))
    dialog = _open(qtbot, TeamService(laptop))
    assert dialog.list.item(0).text().splitlines()[0] == f"Casus {case['reference']}"
    assert _bold_rows(dialog) == ["locatie"]
    assert dialog.keep_mine.text() == "&Mijn versie houden (nieuwe versie)"
    assert dialog.keep_office.isEnabled() and not dialog.keep_mine.isEnabled()
    assert "B. Tweede (laptop-b)" in dialog.keep_mine.toolTip()
    assert "nu bij" not in dialog.reason.text()  # the holder is in the reason already


def test_a_parked_case_that_left_since_shows_the_office_version_and_closes(
    qtbot: Any, laptop: Any, answers: list[Any]
) -> None:
    """The usual path (sync pushes before it pulls): the push parks the change with the
    office's row, the pull then purges the case. Still "sluiten" only, with both versions."""
    from bwo_desktop.services.team import TeamService

    case = _rows(laptop, "herindicaties")[0]
    _park(laptop, case, uuid.uuid4())  # no longer on this laptop
    dialog = _open(qtbot, TeamService(laptop))
    assert dialog.list.item(0).text().splitlines()[0] == (
        f"Casus {case['reference']} — overgedragen aan B. Tweede (laptop-b)"
    )
    assert not dialog.table.isColumnHidden(2) and _bold_rows(dialog) == ["locatie"]
    assert dialog.keep_office.text() == "&Kantoorversie houden (sluiten)"
    assert dialog.keep_office.isEnabled() and not dialog.keep_mine.isEnabled()
    answers[0][0] = QMessageBox.StandardButton.Yes
    dialog.keep_office.click()
    qtbot.waitUntil(lambda: not dialog.busy and dialog.list.count() == 0, timeout=5000)
    assert "sluiten" in answers[1][0]


def test_a_changed_score_is_its_own_bold_row_and_long_names_wrap(qtbot: Any) -> None:
    """Before: one row "beoordeling" with both versions as JSON, and a field-name column as
    wide as its longest name, squeezing both versions."""
    criteria = {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False}
    office = {"id": "c1", "version": 3, "reference": "BW-2026-001"}
    office["assessment"] = {"zrm": {"financien": 2, "justitie": None}, "criteria": criteria}
    mine = {**office, "version": 4, "assessment": {**office["assessment"], "zrm": {"financien": 3}}}
    inbox = FakeInbox(1)
    inbox.open = [dataclasses.replace(inbox.open[0], local_row=mine, office_row=office)]
    dialog = _open(qtbot, inbox)
    assert _bold_rows(dialog) == ["ZRM: financiën"]
    assert (dialog.table.item(0, 1).text(), dialog.table.item(0, 2).text()) == ("3", "2")
    assert not any("{" in text for text in _texts(dialog, 1) + _texts(dialog, 2))
    width = dialog.table.viewport().width()
    assert dialog.table.columnWidth(0) <= max(width // 3, 160) < dialog.table.columnWidth(1) * 2
