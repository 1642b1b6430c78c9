"""Reading planning workbooks: header matching, values, validation, and hostile files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from bsn_samples import make_bsns
from excel_factories import HEADERS, planning_row, write_planning
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from bwo_desktop.core.bsn import is_valid_bsn
from bwo_desktop.imports import planning, xlsx_guard
from bwo_desktop.imports.planning import (
    PlanningFileError,
    PlanningRowsError,
    read_planning,
    read_planning_or_raise,
)
from bwo_desktop.imports.planning_template import write_template

BSNS = make_bsns(20)


def test_template_has_headers_example_and_notes(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "sjabloon.xlsx"
    write_template(path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Planning", "Toelichting"]
    assert [c.value for c in wb["Planning"][1]] == HEADERS
    read = read_planning(path)
    assert read.ok and len(read.rows) == 1
    assert read.rows[0].bsn.startswith("9999")  # the example is fictional


def test_headers_by_name_any_order_case_spacing_and_variants(tmp_path: Path) -> None:
    headers = [
        "  tijdstip ",
        "BURGERSERVICENUMMER",
        "Naam",
        "Voornaam",
        "Geb. datum",
        "Aanbieder",
        "Datum",
        "LOCATIE",
        "E-mail  begeleider",
        "Opmerkingen",  # unknown columns are ignored
    ]
    values = [
        "9.20",
        BSNS[0],
        "Wilde",
        "Mila",
        "17-05-1990",
        "Kompas",
        "11-01-2027",
        "Dordrecht",
        "",
        "x",
    ]
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    ws.append([])  # empty rows are ignored
    ws.append(values)
    ws.append([None, "  "])
    path = tmp_path / "varianten.xlsx"
    wb.save(path)
    read = read_planning(path)
    assert read.errors == []
    (row,) = read.rows
    assert row.row == 3
    assert (row.bsn, row.last_name, row.first_name, row.initials) == (
        BSNS[0],
        "Wilde",
        "Mila",
        None,
    )
    assert row.birth_date == dt.date(1990, 5, 17)
    assert (row.date, row.time, row.location) == (dt.date(2027, 1, 11), dt.time(9, 20), "Dordrecht")
    assert row.begeleider_email is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (dt.time(9, 20), dt.time(9, 20)),
        ("9:20", dt.time(9, 20)),
        ("09.20", dt.time(9, 20)),
        ("14u05", dt.time(14, 5)),
        (0.5, dt.time(12, 0)),
    ],
)
def test_times(tmp_path: Path, cell: Any, expected: dt.time) -> None:
    path = write_planning(tmp_path / "t.xlsx", [planning_row(BSNS[0], Tijd=cell)])
    assert read_planning_or_raise(path)[0].time == expected


def test_bsn_typed_as_number_keeps_its_leading_zero(tmp_path: Path) -> None:
    bsn = next(b for b in (f"0{n:08d}" for n in range(10_000_000, 10_100_000)) if is_valid_bsn(b))
    path = write_planning(tmp_path / "nul.xlsx", [planning_row(int(bsn))])
    assert read_planning_or_raise(path)[0].bsn == bsn


def test_all_row_errors_are_collected(tmp_path: Path) -> None:
    rows = [
        planning_row(BSNS[0]),
        planning_row("123456789"),  # fails the 11-proef
        planning_row(BSNS[1], **{"Geboortedatum": "31-02-1990", "Tijd": "25:00"}),
        planning_row(BSNS[2], Achternaam=None, Voorletters=None, Voornaam=None, Locatie="  "),
        planning_row(BSNS[0]),  # same BSN and date as row 2
        planning_row(BSNS[0], day=12, Geboortedatum=dt.date(1991, 1, 1)),
        planning_row(BSNS[3], **{"E-mail begeleider": "geen-mail", "Datum gesprek": 45000}),
    ]
    path = write_planning(tmp_path / "fout.xlsx", rows)
    read = read_planning(path)
    assert read.rows == []  # nothing usable when anything is wrong
    found = {(e.row, e.column) for e in read.errors}
    assert {
        (3, "BSN"),
        (4, "Geboortedatum"),
        (4, "Tijd"),
        (5, "Achternaam"),
        (5, "Voorletters"),
        (5, "Locatie"),
        (6, "BSN"),
        (7, "Geboortedatum"),
        (8, "E-mail begeleider"),
        (8, "Datum gesprek"),
    } <= found
    lines = [str(e) for e in read.errors]
    # Each line names whose row it is (issue 14), so a consultant finds it in the list.
    assert "rij 3 (Wilde, M. de): BSN: ongeldig BSN (11-proef): '123456789'" in lines
    assert any(
        line.startswith("rij 6 (Wilde, M. de): BSN: dubbel") and "rij 2" in line for line in lines
    )
    with pytest.raises(PlanningRowsError) as info:
        read_planning_or_raise(path)
    assert len(info.value.errors) == len(read.errors)


def test_missing_and_duplicate_columns(tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h not in ("Tijd", "Voorletters", "Voornaam")] + ["BSN"]
    path = write_planning(tmp_path / "kolommen.xlsx", [planning_row(BSNS[0])], headers=headers)
    read = read_planning(path)
    messages = [str(e) for e in read.errors]
    assert "rij 1: Tijd: kolom ontbreekt" in messages
    assert "rij 1: Voorletters: kolom ontbreekt (of Voornaam)" in messages
    assert any("kolom komt twee keer voor" in m for m in messages)


# ------------------------------------------------------------------------------ hostile files


def _refused(path: Path, fragment: str) -> None:
    with pytest.raises(PlanningFileError) as info:
        read_planning(path)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "lijst.xlsx"
    path.write_text("BSN;Naam\n123;x\n", encoding="utf-8")
    _refused(path, "geen Excel-werkmap")


def test_ole_file_encrypted_or_legacy_xls(tmp_path: Path) -> None:
    path = tmp_path / "beveiligd.xlsx"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024)
    _refused(path, "wachtwoord-beveiligd of in het oude .xls-formaat")


def test_corrupt_zip(tmp_path: Path) -> None:
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    _refused(path, "beschadigd")


@pytest.mark.parametrize("content", [b"BSN;Naam\n123;x\n", b"PK\x03\x04" + b"\x00garbage" * 100])
def test_a_non_workbook_gets_advice_not_zip_jargon(tmp_path: Path, content: bytes) -> None:
    """Issue 14: a CSV or a broken file said "geen geldig zip-archief"; a consultant needs
    to know what to do."""
    path = tmp_path / "lijst.xlsx"
    path.write_bytes(content)
    with pytest.raises(PlanningFileError) as info:
        read_planning(path)
    assert "zip" not in str(info.value).lower()
    assert "Opslaan als" in str(info.value) and "Excel-werkmap (.xlsx)" in str(info.value)


def test_truncated_workbook(tmp_path: Path) -> None:
    good = write_planning(tmp_path / "goed.xlsx", [planning_row(BSNS[0])])
    data = good.read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _refused(path, "beschadigd")


def test_zip_without_workbook(tmp_path: Path) -> None:
    path = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "hallo")
    _refused(path, "geen Excel-werkmap")


def test_zip_bomb_member_sizes_checked_before_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_planning(tmp_path / "bom.xlsx", [planning_row(BSNS[0])])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/opvulling.bin", b"\0" * 3_000_000)  # ratio ~1000:1

    def never(*_: object, **__: object) -> None:
        raise AssertionError("parsed a zip bomb")

    monkeypatch.setattr(planning, "_open_sheet", never)
    _refused(path, "zip-bom")


def test_total_uncompressed_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_guard, "MAX_UNCOMPRESSED_BYTES", 5_000)
    path = write_planning(tmp_path / "groot.xlsx", [planning_row(BSNS[0])])
    _refused(path, "onredelijke omvang")


def test_formulas_are_refused(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    row = planning_row(BSNS[0])
    values = [row[h] for h in HEADERS]
    values[HEADERS.index("Locatie")] = '=CONCATENATE("Dord","recht")'
    ws.append(values)
    path = tmp_path / "formule.xlsx"
    wb.save(path)
    _refused(path, "formule")


def test_row_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "MAX_ROWS", 5)
    rows = [planning_row(b) for b in BSNS[:6]]
    _refused(write_planning(tmp_path / "veel.xlsx", rows), "te veel rijen")
    assert len(read_planning(write_planning(tmp_path / "vijf.xlsx", rows[:5])).rows) == 5


def test_huge_sheet_beyond_the_real_cap(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Planning")
    ws.append(HEADERS)
    for i in range(planning.MAX_ROWS + 10):
        ws.append(["999900018", f"N{i}", None, "A."])
    path = tmp_path / "enorm.xlsx"
    wb.save(path)
    _refused(path, "te veel rijen")


def test_data_beyond_the_column_cap_and_lying_dimension(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append([planning_row(BSNS[0])[h] for h in HEADERS])
    ws.cell(row=2, column=planning.MAX_COLUMNS + 5, value="verstopt")
    path = tmp_path / "breed.xlsx"
    wb.save(path)
    _refused(path, "voorbij kolom")


def test_declared_dimension_does_not_pad_rows(tmp_path: Path) -> None:
    """A sheet claiming A1:XFD1048576 must not make the reader pad rows to that size."""
    path = write_planning(tmp_path / "dim.xlsx", [planning_row(BSNS[0])])
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                start = text.index("<dimension ref=")
                end = text.index("/>", start)
                data = (text[:start] + '<dimension ref="A1:XFD1048576"' + text[end:]).encode()
            dst.writestr(item, data)
    path.write_bytes(buffer.getvalue())
    read = read_planning(path)
    assert read.ok and len(read.rows) == 1


def test_error_cells_are_reported(tmp_path: Path) -> None:
    path = write_planning(tmp_path / "nvt.xlsx", [planning_row(BSNS[0], Locatie="#N/A")])
    read = read_planning(path)
    assert [str(e) for e in read.errors] == [
        "rij 2 (Wilde, M. de): Locatie: foutwaarde in de cel (#N/A)"
    ]


# ------------------------------------------------------------------------------ fuzzing

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.times(),
    st.booleans(),
    st.sampled_from(["31-02-2020", "9:99", "01-01-2027", "999900018", "=1+1", "#DIV/0!"]),
)


def _clean(value: Any) -> Any:
    """openpyxl refuses control characters on write; a hostile file would have to hand-craft them."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(cell_values, min_size=0, max_size=len(HEADERS)), max_size=6))
