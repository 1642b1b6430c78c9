"""The overview workbook: write it, read it back with openpyxl, check types, formats, values."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from bsn_samples import make_bsns
from excel_factories import builtin_table, export_case, internal_names, workbook_strings
from openpyxl import load_workbook

from bwo_desktop.core.advice import advise
from bwo_desktop.core.assessment_json import parse_assessment
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.iwmo import load_iwmo_settings, with_product
from bwo_desktop.core.rules import load_rules
from bwo_desktop.core.tariffs import load_tariff_book
from bwo_desktop.exports.xlsx_export import (
    DATE_FORMAT,
    EURO_FORMAT,
    TOEWIJZINGEN_NONE,
    TOEWIJZINGEN_WITHOUT_FULL_BSN,
    ExportCase,
    ExportLine,
    check_file_name,
    write_overview,
)
from bwo_desktop.services.xlsx_service import segments_from_decision

IB2_NAME = "Individuele begeleiding 2: aanleren en oefenen"
IB2_OPSLAG_NAME = "Individuele begeleiding 2 met opslag"
SHEETS = ["Casussen", "ZRM", "Regels", "Toewijzingen", "Tarieven"]


@pytest.fixture
def cases() -> list[ExportCase]:
    table = builtin_table()
    bsns = make_bsns(3)
    return [
        export_case(0, bsns[0], table=table),
        export_case(1, bsns[1], table=table),
        dataclasses.replace(
            export_case(2, bsns[2], table=table), status="concept", ib_level_decided=None
        ),
    ]


def _header(ws) -> list[str]:  # type: ignore[no-untyped-def]
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def _row(ws, number: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    cells = next(ws.iter_rows(min_row=number, max_row=number))
    return dict(zip(_header(ws), cells, strict=False))


def test_sheets_types_formats_and_layout(tmp_path: Path, cases: list[ExportCase]) -> None:
    out = tmp_path / "overzicht.xlsx"
    counts = write_overview(out, cases, full_bsn=False, iwmo=load_iwmo_settings())
    assert (counts.cases, counts.lines, counts.toewijzingen, counts.tariff_tables) == (3, 15, 0, 1)
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    assert wb.properties.title == "Overzicht herindicaties Beschermd Wonen"
    assert wb.properties.creator == "bwo-desktop"
    assert isinstance(wb.properties.created, dt.datetime)

    ws = wb["Casussen"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:W4"
    assert ws.column_dimensions["B"].width >= 20
    assert ws.max_row == 4
    row = _row(ws, 2)
    assert row["Kenmerk"].value == "BWO-2027-AB12-00000"  # type: ignore[attr-defined]
    assert row["Cliënt"].value == "Wilde0, M. de"  # type: ignore[attr-defined]
    birth = row["Geboortedatum"]
    assert birth.value == dt.datetime(1980, 1, 1)  # type: ignore[attr-defined]
    assert birth.number_format == DATE_FORMAT  # type: ignore[attr-defined]
    assert birth.is_date  # type: ignore[attr-defined]
    assert row["BSN"].value == "******" + cases[0].bsn[-3:]  # type: ignore[attr-defined]
    assert row["Tijd"].value == dt.time(9, 20)  # type: ignore[attr-defined]
    assert row["Status"].value == "definitief"  # type: ignore[attr-defined]
    assert row["Uitkomst"].value == "IB BW met bereikbaarheid"  # type: ignore[attr-defined]
    assert row["Opslag reden"].value == "overgang intramuraal"  # type: ignore[attr-defined]
    assert row["Opslag tot en met"].value == dt.datetime(2027, 3, 31)  # type: ignore[attr-defined]
    for title, expected in (("Per week", 514.37), ("Hele periode", 24198.00)):
        money = row[title]
        assert money.data_type == "n"  # type: ignore[attr-defined]
        assert money.value == pytest.approx(expected)  # type: ignore[attr-defined]
        assert money.number_format == EURO_FORMAT  # type: ignore[attr-defined]
    assert row["Signaleringen"].value == "budgetcoach nodig; tarieftabel verouderd"  # type: ignore[attr-defined]
    assert _row(ws, 4)["Status"].value == "concept"  # type: ignore[attr-defined]
    assert _row(ws, 4)["IB-niveau besluit"].value is None  # type: ignore[attr-defined]

    zrm = wb["ZRM"]
    assert _header(zrm)[3] == "Financiën"
    assert len(_header(zrm)) == 3 + 13 + 1 + 13
    z1, z2 = _row(zrm, 2), _row(zrm, 3)
    assert z1["Financiën"].value == 2 and z1["Vorige Financiën"].value is None  # type: ignore[attr-defined]
    assert z2["Vorige Financiën"].value == 1  # type: ignore[attr-defined]
    assert z2["Vorig kenmerk"].value == "BWO-2026-AB12-00001"  # type: ignore[attr-defined]

    regels = wb["Regels"]
    assert regels.auto_filter.ref == "A1:F16"
    first = _row(regels, 2)
    assert [first[k].value for k in ("Component", "Dagen")] == [IB2_NAME, 275]  # type: ignore[attr-defined]
    assert first["Bedrag"].value == pytest.approx(8019.00)  # type: ignore[attr-defined]
    assert first["Bedrag"].number_format == EURO_FORMAT  # type: ignore[attr-defined]

    tarieven = wb["Tarieven"]
    t = _row(tarieven, 2)
    assert t["Geldig vanaf"].value == dt.datetime(2021, 1, 1)  # type: ignore[attr-defined]
    assert t["IB2 per week"].value == pytest.approx(204.12)  # type: ignore[attr-defined]
    assert t["Huisvesting per week"].value == pytest.approx(156.61)  # type: ignore[attr-defined]
    assert t["Aantal casussen"].value == 3  # type: ignore[attr-defined]

    # Masked export: the Toewijzingen sheet exists and says why it is empty; no full BSN anywhere.
    toew = wb["Toewijzingen"]
    assert [[c.value for c in r] for r in toew.iter_rows()] == [[TOEWIJZINGEN_WITHOUT_FULL_BSN]]
    for sheet in wb.worksheets:
        for r in sheet.iter_rows(values_only=True):
            for value in r:
                assert not any(c.bsn in str(value) for c in cases)


def test_full_bsn_fills_toewijzingen(tmp_path: Path, cases: list[ExportCase]) -> None:
    iwmo = with_product(load_iwmo_settings(), "IB2", productcode="BW002")
    out = tmp_path / "volledig.xlsx"
    counts = write_overview(out, cases, full_bsn=True, iwmo=iwmo)
    assert counts.toewijzingen == 10  # two definitief cases × five segments; the concept has none
    wb = load_workbook(out)
    assert _row(wb["Casussen"], 2)["BSN"].value == cases[0].bsn  # type: ignore[attr-defined]
    ws = wb["Toewijzingen"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:P11"
    rows = [
        dict(zip(_header(ws), r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)
    ]
    assert {r["BSN"] for r in rows} == {cases[0].bsn, cases[1].bsn}
    ib = [
        r
        for r in rows
        if r["BSN"] == cases[0].bsn and r["Component"] in (IB2_NAME, IB2_OPSLAG_NAME)
    ]
    assert [(r["Component"], r["Ingangsdatum"], r["Einddatum"]) for r in ib] == [
        (IB2_NAME, dt.datetime(2027, 4, 1), dt.datetime(2027, 12, 31)),
        (IB2_OPSLAG_NAME, dt.datetime(2027, 1, 1), dt.datetime(2027, 3, 31)),
    ]
    first = ib[0]
    assert first["Productcategorie"] == "15" and first["Productcode"] == "BW002"
    assert (first["Volume"], first["Eenheid"], first["Frequentie"]) == (1, "82", "2")
    assert first["Reden wijziging"] == "04"  # ends after the current indication: verlenging
    assert first["AGB-code aanbieder"] == "12345678"


def test_verkorting_and_no_decided_cases(tmp_path: Path, cases: list[ExportCase]) -> None:
    shorter = dataclasses.replace(cases[0], current_indication_end=dt.date(2028, 6, 30))
    out = tmp_path / "kort.xlsx"
    write_overview(out, [shorter], full_bsn=True, iwmo=load_iwmo_settings())
    ws = load_workbook(out)["Toewijzingen"]
    assert {r[-1] for r in ws.iter_rows(min_row=2, values_only=True)} == {"05"}
    write_overview(out, [cases[2]], full_bsn=True, iwmo=load_iwmo_settings())
    ws = load_workbook(out)["Toewijzingen"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [[TOEWIJZINGEN_NONE]]


def test_hostile_text_stays_text_and_empty_export(tmp_path: Path, cases: list[ExportCase]) -> None:
    nasty = dataclasses.replace(
        cases[0],
        client_name='=HYPERLINK("http://x","klik")',
        location="Locatie\x00\x07 Dordrecht",
        provider_name="+31 aanbieder",
    )
    out = tmp_path / "vreemd.xlsx"
    write_overview(out, [nasty], full_bsn=False, iwmo=load_iwmo_settings())
    row = _row(load_workbook(out)["Casussen"], 2)
    assert row["Cliënt"].data_type == "s"  # type: ignore[attr-defined]
    assert row["Cliënt"].value == '=HYPERLINK("http://x","klik")'  # type: ignore[attr-defined]
    assert row["Locatie"].value == "Locatie Dordrecht"  # type: ignore[attr-defined]
    write_overview(out, [], full_bsn=False, iwmo=load_iwmo_settings())
    assert load_workbook(out)["Casussen"].max_row == 1


def test_money_is_exact_decimal_in_the_file(tmp_path: Path, cases: list[ExportCase]) -> None:
    odd = dataclasses.replace(
        cases[0],
        period_total=Decimal("1234567.89"),
        lines=(ExportLine("IB1", 1, Decimal("0.10"), Decimal("0.01")),),
    )
    out = tmp_path / "geld.xlsx"
    write_overview(out, [odd], full_bsn=False, iwmo=load_iwmo_settings())
    import zipfile

    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<v>1234567.89</v>" in sheet  # written from Decimal text, no float noise


def test_no_bsn_in_file_name(tmp_path: Path, cases: list[ExportCase]) -> None:
    with pytest.raises(InputError, match="BSN"):
        write_overview(tmp_path / f"client-{cases[0].bsn}.xlsx", cases, full_bsn=True)
    check_file_name(tmp_path / "overzicht-2027-01-05.xlsx")
    check_file_name(tmp_path / "overzicht-123456789.xlsx")  # not a valid BSN
    assert not (tmp_path / f"client-{cases[0].bsn}.xlsx").exists()


def test_progress_reports_to_the_end(tmp_path: Path, cases: list[ExportCase]) -> None:
    seen: list[tuple[int, int]] = []
    write_overview(
        tmp_path / "p.xlsx",
        cases,
        full_bsn=False,
        iwmo=load_iwmo_settings(),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[-1] == (3, 3)


def test_segments_from_decision_match_the_engine() -> None:
    """The stored decision has lines, not segments: rebuilding them must agree with advise."""
    example = {
        "assessment_date": "2026-12-08",
        "period": {"start": "2027-01-01"},
        "zrm": {"financien": 2, "huisvesting": 2, "geestelijke_gezondheid": 2},
        "criteria": {"need_24_7": True, "can_postpone": True, "regular_ib_fits": False},
        "opslag": {
            "reason": "life_event",
            "start": "2027-03-01",
            "end": "2027-05-31",
            "motivated_in_plan": True,
        },
        "huisvesting": {"cannot_rent_independently": True, "housing_via_provider": True},
    }
    advice = advise(
        parse_assessment(json.loads(json.dumps(example))), load_tariff_book(), load_rules()
    )
    lines = [ExportLine(x.code, x.days, x.weekly, x.amount) for x in advice.lines]
    assert advice.opslag_window is not None
    rebuilt = segments_from_decision(
        lines, advice.period_start, advice.period_end, advice.opslag_window
    )
    assert sorted((s.code, s.start, s.end) for s in rebuilt) == sorted(
        (s.code, s.start, s.end) for s in advice.segments
    )


@pytest.mark.parametrize("full_bsn", [False, True])
def test_no_english_or_internal_names_in_the_workbook(
    tmp_path: Path, cases: list[ExportCase], full_bsn: bool
) -> None:
    out = tmp_path / "overzicht.xlsx"
    iwmo = with_product(load_iwmo_settings(), "IB2", productcode="BW002")
    write_overview(out, cases, full_bsn=full_bsn, iwmo=iwmo)
    strings = workbook_strings(out)
    assert "Casussen" in {title for title, _ in strings}
    assert internal_names(strings) == []
    components = {text for sheet, text in strings if sheet == "Regels"}
    assert "Individuele begeleiding 2 met opslag" in components
    assert "Huishoudelijke kosten (onderdeel van huisvesting)" in components
    if full_bsn:  # the real iWmo codes stay codes
        assert {"BW002", "15", "82"} <= {t for s, t in strings if s == "Toewijzingen"}
