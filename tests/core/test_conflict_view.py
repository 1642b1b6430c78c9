"""The conflict inbox's comparison: both versions of a parked case in Dutch, the differing
fields first, bookkeeping columns left out."""

from __future__ import annotations

from bwo_desktop.core.conflict_view import (
    CASE,
    CLIENT,
    LEFT,
    compare,
    kind,
    reason_text,
    title,
    value_text,
)


def _row(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "id": "6f1d0c1e-0000-4000-8000-000000000001",
        "version": 4,
        "updated_at": "2026-12-01T09:12:00+00:00",
        "reference": "BW-2026-0012",
        "status": "concept",
        "decision_date": "2026-12-01",
        "consent_share_report": True,
        "motivations": {"ib": "Zelfstandig wonen lukt nog niet zonder toezicht."},
    }
    row.update(changes)
    return row


def test_the_differing_fields_come_first_in_dutch() -> None:
    mine = _row(decision_date="2026-12-02", version=5)
    office = _row()
    diffs = compare(mine, office)
    assert diffs[0].label == "besluitdatum"
    assert (diffs[0].mine, diffs[0].office) == ("02-12-2026", "01-12-2026")
    assert [d.differs for d in diffs].count(True) == 1  # the version is bookkeeping
    shown = {d.name for d in diffs}
    assert not shown & {"id", "version", "updated_at"}
    labels = {d.name: d.label for d in diffs}
    assert labels["reference"] == "kenmerk"
    assert labels["consent_share_report"] == "toestemming delen onderzoeksverslag"


def test_values_read_as_a_consultant_writes_them() -> None:
    assert value_text("consent_share_report", True) == "ja"
    assert value_text("status", "definitief").lower().startswith("definitief")
    assert value_text("zrm_notes", None) == "—"
    assert value_text("motivations", {"ib": "x" * 1000}).endswith("…")


def test_a_case_the_office_does_not_have_shows_dashes() -> None:
    diffs = compare(_row(), None)
    assert diffs and all(d.office == "—" for d in diffs)
    assert all(d.differs for d in diffs)


def test_reasons_in_dutch() -> None:
    assert "ander apparaat" in reason_text("lease")
    assert reason_text("iets nieuws") == "iets nieuws"


def test_codes_read_in_the_editors_words() -> None:
    """Before: "client.status" as the label, "client_and_begeleider" and "09:20:00" as values."""
    diffs = compare(_row(attended_by="client_only", delivery="pgb", planned_time="09:20:00"), None)
    shown = {d.name: (d.label, d.mine) for d in diffs}
    assert shown["status"] == ("status", "concept")
    assert shown["attended_by"] == ("aanwezig bij het gesprek", "alleen cliënt")
    assert shown["delivery"][1] == "persoonsgebonden budget (pgb)"
    assert shown["planned_time"] == ("geplande tijd", "09:20")


def test_the_three_kinds_name_themselves_in_the_list() -> None:
    row = {"reference": "BWO-2026-0042", "sort_name": "Şahin, A."}
    assert kind("herindicaties", here=True) == CASE
    assert kind("herindicaties", here=False) == LEFT
    assert kind("clients", here=True) == CLIENT
    assert title(CASE, "BWO-2026-0042", row) == "Casus BWO-2026-0042"
    assert title(LEFT, "BWO-2026-0042", row, holder="B. Tweede") == (
        "Casus BWO-2026-0042 — overgedragen aan B. Tweede"
    )
    assert title(LEFT, None, row) == "Casus BWO-2026-0042 — overgedragen aan een andere consulent"
    fields = ["begeleider_phone", "city"]
    assert title(CLIENT, "cliënt Şahin, A.", row, fields) == (
        "Cliënt Şahin, A. — telefoon begeleider en woonplaats"
    )
    assert title(CLIENT, None, row, ["city"]) == "Cliënt Şahin, A. — woonplaats"


def test_a_client_conflict_marks_only_the_decided_fields() -> None:
    mine = {
        "id": "x",
        "sort_name": "Şahin, A.",
        "bsn": "123456782",
        "city": "Dordrecht",
        "begeleider_phone": "06-1",
        "begeleider_email": "a@example.org",
    }
    office = {**mine, "begeleider_phone": "010-2", "begeleider_email": "b@example.org"}
    diffs = compare(mine, office, decided=["begeleider_phone"])
    assert [(d.label, d.marked) for d in diffs][:2] == [
        ("telefoon begeleider", True),
        ("BSN", False),
    ]
    assert [d.label for d in diffs if d.marked] == ["telefoon begeleider"]
    assert next(d for d in diffs if d.name == "bsn").mine == "******782"
    assert not {d.name for d in diffs} & {"id", "sort_name"}


