"""The editor's pages one by one: ZRM keyboard flow, support forms, anchor texts, criteria,
advice inputs, results model (qtmodeltester), checklist, chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from editor_support import KeyCounter, make_world
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from bwo_desktop.core.case import Result
from bwo_desktop.core.zrm import DOMAIN_KEYS, load_catalogue
from bwo_desktop.ui.case_editor import CaseEditor, default_period_start
from bwo_desktop.ui.pages.finish_page import PAGE_CLIENT, PAGE_RESULTS, PAGE_ZRM, checklist
from bwo_desktop.ui.pages.results_tree_model import ResultsTreeModel
from bwo_desktop.ui.zrm_chart import ZrmChart

ANCHORS = "\n".join(
    ['source = "Testbron ankers"', "[financien]"]
    + [f'{n} = "anker financien {n}"' for n in range(1, 6)]
)


@pytest.fixture
def editor(qtbot, tmp_path: Path, user_data_dir: Path) -> CaseEditor:
    (user_data_dir / "zrm_ankers.toml").write_text(ANCHORS, encoding="utf-8")
    world = make_world(tmp_path)
    ed = CaseEditor(world.service, world.case_id)
    qtbot.addWidget(ed)
    ed.resize(1366, 700)
    ed.show()
    qtbot.waitExposed(ed)
    ed.activateWindow()
    qtbot.waitActive(ed)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    ed.world = world  # type: ignore[attr-defined]
    return ed


def test_zrm_digits_score_and_move_on_zero_asks_reason(editor: CaseEditor) -> None:
    keys = KeyCounter()
    keys.shortcut("Ctrl+2")
    page = editor.zrm_page
    assert QApplication.focusWidget() is page.rows[0].selector
    keys.type("21")
    assert QApplication.focusWidget() is page.rows[2].selector
    keys.type("0")  # tijdsbesteding: not scored → the reason field
    assert QApplication.focusWidget() is page.rows[2].reason
    assert page.rows[2].reason.isVisible()
    keys.type("geen zicht op")
    keys.enter()
    assert QApplication.focusWidget() is page.rows[3].selector
    data = editor.case.assessment
    assert data["zrm"] == {"financien": 2, "werk_opleiding": 1, "tijdsbesteding": None}
    assert editor.case.unscored_reasons == {"tijdsbesteding": "geen zicht op"}
    assert page.rows[0].level.text() == "niet zelfredzaam"
    keys.key(Qt.Key.Key_Up)
    assert QApplication.focusWidget() is page.rows[2].selector
    keys.type("4")  # scoring it after all drops the reason
    assert "tijdsbesteding" not in editor.case.unscored_reasons
    # The side panel shows the organisation's anchor texts for the current domain.
    page.focus_row(0)
    assert "anker financien 2" in page.levels_view.text()
    assert "Testbron ankers" in page.anchor_source.text()
    # Previous scores beside the new ones, and the chart.
    assert page.rows[0].previous.text() == "2"
    assert page.chart.isVisible()


def test_support_form_change_is_kept_and_shown(editor: CaseEditor) -> None:
    editor.go_to_page(1)
    page = editor.zrm_page
    KeyCounter().type("2")  # financien 2 → overnemen by default
    row = page.rows[0]
    assert row.form.currentData() == "overnemen"
    row.form.setCurrentIndex(row.form.findData("aanleren"))
    row.form.activated.emit(row.form.currentIndex())
    assert editor.case.assessment["support_forms"] == {"financien": "aanleren"}
    assert "aangepast" in row.form.toolTip()
    row.form.setCurrentIndex(row.form.findData("overnemen"))
    row.form.activated.emit(row.form.currentIndex())
    assert editor.case.assessment["support_forms"] == {}
    assert "standaard" in row.form.toolTip()


def test_criteria_and_live_advice(editor: CaseEditor) -> None:
    editor.go_to_page(1)
    KeyCounter().type("4444444444444")
    keys = KeyCounter()
    keys.shortcut("Ctrl+3")
    for i, answer in enumerate("jjn"):
        if i:
            keys.tab()
        keys.type(answer)
    assert editor.ctx.advice is not None
    assert editor.ctx.advice.ib_level == "IB1"
    assert "Nog nodig" in editor.criteria_page.blocks[0].message.text()  # motivation missing
    assert "IB1" in editor.strip_outcome.text()
    # The advice page shows costs per line in euro.
    editor.go_to_page(3)
    texts = [w.text() for w in editor.advice_page.costs_box.findChildren(type(editor.title))]
    assert any("€ 94,13" in t for t in texts)
    # Override to IB2 without motivation: the advice says what is missing.
    keys.type("2")
    assert editor.ctx.advice is None
    assert any("afwijkende IB-niveau" in m for m in editor.ctx.missing)
    keys.type("meer nodig")
    assert editor.ctx.advice.ib_level == "IB2" and editor.ctx.advice.recommended_ib_level == "IB1"


def test_longer_period_blocks_definitief_without_motivation(editor: CaseEditor) -> None:
    editor.go_to_page(3)
    page = editor.advice_page
    page.end.setFocus()
    KeyCounter().type("30062028")
    assert editor.case.assessment["period"]["end"] == "2028-06-30"
    items = checklist(editor.case, editor.ctx.advice, editor.ctx.missing, editor.ctx.catalogue)
    assert any(i.kind == "block" and "langer dan een jaar" in i.text for i in items)
    page.extension.setFocus()
    KeyCounter().type("traject loopt door")
    items = checklist(editor.case, editor.ctx.advice, editor.ctx.missing, editor.ctx.catalogue)
    assert not any("langer dan een jaar" in i.text for i in items)


def test_opslag_and_housing_reach_the_assessment(editor: CaseEditor) -> None:
    page = editor.advice_page
    editor.go_to_page(3)
    page.opslag_reason.setFocus()
    keys = KeyCounter()
    keys.type("o")
    page.opslag_end.setFocus()
    keys.type("31032027")
    page.opslag_plan.setFocus()
    keys.type("j")
    page.cannot_rent.setFocus()
    keys.type("j")
    page.via_provider.setFocus()
    keys.type("j")
    data = editor.case.assessment
    assert data["opslag"] == {
        "reason": "overgang_intramuraal",
        "end": "2027-03-31",
        "motivated_in_plan": True,
    }
    assert data["huisvesting"] == {"cannot_rent_independently": True, "housing_via_provider": True}


def test_support_plan_warning_on_client_page(editor: CaseEditor) -> None:
    page = editor.client_page
    page.plan_date.setFocus()
    KeyCounter().type("01012026")  # older than six months on 8-12-2026
    assert "ouder dan zes maanden" in page.plan_message.text()
    page.plan_date.selectAll()
    KeyCounter().type("01102026")
    assert not page.plan_message.isVisible()


def test_results_model_passes_qtmodeltester(qtmodeltester) -> None:
    model = ResultsTreeModel(load_catalogue().result_areas)
    model.load(
        [Result("financien", "heeft een geordende (financiële) administratie", "stabilisatie")]
    )
    qtmodeltester.check(model)
    area = model.area_index("financien")
    child = model.index(0, 0, area)
    assert model.setData(child, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    qtmodeltester.check(model)
    results = model.results()
    assert [r.result for r in results] == [
        "heeft inzicht in de financiële situatie, waaronder het inkomsten- en uitgavenpatroon",
        "heeft een geordende (financiële) administratie",
    ]
    assert {r.development for r in results} == {"stabilisatie"}
    assert model.set_development("financien", "toename")
    assert {r.development for r in model.results()} == {"toename"}
    assert model.rowCount() == 9  # justitie (free text) is not in the tree


def test_results_page_keys_and_justitie(editor: CaseEditor) -> None:
    keys = KeyCounter()
    keys.shortcut("Ctrl+5")
    keys.space()
    keys.type("s")
    assert editor.case.results[0].development == "stabilisatie"
    editor.results_page.justitie.setFocus()
    keys.type("houdt zich aan de afspraken met de reclassering")
    assert editor.case.results[-1].area == "justitie"


def test_checklist_points_to_the_pages(editor: CaseEditor) -> None:
    case = editor.case
    case.client.address = None
    items = checklist(case, editor.ctx.advice, editor.ctx.missing, editor.ctx.catalogue)
    kinds = {(i.kind, i.page) for i in items}
    assert ("block", PAGE_CLIENT) in kinds
    assert ("block", PAGE_ZRM) in kinds
    editor.go_to_page(5)
    lst = editor.finish_page.list
    assert lst.count() >= 3
    lst.setCurrentRow(0)
    lst.itemActivated.emit(lst.item(0))
    assert editor.current_page() == PAGE_CLIENT
    assert PAGE_RESULTS == 4


def test_finalise_refused_with_missing_items(
    editor: CaseEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    editor.finalise()
    assert shown and "nog niet definitief" in shown[0]
    assert editor.case.status != "definitief"


def test_every_input_has_an_accessible_name(editor: CaseEditor) -> None:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QTreeView

    from bwo_desktop.ui.pages.common import ChoiceSelector

    kinds = (QLineEdit, QPlainTextEdit, QComboBox, ChoiceSelector, QTreeView, QAbstractButton)
    unnamed = [
        w
        for w in editor.findChildren(QWidget)
        if isinstance(w, kinds)
        and not w.accessibleName()
        and not (isinstance(w, QAbstractButton) and w.text())
        and not isinstance(w.parent(), QComboBox)
    ]
    assert not unnamed, [type(w).__name__ for w in unnamed]


def test_chart_paints(qtbot) -> None:
    chart = ZrmChart()
    qtbot.addWidget(chart)
    catalogue = load_catalogue()
    chart.set_scores(
        [(d.key, d.name) for d in catalogue.domains],
        dict.fromkeys(DOMAIN_KEYS, 2),
        dict.fromkeys(DOMAIN_KEYS, 3),
    )
    chart.resize(chart.sizeHint())
    image = chart.grab()
    assert not image.isNull()
    assert "Financiën: 2 naar 3" in chart.accessibleDescription()


def test_default_period_start_follows_current_indication() -> None:
    from editor_support import make_client

    from bwo_desktop.core.case import Case, CurrentIndication

    case = Case(
        client=make_client(),
        consultant_name="x",
        current_indication=CurrentIndication("IB2", dt.date(2026, 12, 31)),
    )
    assert default_period_start(case, dt.date(2026, 12, 8)) == dt.date(2027, 1, 1)
    assert default_period_start(case, dt.date(2027, 2, 1)) == dt.date(2027, 2, 1)
