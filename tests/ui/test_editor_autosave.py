"""Autosave: every edit is in the database within a second, also when the window is thrown
away without closing; saves are ordered; conflicts keep the consultant's edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from decided import store_decided
from editor_support import KeyCounter, make_world, open_db
from PySide6.QtWidgets import QApplication

from bwo_desktop.services.cases import CaseService
from bwo_desktop.ui.case_editor import CaseEditor


def _open(qtbot, world, **kwargs) -> CaseEditor:  # type: ignore[no-untyped-def]
    editor = CaseEditor(world.service, world.case_id, **kwargs)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    # The editor puts the cursor on its first field when the window becomes active.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return editor


def test_edit_reaches_the_database_within_a_second(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = _open(qtbot, world)
    editor.client_page.location.setFocus()
    editor.client_page.location.selectAll()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.client_page.location)
    # The debounce fires within a second of the first edit (not restarted by typing); the
    # wait itself is generous, since a shared machine may be slow (no timed assertions).
    assert editor.autosaver._timer.interval() <= 1000
    KeyCounter().type("Zwijndrecht")
    qtbot.waitUntil(
        lambda: world.service.get(world.case_id).conversation.location == "Zwijndrecht",
        timeout=10_000,
    )
    assert world.service.get(world.case_id).status == "concept"


def test_window_thrown_away_without_closing_loses_nothing(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = CaseEditor(world.service, world.case_id, autosave_delay_ms=10_000)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    editor.client_page.previous_arrangement.setFocus()
    KeyCounter().type("IB2 + bereikbaarheid sinds 2025, Çelik")
    worker = editor.autosaver.worker
    # No close(), no flush(): the debounce timer has not even fired yet.
    editor.deleteLater()
    qtbot.waitUntil(lambda: not worker.alive, timeout=5000)
    world.db.close()  # type: ignore[attr-defined]
    db = open_db(world.db_path, create=False)
    try:
        stored = CaseService(db).get(world.case_id)
        assert stored.conversation.previous_arrangement == "IB2 + bereikbaarheid sinds 2025, Çelik"
    finally:
        db.close()


def test_saves_are_ordered_and_coalesced(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = _open(qtbot, world, autosave_delay_ms=1)
    field = editor.client_page.location
    field.setFocus()
    field.selectAll()
    keys = KeyCounter()
    for text in ("a", "ab", "abc", "abcd"):
        field.selectAll()
        keys.type(text)
        qtbot.wait(3)
    editor.flush()
    stored = world.service.get(world.case_id)
    assert stored.conversation.location == "abcd"
    # The editor learns the new version from the worker's queued signal.
    qtbot.waitUntil(lambda: editor.case.version == stored.version)


def test_conflict_keeps_edits_and_saves_mine_on_request(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = _open(qtbot, world)
    # Somebody else saves the case meanwhile (another window of the same laptop).
    other = world.service.get(world.case_id)
    other.conversation.location = "elders"
    other.status = "concept"
    world.service.save(other)
    editor.client_page.location.setFocus()
    editor.client_page.location.selectAll()
    KeyCounter().type("hier")
    editor.flush()
    qtbot.waitUntil(lambda: editor.banner.isVisible())
    assert "gewijzigd" in editor.banner_text.text()
    assert editor.case.conversation.location == "hier"  # still in the editor
    assert world.service.get(world.case_id).conversation.location == "elders"
    editor.keep_mine.click()
    qtbot.waitUntil(
        lambda: world.service.get(world.case_id).conversation.location == "hier", timeout=3000
    )
    assert not editor.banner.isVisible()


def test_reopening_returns_to_page_and_domain(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=False)
    editor = _open(qtbot, world)
    editor.go_to_page(1)
    editor.zrm_page.focus_row(4)
    assert editor.zrm_page.ui_position() == "huiselijke_relaties"
    editor.flush()
    editor.close()
    again = _open(qtbot, world)
    assert again.current_page() == 1
    assert again.zrm_page.ui_position() == "huiselijke_relaties"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is again.zrm_page.rows[4].selector)


def test_definitief_case_opens_read_only(qtbot, tmp_path: Path) -> None:
    world = make_world(tmp_path, previous=True)
    assert world.previous_id is not None
    prev = world.service.get(world.previous_id)  # type: ignore[attr-defined]
    from bwo_desktop.core.assessment_json import advice_to_json, advise_partial
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.core.tariffs import load_tariff_book

    advice, missing = advise_partial(prev.assessment, load_tariff_book(), load_rules())
    assert advice is not None, missing
    store_decided(world.service, world.previous_id, advice_to_json(advice), [])
    editor = CaseEditor(world.service, world.previous_id)
    qtbot.addWidget(editor)
    assert editor.read_only
    assert editor.current_page() == 5
    assert editor.client_page.location.isReadOnly()
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    editor.go_to_page(1)
    editor.zrm_page.rows[0].selector.setFocus()
    KeyCounter().type("5")
    assert editor.case.assessment["zrm"]["financien"] == 2
    assert not editor.autosaver.dirty


@pytest.mark.parametrize("text, ok", [("999990019", True), ("999990018", False), ("12345", False)])
def test_bsn_eleven_check_message(qtbot, tmp_path: Path, text: str, ok: bool) -> None:
    world = make_world(tmp_path, previous=False)
    editor = _open(qtbot, world)
    field = editor.client_page.bsn
    field.setFocus()
    field.selectAll()
    KeyCounter().type(text)
    message = editor.client_page.bsn_message.text()
    assert (
        ("voldoet aan de 11-proef" in message)
        if ok
        else ("11-proef" in message and "klopt niet" in message)
    )
    assert editor.case.client.bsn == "999990019"  # an invalid BSN never replaces the stored one


def test_a_case_leased_to_another_laptop_opens_read_only(qtbot, tmp_path: Path) -> None:
    """Team mode: only the lease holder edits. A concept case that the last pull said is
    held by another laptop opens read-only, says who holds it, and autosaves nothing."""
    import uuid

    from bwo_desktop.models import SyncLease
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import set_meta

    world = make_world(tmp_path, previous=False)
    with world.db.session() as s:  # type: ignore[attr-defined]
        set_meta(s, sync_client.ENROLMENT_KEY, {"device": "laptop-1", "team": "Noord"})
        s.add(
            SyncLease(case_id=uuid.UUID(world.case_id), device="laptop-2", consultant="A. de Vries")
        )
    editor = _open(qtbot, world)
    assert editor.read_only
    assert editor.client_page.location.isReadOnly()
    banner = editor.banner_text.text()
    assert "A. de Vries" in banner and "laptop-2" in banner
    assert "alleen inzien: in bezit van A. de Vries (laptop-2)" in editor.details.text()
    assert not editor.autosaver._enabled
    editor.finish_page.refresh()
    assert not editor.finish_page.finalise.isEnabled()


def test_a_case_leased_to_this_laptop_stays_editable(qtbot, tmp_path: Path) -> None:
    import uuid

    from bwo_desktop.models import SyncLease
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import set_meta

    world = make_world(tmp_path, previous=False)
    with world.db.session() as s:  # type: ignore[attr-defined]
        set_meta(s, sync_client.ENROLMENT_KEY, {"device": "laptop-1", "team": "Noord"})
        s.add(
            SyncLease(
                case_id=uuid.UUID(world.case_id), device="laptop-1", consultant="J. Consulent"
            )
        )
    editor = _open(qtbot, world)
    assert not editor.read_only