ASSESSMENT = {
    "assessment_date": "2026-12-08",
    "period": {"start": "2027-01-01"},
    "zrm": {"financien": 2, "werk_opleiding": 3, "justitie": None},
    "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
    "has_debts": True,
}


def _case(**changes: object) -> dict[str, object]:
    values: dict[str, object] = dict(
        assessment=ASSESSMENT,
        motivations={"need_24_7": "Nachtelijke onrust.", "zrm": "Schulden."},
        results=[
            {
                "area": "financien",
                "result": "heeft een geordende administratie",
                "development": "toename",
            },
            {
                "area": "justitie",
                "result": "houdt zich aan de voorwaarden",
                "development": "stabilisatie",
            },
        ],
        zrm_notes={"financien": "Budgetbeheer loopt."},
        unscored_reasons={"justitie": "Niet besproken."},
    )
    return _row(**{**values, **changes})


def test_a_changed_zrm_score_is_its_own_bold_row() -> None:
    """Before: one row "beoordeling" with both versions as JSON with English keys."""
    mine = _case(assessment={**ASSESSMENT, "zrm": {**ASSESSMENT["zrm"], "financien": 3}})
    diffs = compare(mine, _case())
    assert [(d.label, d.mine, d.office) for d in diffs if d.marked] == [
        ("ZRM: financiën", "3", "2")
    ]
    assert diffs[0].label == "ZRM: financiën"
    assert not any("{" in d.mine or "[" in d.mine for d in diffs)


def test_every_structured_leaf_reads_in_the_editors_words() -> None:
    shown = {d.label: d.mine for d in compare(_case(), None)}
    assert shown["datum gesprek"] == "08-12-2026"
    assert shown["periode: start"] == "01-01-2027"
    assert shown["ZRM: werk & opleiding"] == "3"
    assert shown["ZRM: justitie"] == "—"  # not scored
    assert shown["criterium: heeft de cliënt 24/7 (on)planbare ondersteuning nodig?"] == "ja"
    assert shown["criterium: biedt reguliere individuele begeleiding passende ondersteuning?"] == (
        "nee"
    )
    assert shown["cliënt heeft schulden"] == "ja"
    assert shown[
        "motivering criterium: heeft de cliënt 24/7 (on)planbare ondersteuning nodig?"
    ] == ("Nachtelijke onrust.")
    assert shown["motivering ondersteuningsbehoefte ZRM"] == "Schulden."
    assert shown["resultaat financiën"] == "heeft een geordende administratie"
    assert shown["resultaat financiën: ontwikkeling"] == "toename zelfredzaamheid"
    assert shown["resultaat justitie: ontwikkeling"] == "stabilisatie"
    assert shown["ZRM-toelichting: financiën"] == "Budgetbeheer loopt."
    assert shown["reden niet gescoord: justitie"] == "Niet besproken."


def test_a_leaf_only_one_version_has_shows_a_dash_on_the_other_side() -> None:
    mine = _case(motivations={"need_24_7": "Nachtelijke onrust.", "zrm": "Schulden.", "gap": "x"})
    marked = [(d.label, d.mine, d.office) for d in compare(mine, _case()) if d.marked]
    assert marked == [("motivering onderbreking", "x", "—")]
    office = _case(assessment=None)
    marked = [d for d in compare(_case(), office) if d.marked]
    assert marked and all(d.office == "—" for d in marked)


def test_unknown_keys_read_without_underscores_and_never_crash() -> None:
    odd = _case(
        assessment={**ASSESSMENT, "new_thing": {"deep_key": [1, {"x_y": None}]}, "zrm": [2]},
        results=[{"area": "nieuw_gebied", "result": "iets"}, "los"],
        motivations="platte tekst",
        zrm_notes={},
    )
    shown = {d.label: d.mine for d in compare(odd, _case())}
    assert shown["beoordeling: new thing: deep key: 1"] == "1"
    assert shown["beoordeling: new thing: deep key: 2: x y"] == "—"
    assert shown["resultaat nieuw gebied"] == "iets"
    assert shown["motiveringen"] == "platte tekst"
    assert shown["ZRM-toelichting: financiën"] == "—"  # the office's note, gone here
    assert all("_" not in label for label in shown)


def test_a_long_text_that_differs_late_is_still_marked() -> None:
    start = "Cliënt heeft 's nachts toezicht nodig. " * 20
    mine = _case(motivations={"zrm": start + "Nieuw."})
    office = _case(motivations={"zrm": start + "Oud."})
    marked = [d for d in compare(mine, office) if d.marked]
    assert [d.label for d in marked] == ["motivering ondersteuningsbehoefte ZRM"]
    assert marked[0].mine.endswith("…")
