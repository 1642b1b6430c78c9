"""The composition root with a real encrypted database: unlock, set-up, in use, errors."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from bwo_desktop import app as app_module
from bwo_desktop.app import EXIT_IN_USE, MSG_IN_USE, ExceptionReporter, Shell, scrub
from bwo_desktop.services import demo
from bwo_desktop.services.database import open_database
from bwo_desktop.ui.unlock_window import MSG_WRONG_PASSPHRASE, UnlockWindow

DEMO_CASES = 12


@pytest.fixture(scope="module")
def demo_db_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "bwo.db"
    db = open_database(path, demo.DEMO_PASSPHRASE, create=True)
    try:
        demo.generate(db, DEMO_CASES)
    finally:
        db.close()
    return path


@pytest.fixture
def demo_db(demo_db_master: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bwo.db"
    shutil.copyfile(demo_db_master, target)
    shutil.copyfile(demo_db_master.with_name("bwo.db.key"), tmp_path / "bwo.db.key")
    return target


class FakeApp:
    def __init__(self) -> None:
        self.exit_codes: list[int] = []

    def exit(self, code: int) -> None:
        self.exit_codes.append(code)


@pytest.fixture
def shells():
    made: list[Shell] = []
    yield made
    for shell in made:
        if shell.main_window is not None:
            shell.main_window.close()
            shell.main_window.deleteLater()
        if shell.unlock_window is not None:
            shell.unlock_window.close()
            shell.unlock_window.deleteLater()
        shell.shutdown()


def start(
    qtbot, shells: list[Shell], path: Path, env: str | None = None
) -> tuple[Shell, UnlockWindow]:
    shell = Shell(FakeApp(), path, env_passphrase=env)  # type: ignore[arg-type]
    shells.append(shell)
    window = shell.start()
    return shell, window


def test_unlock_wrong_then_right(qtbot, shells, demo_db: Path) -> None:
    shell, window = start(qtbot, shells, demo_db)
    assert window.mode() == UnlockWindow.MODE_UNLOCK
    window.unlock_form.passphrase_edit.setText("dit is niet het wachtwoord")
    window.unlock_form.submit_button.click()
    qtbot.waitUntil(lambda: window.unlock_form.error_label.isVisibleTo(window), timeout=15_000)
    assert window.unlock_form.error_label.text() == MSG_WRONG_PASSPHRASE
    assert shell.main_window is None
    window.unlock_form.passphrase_edit.setText(demo.DEMO_PASSPHRASE)
    window.unlock_form.submit_button.click()
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
    main = shell.main_window
    assert main is not None
    assert main.model.rowCount() == DEMO_CASES
    assert "DEMO" in main.windowTitle()
    assert main.context.is_demo
    assert shell.unlock_window is None


def test_env_passphrase_skips_typing(qtbot, shells, demo_db: Path) -> None:
    shell, _window = start(qtbot, shells, demo_db, env=demo.DEMO_PASSPHRASE)
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
    assert shell.main_window is not None
    assert shell.main_window.proxy.visible_count() == DEMO_CASES


def test_first_start_sets_up_a_database(qtbot, shells, tmp_path: Path) -> None:
    path = tmp_path / "nieuw" / "bwo.db"
    shell, window = start(qtbot, shells, path)
    assert window.mode() == UnlockWindow.MODE_SETUP
    form = window.setup_form
    form.name_edit.setText("T. Consulent")
    form.passphrase_edit.setText("te kort")
    form.repeat_edit.setText("te kort")
    form.repeat_edit.returnPressed.emit()
    assert any(p.startswith("Te kort") for p in form.shown_problems())
    assert not path.exists()
    form.passphrase_edit.setText("paars paard rent hard")
    form.repeat_edit.setText("paars paard rent hard")
    form.demo_check.setChecked(True)
    form.submit_button.click()
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=60_000)
    main = shell.main_window
    assert main is not None
    assert main.model.rowCount() == app_module.DEMO_CASES
    assert "DEMO" in main.windowTitle()
    assert path.exists()
    assert path.with_name("bwo.db.key").exists()


def test_first_start_without_demo_is_empty(qtbot, shells, tmp_path: Path) -> None:
    path = tmp_path / "bwo.db"
    shell, window = start(qtbot, shells, path)
    window.setup_form.name_edit.setText("T. Consulent")
    window.setup_form.passphrase_edit.setText("paars paard rent hard")
    window.setup_form.repeat_edit.setText("paars paard rent hard")
    window.setup_form.submit_button.click()
    qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
    main = shell.main_window
    assert main is not None
    assert main.model.rowCount() == 0
    assert "DEMO" not in main.windowTitle()
    assert main.empty_label.isVisibleTo(main)


def test_database_in_use_says_so_and_exits(qtbot, shells, demo_db: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text, *a: shown.append(text)
    )
    holder = open_database(demo_db, demo.DEMO_PASSPHRASE)
    try:
        shell, window = start(qtbot, shells, demo_db)
        window.unlock_form.passphrase_edit.setText(demo.DEMO_PASSPHRASE)
        window.unlock_form.submit_button.click()
        qtbot.waitUntil(lambda: bool(shown), timeout=15_000)
    finally:
        holder.close()
    assert shown == [MSG_IN_USE]
    assert shell.exit_code == EXIT_IN_USE
    assert shell.app.exit_codes == [EXIT_IN_USE]  # type: ignore[attr-defined]
    assert shell.main_window is None


def test_scrub_removes_bsn_like_numbers() -> None:
    assert (
        scrub("casus van 999990019 en 12345678, jaar 2024")
        == "casus van [nummer] en [nummer], jaar 2024"
    )


def test_exception_reporter_logs_without_bsn_and_shows_calm_message(
    qtbot, monkeypatch, caplog
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: shown.append(text)
    )
    reporter = ExceptionReporter(Path("/tmp/log.txt"))
    try:
        raise RuntimeError("kapot bij BSN 999990019")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR, logger="bwo_desktop"):
            reporter(type(exc), exc, exc.__traceback__)
    assert shown and "Traceback" not in shown[0] and "onverwachts" in shown[0]
    assert "999990019" not in caplog.text
    assert "[nummer]" in caplog.text


def test_first_window_before_heavy_imports(tmp_path: Path) -> None:
    """The unlock window paints before the database layer is imported (start-up budget)."""
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", BWO_STARTUP_PROBE="1", BWO_DATA_DIR=str(tmp_path)
    )
    out = subprocess.run(
        [sys.executable, "-m", "bwo_desktop", "--db", str(tmp_path / "bwo.db")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("BWO_EXPOSED"))
    assert line.split()[-1] == "heavy="


def test_app_instance_is_shared() -> None:
    assert isinstance(QApplication.instance(), QApplication)


def test_env_passphrase_is_ignored_for_a_real_database(qtbot, shells, tmp_path: Path) -> None:
    from bwo_desktop.services.database import open_database

    path = tmp_path / "echt.db"
    real = "paars paard rent hard"
    with open_database(path, real, create=True):
        pass
    shell, window = start(qtbot, shells, path, env=real)
    qtbot.wait(300)
    assert shell.main_window is None
    assert window.unlock_form.passphrase_edit.text() == ""
