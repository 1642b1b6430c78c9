"""Casus → Beschikkingen van een dag maken… on a real encrypted demo database: one PDF per
definitief case of the chosen day and location, into the chosen folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from dialog_support import no_folder_opening, run_and_wait
from pypdf import PdfReader

from bwo_desktop.core.names import fold
from bwo_desktop.ui.day_batch_dialog import DayBatchDialog, definitief_of_day

DAY = dt.date(2026, 2, 17)
LOCATION = "Locatie De Linde, Hendrik-Ido-Ambacht"


def choose_day(window, day: dt.date, location: str) -> None:
    """Select a case of that day in the list (the day filter only offers recent days)."""
    case = next(
        s for s in window.model.summaries() if s.planned_date == day and s.location == location
    )
    assert window.select_case(case.id)


def test_menu_has_the_action(shell) -> None:
    casus = shell.window.menuBar().actions()[1].menu()
    assert "Beschikkingen van een &dag maken…" in [a.text() for a in casus.actions()]


def test_defaults_follow_the_day_filter(shell) -> None:
    choose_day(shell.window, DAY, LOCATION)
    dialog = shell.window.show_day_batch()
    assert isinstance(dialog, DayBatchDialog)
    assert dialog.day() == DAY
    assert dialog.location() == LOCATION
    assert Path(dialog.folder_edit.text()) == shell.docs / DAY.isoformat()
    want = definitief_of_day(shell.cases.list_summaries(), DAY, LOCATION)
    assert f"{len(want)} definitieve casussen" in dialog.count_label.text()
    assert dialog.run_button.isEnabled()


def test_writes_one_pdf_per_definitief_case(qtbot, shell, tmp_path) -> None:
    summaries = shell.cases.list_summaries()
    want = definitief_of_day(summaries, DAY, LOCATION)
    on_day = [s for s in summaries if s.planned_date == DAY]
    assert len(want) >= 2 and len(on_day) > len(want)  # other locations that day too

    choose_day(shell.window, DAY, LOCATION)
    dialog = shell.window.show_day_batch()
    no_folder_opening(shell, dialog)
    out = tmp_path / "brieven"
    dialog.folder_edit.setText(str(out))
    assert run_and_wait(qtbot, dialog, dialog.run_button.click, timeout=60_000)

    files = sorted(out.glob("*.pdf"))
    assert len(files) == len(want) == len(dialog.written)
    references = {s.reference for s in want}
    assert {
        re.sub(r"^beschikking_(.+)_\d{4}-\d{2}-\d{2}\.pdf$", r"\1", f.name) for f in files
    } == references
    bsns = {s.bsn for s in summaries}
    assert not any(b in f.name for f in files for b in bsns)
    text = " ".join(page.extract_text() or "" for page in PdfReader(files[0]).pages)
    assert "DEMO" in text
    assert f"Klaar: {len(want)} beschikkingen" in dialog.status_label.text()
    dialog.folder_button.click()
    assert shell.opened_folders == [out]
    assert dialog.progress_bar.isHidden()


def test_changing_the_date_updates_the_choices(shell) -> None:
    dialog = shell.window.show_day_batch()
    dialog.date_edit.set_day(DAY)
    on_day = {fold(s.location) for s in shell.cases.list_summaries() if s.planned_date == DAY}
    first = dialog.location_combo.itemData(0)
    assert fold(first) in on_day
    assert "definitief" in dialog.location_combo.itemText(0)
    assert Path(dialog.folder_edit.text()).name == DAY.isoformat()


def test_a_day_without_definitief_cases_cannot_run(shell) -> None:
    dialog = shell.window.show_day_batch()
    dialog.date_edit.set_day(dt.date(2030, 1, 1))
    assert "geen casus definitief" in dialog.count_label.text()
    assert not dialog.run_button.isEnabled()


def test_also_makes_the_verslagen_and_lists_the_cases_without_consent(
    qtbot, shell, tmp_path, monkeypatch
) -> None:
    """With "Ook de onderzoeksverslagen maken": the client's verslag of every case, the
    provider's only where the client consented; the others are listed with the reason.
    "Openen" opens the last PDF."""
    want = definitief_of_day(shell.cases.list_summaries(), DAY, LOCATION)
    refused = want[0].reference
    real_get = shell.cases.get

    def get(case_id: str):  # one client of the day did not consent to sharing the verslag
        case = real_get(case_id)
        if case.reference == refused:
            case.conversation.consent_share_report = False
        return case

    monkeypatch.setattr(shell.cases, "get", get)
    consented = {s.reference for s in want if get(s.id).conversation.consent_share_report}
    assert refused not in consented and consented

    choose_day(shell.window, DAY, LOCATION)
    dialog = shell.window.show_day_batch()
    no_folder_opening(shell, dialog)
    opened: list[Path] = []
    dialog.open_file = opened.append
    assert not dialog.open_button.isVisible()
    dialog.verslag_check.click()
    assert "verslagen voor de cliënt" in dialog.count_label.text()
    out = tmp_path / "brieven"
    dialog.folder_edit.setText(str(out))
    assert run_and_wait(qtbot, dialog, dialog.run_button.click, timeout=120_000)

    def references(prefix: str) -> set[str]:
        pattern = rf"^{prefix}_(.+)_\d{{4}}-\d{{2}}-\d{{2}}\.pdf$"
        return {m.group(1) for f in out.glob("*.pdf") if (m := re.match(pattern, f.name))}

    every = {s.reference for s in want}
    assert references("beschikking") == every
    assert references("onderzoeksverslag-client") == every
    assert references("onderzoeksverslag-aanbieder") == consented
    assert not references("onderzoeksverslag-intern")  # the dossier copy never goes out
    assert len(list(out.glob("*.pdf"))) == len(dialog.written) == 2 * len(want) + len(consented)
    assert dialog.skipped_view.isVisible()
    assert dialog.skipped_view.toPlainText() == (
        f"{refused}: geen verslag voor de zorgaanbieder: de cliënt heeft geen toestemming gegeven"
    )
    status = dialog.status_label.text()
    assert f"Klaar: {len(want)} beschikkingen en {len(want) + len(consented)} onderzoeks" in status
    assert "Voor 1 casus is geen verslag voor de zorgaanbieder gemaakt" in status
    provider = next(out.glob("onderzoeksverslag-aanbieder_*.pdf"))
    text = " ".join(page.extract_text() or "" for page in PdfReader(provider).pages)
    assert "Exemplaar voor de zorgaanbieder" in text and "€" not in text
    assert dialog.open_button.isVisible()
    dialog.open_button.click()
    assert opened == [dialog.written[-1]] and opened[0].is_file()


def test_the_dialog_asks_the_service_for_verslagen_only_when_chosen(qtbot, tmp_path) -> None:
    """The choice reaches `LetterService.day_batch(verslagen=...)`; default: none."""
    from fakes import FakeLetters

    from bwo_desktop.core.case import CaseSummary

    letters = FakeLetters()
    summary = CaseSummary(
        id="c1", reference="BWO-2026-X-0001", client_name="Jong, M. de", bsn="999900043",
        birth_date=dt.date(1990, 1, 1), provider_name="Zorg", planned_date=DAY,
        planned_time=None, location=LOCATION, status="definitief", ib_level="IB1",
        current_indication_end=None, updated_at=None,
    )  # fmt: skip

    def render(day, location, out_dir, progress, verslagen):
        return letters.day_batch(day, out_dir, progress, location=location, verslagen=verslagen)

    dialog = DayBatchDialog(
        render, summaries=[summary], day=DAY, location=LOCATION, documents_folder=tmp_path
    )
    qtbot.addWidget(dialog)
    assert not dialog.verslag_check.isChecked()
    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    dialog.verslag_check.setChecked(True)
    assert run_and_wait(qtbot, dialog, dialog.run_button.click)
    assert [call[-1] for call in letters.calls] == [False, True]
    assert "geen definitieve casus" in dialog.status_label.text()  # the fake wrote nothing
    assert not dialog.open_button.isVisible() and not dialog.skipped_view.isVisible()
