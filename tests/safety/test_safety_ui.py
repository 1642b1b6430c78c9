"""The data-safety parts of the UI: the audit log of one case (model and dialog), restore a
backup and change the passphrase from the Bestand menu, the one-time export notice."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget
from safety_util import PASSPHRASE, bsn, sample_case

from bwo_desktop.services import audit
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database, open_database
from bwo_desktop.services.export_notice import mark_shown, needs_export_notice, notice_text
from bwo_desktop.services.keys import check_passphrase_strength
from bwo_desktop.services.safety import SafetyService
from bwo_desktop.settings import Settings, load_settings, save_settings
from bwo_desktop.ui import safety_dialogs
from bwo_desktop.ui.audit_dialog import COL_ACTION, COL_DETAILS, AuditDialog, AuditTableModel
from bwo_desktop.ui.case_view import CaseView
from bwo_desktop.ui.main_window import MainWindow, ShellContext
from bwo_desktop.ui.safety_dialogs import PassphraseDialog, RestoreDialog, backup_label


def _record(seq: int, action: str = "view", **details: Any) -> audit.AuditRecord:
    return audit.AuditRecord(
        seq=seq, time=dt.datetime(2026, 3, 2, 9, seq % 60, tzinfo=dt.UTC), user="M. Berg",
        os_user="mberg", machine="LAPTOP-7", action=action, object_ref="BWO-2026-AB-0001",
        result="ok", details=details or None, prev_hash="0" * 64, hash=f"{seq:064d}",
    )  # fmt: skip


def test_audit_model_contract(qtmodeltester: Any) -> None:
    model = AuditTableModel()
    qtmodeltester.check(model, force_py=True)
    model.set_entries([_record(i, "change", fields=["location"]) for i in range(1, 40)])
    qtmodeltester.check(model, force_py=True)


def test_audit_model_is_keyed_by_entry_number() -> None:
    model = AuditTableModel()
    model.set_entries([_record(1), _record(2, "change", fields=["zrm_notes", "location"])])
    assert model.rowCount() == 2
    row = model.row_of(2)
    assert row == 0  # newest first
    assert model.entry_at(row).seq == 2
    assert model.data(model.index(row, 0), AuditTableModel.SEQ_ROLE) == 2
    assert model.data(model.index(row, COL_ACTION)) == "Gewijzigd"
    assert model.data(model.index(row, COL_DETAILS)) == "velden: ZRM-toelichting, locatie"
    assert model.row_of(99) is None


@pytest.fixture
def db(tmp_path: Path) -> Any:
    database = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True)
    yield database
    database.close()


class _PlainViews:
    """Opens an empty case view: these tests look at the shell's menus, not the editor."""

    def load(self, case_id: str) -> str:
        return case_id

    def build(self, loaded: str, parent: QWidget) -> CaseView:
        return CaseView(parent)