def test_fuzzed_cells_are_accepted_or_refused_clearly(
    tmp_path: Path, rows: list[list[Any]]
) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append([_clean(v) for v in row])
    path = tmp_path / "fuzz.xlsx"
    wb.save(path)
    try:
        read = read_planning(path)
    except PlanningFileError as exc:
        assert str(exc).strip() and "\n" not in str(exc)
        return
    for error in read.errors:
        assert error.row >= 1 and error.column and error.reason
    if read.errors:
        assert read.rows == []


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=2000).map(lambda b: b"PK\x03\x04" + b),
        st.binary(max_size=500).map(lambda b: bytes.fromhex("D0CF11E0A1B11AE1") + b),
    )
)
def test_random_bytes_are_refused_clearly(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "willekeurig.xlsx"
    path.write_bytes(data)
    with pytest.raises(PlanningFileError) as info:
        read_planning(path)
    assert str(info.value).strip() and "\n" not in str(info.value)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=255))
def test_damaged_real_workbooks_never_crash(tmp_path: Path, cut: int, flip: int) -> None:
    good = write_planning(tmp_path / "basis.xlsx", [planning_row(BSNS[0]), planning_row(BSNS[1])])
    data = bytearray(good.read_bytes())
    index = cut % len(data)
    data[index] ^= flip or 1
    path = tmp_path / "beschadigd.xlsx"
    path.write_bytes(bytes(data))
    try:
        read = read_planning(path)
    except PlanningFileError:
        return
    assert read.ok or read.errors


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheets_are_refused(tmp_path: Path, state: str) -> None:
    """Issue 12: only what Excel shows is imported. A hidden sheet of rows (or a very-hidden
    one that Excel's menus do not even list) must not slip cases into the import."""
    bsns = make_bsns(2)
    path = write_planning(tmp_path / "p.xlsx", [planning_row(bsns[0])])
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    extra = workbook.create_sheet("Extra")
    extra.append(HEADERS)
    extra.append([planning_row(bsns[1]).get(h) for h in HEADERS])
    extra.sheet_state = state
    workbook.save(path)
    with pytest.raises(PlanningFileError, match="verborgen werkbladen \\('Extra'\\)"):
        planning.read_planning(path)


def test_hidden_rows_are_refused(tmp_path: Path) -> None:
    bsns = make_bsns(3)
    path = write_planning(
        tmp_path / "p.xlsx", [planning_row(b, day=11 + i) for i, b in enumerate(bsns)]
    )
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    workbook["Planning"].row_dimensions[3].hidden = True
    workbook.save(path)
    with pytest.raises(PlanningFileError, match="verborgen rijen \\(3\\)"):
        planning.read_planning(path)
    # The same list with every row visible reads as before.
    workbook["Planning"].row_dimensions[3].hidden = False
    workbook.save(path)
    assert len(planning.read_planning(path).rows) == 3