def _window(qtbot: Any, db: Database, n: int = 3) -> tuple[MainWindow, CaseService]:
    svc = CaseService(db, user="M. van den Berg")
    for i in range(n):
        svc.create(sample_case(i))
    context = ShellContext(
        cases=svc,
        settings=Settings(consultant_name="M. van den Berg"),
        db_path=db.path,
        safety=SafetyService(svc),
        editor_factory=_PlainViews(),
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_cases(svc.list_summaries())
    return window, svc


def test_case_audit_from_the_casus_menu(qtbot: Any, db: Database) -> None:
    window, svc = _window(qtbot, db)
    casus_menu = window.menuBar().actions()[1].menu()
    assert isinstance(casus_menu, QMenu) and window.act_audit in casus_menu.actions()
    case_id = window.current_case_id()
    assert case_id is not None
    svc.record_view(case_id)
    window.act_audit.trigger()
    dialog = window.audit_dialog
    assert isinstance(dialog, AuditDialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    reference = svc.get(case_id).reference
    assert dialog.reference == reference
    assert {dialog.model.entry_at(r).action for r in range(2)} == {"create", "view"}
    assert bsn(0) not in dialog.summary.text()
    dialog.close()


def test_restore_from_the_bestand_menu(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, svc = _window(qtbot, db, n=2)
    backup = db.backup("handmatig")
    svc.create(sample_case(5))
    shown: list[str] = []
    quits: list[bool] = []

    class Chosen(RestoreDialog):
        def exec(self) -> int:
            assert self.list.count() == 1
            self.passphrase.setText(PASSPHRASE)
            return 1

    monkeypatch.setattr(safety_dialogs, "RestoreDialog", Chosen)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    monkeypatch.setattr(window.safety_actions, "_quit_after_restore", lambda: quits.append(True))
    window.act_restore.trigger()
    qtbot.waitUntil(lambda: bool(quits), timeout=20_000)
    assert "teruggezet: 2 casussen" in shown[-1]
    assert not window.stack.isEnabled()
    with open_database(backup.parent.parent / "bwo.db", PASSPHRASE) as again:
        assert len(CaseService(again).list_summaries()) == 2
        assert audit.entries(again)[-1].action == "restore"
    assert backup.exists()


def test_restore_dialog_lists_and_confirms(qtbot: Any, db: Database) -> None:
    db.backup("dagelijks")
    db.backup("voor-migratie-0002")
    backups = SafetyService(CaseService(db)).list_backups()
    dialog = RestoreDialog(backups)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    texts = {dialog.list.item(i).text() for i in range(2)}
    assert any("dagelijkse back-up" in t for t in texts)
    assert any("programma-update" in t for t in texts)
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # no passphrase yet
    dialog.passphrase.setText(PASSPHRASE)
    asked: list[str] = []

    def confirm(label: str) -> bool:
        asked.append(label)
        return True

    dialog.confirm = confirm
    dialog._confirm()
    assert asked and dialog.result() == 1 and dialog.chosen() == backups[0].path
    when = dt.datetime(2026, 3, 2, 8, 5, tzinfo=dt.UTC)
    assert "dagelijkse back-up (1,5 MB)" in backup_label(when, "dagelijks", 1_500_000)


def test_passphrase_dialog_checks(qtbot: Any) -> None:
    dialog = PassphraseDialog(check_passphrase_strength)
    qtbot.addWidget(dialog)
    assert dialog.problem() == "Vul de huidige wachtwoordzin in."
    dialog.old.setText(PASSPHRASE)
    dialog.new.setText("kort")
    dialog.repeat.setText("anders")
    assert dialog.problem() == "De twee nieuwe wachtwoordzinnen zijn niet gelijk."
    dialog.repeat.setText("kort")
    assert "te zwak" in (dialog.problem() or "")
    dialog.new.setText("vier woorden zijn genoeg")
    dialog.repeat.setText("vier woorden zijn genoeg")
    assert dialog.problem() is None
    assert dialog.values() == (PASSPHRASE, "vier woorden zijn genoeg")
    assert not dialog.wants_new_key()
    # A new key with the same passphrase (or finishing an interrupted key change) is allowed.
    dialog.new.setText(PASSPHRASE)
    dialog.repeat.setText(PASSPHRASE)
    assert dialog.problem() == "De nieuwe wachtwoordzin is gelijk aan de huidige."
    dialog.new_key.setChecked(True)
    assert dialog.problem() is None and dialog.wants_new_key()


def test_change_passphrase_from_the_menu(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _svc = _window(qtbot, db, n=1)
    new = "een andere wachtwoordzin"
    shown: list[str] = []

    class Filled(PassphraseDialog):
        def exec(self) -> int:
            self.old.setText(PASSPHRASE)
            self.new.setText(new)
            self.repeat.setText(new)
            assert self.problem() is None
            return 1

    monkeypatch.setattr(safety_dialogs, "PassphraseDialog", Filled)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    window.act_passphrase.trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "gewijzigd" in shown[0]
    from bwo_desktop.services import keys

    assert db.path is not None
    keys.unlock_key_file(keys.key_file_for(db.path), new)


def test_new_key_from_the_menu_re_encrypts_and_blocks_edits_meanwhile(
    qtbot: Any, db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With "Ook een nieuwe sleutel" the database gets a new data key: a copy of the old key
    file no longer opens it. The window takes no input while the database is re-encrypted."""
    import shutil

    from bwo_desktop.services import keys
    from bwo_desktop.services.errors import KeyFileMismatch

    window, svc = _window(qtbot, db, n=1)
    assert db.path is not None
    old_key_file = tmp_path / "oud.key"
    shutil.copy(keys.key_file_for(db.path), old_key_file)
    shown: list[str] = []
    disabled_meanwhile: list[bool] = []

    class Filled(PassphraseDialog):
        def exec(self) -> int:
            self.old.setText(PASSPHRASE)
            self.new.setText(PASSPHRASE)
            self.repeat.setText(PASSPHRASE)
            self.new_key.setChecked(True)
            assert self.problem() is None
            return 1

    def told(_p: Any, _t: Any, text: str, *a: Any) -> None:
        shown.append(text)

    monkeypatch.setattr(safety_dialogs, "PassphraseDialog", Filled)
    monkeypatch.setattr(QMessageBox, "information", told)
    window.act_passphrase.trigger()
    disabled_meanwhile.append(not window.stack.isEnabled())
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert disabled_meanwhile == [True]
    assert "sleutel zijn gewijzigd" in shown[0]
    assert window.stack.isEnabled() and window.menuBar().isEnabled()
    assert len(svc.list_summaries()) == 1  # the open database works on the new key
    copy = db.backup_to(tmp_path / "kopie.db")  # on the new key, with its own key file
    shutil.copy(old_key_file, keys.key_file_for(copy))  # an old copy of the key file
    with pytest.raises(KeyFileMismatch):
        open_database(copy, PASSPHRASE)


def test_export_notice_once(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(consultant_name="M. Berg")
    assert needs_export_notice(settings)
    assert "niet versleuteld" in notice_text("/x/BWO beschikkingen")
    assert "/x/BWO beschikkingen" in notice_text("/x/BWO beschikkingen")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: shown.append(text))
    after = safety_dialogs.show_export_notice_once(None, settings, "/x", save_settings)
    assert len(shown) == 1 and not needs_export_notice(after)
    assert load_settings().export_notice_shown  # stored in the settings file
    again = safety_dialogs.show_export_notice_once(None, load_settings(), "/x", save_settings)
    assert len(shown) == 1 and again.export_notice_shown

    # Other settings are kept; a failing save does not raise.
    def failing(_s: Settings) -> None:
        raise OSError("schijf vol")

    kept = mark_shown(dataclasses.replace(settings, idle_lock_minutes=5), failing)
    assert kept.idle_lock_minutes == 5 and kept.export_notice_shown
