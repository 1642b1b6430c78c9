"""Tariff tables: strict files, the built-in table, layering and the JSON/TOML shapes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from core_data import DATA_DIR, TARIFF_2027

from bwo_desktop.core.errors import DataFileError, InputError
from bwo_desktop.core.tariffs import (
    BUILTIN_ORIGIN,
    WEEKLY_KEYS,
    TariffBook,
    TariffTable,
    load_tariff_book,
    monthly_to_weekly,
    parse_tariff_file,
    tariff_table_from_dict,
    tariff_table_to_dict,
    tariff_table_to_toml,
)

D = dt.date
INVALID = DATA_DIR / "tariffs_invalid"


def test_builtin_2021_table(book: TariffBook) -> None:
    assert len(book) == 1
    table = book.tables[0]
    assert table.valid_from == D(2021, 1, 1)
    assert table.origin == BUILTIN_ORIGIN
    assert table.source == "Voorstel Doorontwikkeling inkoop BW extramuraal, Inkoop Wmo 2021"
    assert {k: str(v) for k, v in table.weekly.items()} == {
        "IB1": "94.13",
        "IB2": "204.12",
        "IB3": "313.63",
        "IB1_opslag": "124.92",
        "IB2_opslag": "270.88",
        "IB3_opslag": "416.22",
        "bereikbaarheid": "36.88",
        "huishoudelijke_kosten": "50.00",
    }
    assert table.hoge_aftoppingsgrens_per_maand == Decimal("678.66")
    assert table.huisvesting_weekly == Decimal("156.61")
    assert table.rate("huisvesting") == Decimal("156.61")
    assert all(isinstance(v, Decimal) for v in table.weekly.values())


@pytest.mark.parametrize(
    ("monthly", "weekly"),
    [
        ("678.66", "156.61"),  # 156.6138...
        ("764.09", "176.33"),  # 176.3284...
        ("0.13", "0.03"),  # 0.03 exactly
        ("13.00", "3.00"),
        ("2.17", "0.50"),  # 0.5007... half-up boundary region
        ("0.00", "0.00"),
    ],
)
def test_huisvesting_weekly_half_up(monthly: str, weekly: str) -> None:
    assert monthly_to_weekly(Decimal(monthly)) == Decimal(weekly)


def test_huisvesting_weekly_rounds_not_truncates() -> None:
    # × 12 / 52 = × 3 / 13 never lands exactly on half a cent; check rounding up vs truncation.
    assert monthly_to_weekly(Decimal("0.22")) == Decimal("0.05")  # 0.0507... → 0.05
    assert monthly_to_weekly(Decimal("0.24")) == Decimal("0.06")  # 0.0553... → 0.06


def test_parse_example_fixture() -> None:
    table = parse_tariff_file(TARIFF_2027)
    assert table.valid_from == D(2027, 5, 1)
    assert table.source == "Tarievenoverzicht BW 2027"
    assert table.weekly["IB2"] == Decimal("219.45")
    assert table.huisvesting_weekly == Decimal("176.33")
    assert table.origin == str(TARIFF_2027)


def test_source_is_optional(tmp_path: Path) -> None:
    text = TARIFF_2027.read_text(encoding="utf-8").replace(
        'source = "Tarievenoverzicht BW 2027"\n', ""
    )
    table = parse_tariff_file(tmp_path / "x.toml", text)
    assert table.source is None


@pytest.mark.parametrize(
    ("name", "key", "problem"),
    [
        ("unknown_top_key", "remark", "onbekende sleutel"),
        ("unknown_weekly_key", "weekly.IB4", "onbekende sleutel"),
        ("unknown_huisvesting_key", "huisvesting.lage_grens", "onbekende sleutel"),
        ("missing_weekly_key", "weekly.bereikbaarheid", "ontbreekt"),
        ("missing_valid_from", "valid_from", "ontbreekt"),
        ("missing_huisvesting_table", "huisvesting", "ontbreekt"),
        ("missing_huisvesting_limit", "huisvesting.hoge_aftoppingsgrens_per_maand", "ontbreekt"),
        ("date_as_string", "valid_from", "TOML-datum"),
        ("datetime_not_date", "valid_from", "TOML-datum"),
        ("float_amount", "weekly.IB2", "als tekst"),
        ("integer_amount", "weekly.IB2", "als tekst"),
        ("three_decimals", "weekly.IB2", "twee decimalen"),
        ("negative_amount", "weekly.IB2", "geen geldig bedrag"),
        ("not_a_number", "weekly.IB2", "geen geldig bedrag"),
        ("nan_amount", "weekly.IB2", "geen geldig bedrag"),
        ("source_not_text", "source", "tekst"),
        ("weekly_not_table", "weekly", "tabel"),
    ],
)
def test_invalid_tariff_file_names_file_and_key(name: str, key: str, problem: str) -> None:
    path = INVALID / f"{name}.toml"
    with pytest.raises(DataFileError) as info:
        parse_tariff_file(path)
    message = str(info.value)
    assert info.value.path == str(path)
    assert info.value.key == key
    assert message.startswith(f"{path}: {key}: ")
    assert problem in message


@pytest.mark.parametrize("name", ["impossible_date", "duplicate_key", "syntax_error"])
def test_invalid_toml_names_file(name: str) -> None:
    path = INVALID / f"{name}.toml"
    with pytest.raises(DataFileError) as info:
        parse_tariff_file(path)
    assert str(path) in str(info.value)
    assert "ongeldige TOML" in str(info.value)


def test_unreadable_tariff_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as info:
        parse_tariff_file(tmp_path / "missing.toml")
    assert "missing.toml" in str(info.value)


def _table(valid_from: dt.date, ib2: str = "200.00", origin: str = "t") -> TariffTable:
    weekly = dict.fromkeys(WEEKLY_KEYS, Decimal("10.00"))
    weekly["IB2"] = Decimal(ib2)
    return TariffTable(valid_from, None, weekly, Decimal("100.00"), origin)


def test_book_in_force_and_spans() -> None:
    book = TariffBook([_table(D(2023, 1, 1)), _table(D(2021, 1, 1)), _table(D(2022, 6, 1))])
    assert [t.valid_from for t in book.tables] == [D(2021, 1, 1), D(2022, 6, 1), D(2023, 1, 1)]
    assert book.first_valid_from == D(2021, 1, 1)
    assert book.newest is not None and book.newest.valid_from == D(2023, 1, 1)
    assert book.in_force(D(2020, 12, 31)) is None
    assert book.in_force(D(2021, 1, 1)) is book.tables[0]
    assert book.in_force(D(2022, 5, 31)) is book.tables[0]
    assert book.in_force(D(2022, 6, 1)) is book.tables[1]
    assert book.in_force(D(2099, 1, 1)) is book.tables[2]  # projection
    spans = book.spans(D(2022, 5, 30), D(2023, 1, 2))
    assert [(s.start, s.end, s.days) for s in spans] == [
        (D(2022, 5, 30), D(2022, 5, 31), 2),
        (D(2022, 6, 1), D(2022, 12, 31), 214),
        (D(2023, 1, 1), D(2023, 1, 2), 2),
    ]
    with pytest.raises(InputError) as info:
        book.spans(D(2020, 12, 31), D(2021, 1, 5))
    assert info.value.field == "period.start"


def test_empty_book() -> None:
    book = TariffBook([])
    assert book.first_valid_from is None
    assert book.newest is None
    assert book.in_force(D(2027, 1, 1)) is None


def test_layering_builtin_user_extra(tmp_path: Path) -> None:
    user = tmp_path / "tarieven"
    user.mkdir()
    (user / "2027.toml").write_text(TARIFF_2027.read_text(encoding="utf-8"), encoding="utf-8")
    replaced_2021 = TARIFF_2027.read_text(encoding="utf-8").replace(
        "valid_from = 2027-05-01", "vervangt_ingebouwd = true\nvalid_from = 2021-01-01"
    )
    (user / "2021-correctie.toml").write_text(replaced_2021, encoding="utf-8")
    (user / "notes.txt").write_text("geen toml", encoding="utf-8")

    book = load_tariff_book(user_folder=user)
    assert [t.valid_from for t in book.tables] == [D(2021, 1, 1), D(2027, 5, 1)]
    # the user's table with the same valid_from replaced the built-in one
    assert book.tables[0].origin == str(user / "2021-correctie.toml")
    assert book.tables[0].weekly["IB2"] == Decimal("219.45")

    extra1 = tmp_path / "a.toml"
    extra1.write_text(
        TARIFF_2027.read_text(encoding="utf-8").replace('"219.45"', '"1.00"'), encoding="utf-8"
    )
    extra2 = tmp_path / "b.toml"
    extra2.write_text(
        TARIFF_2027.read_text(encoding="utf-8").replace('"219.45"', '"2.00"'), encoding="utf-8"
    )
    book = load_tariff_book([extra1, extra2], user_folder=user)
    assert book.in_force(D(2027, 6, 1)).weekly["IB2"] == Decimal("2.00")  # type: ignore[union-attr]
    book = load_tariff_book([extra2, extra1], user_folder=user)
    assert book.in_force(D(2027, 6, 1)).weekly["IB2"] == Decimal("1.00")  # type: ignore[union-attr]


def test_user_folder_missing_is_empty(tmp_path: Path) -> None:
    book = load_tariff_book(user_folder=tmp_path / "does-not-exist")
    assert len(book) == 1


def test_user_folder_duplicate_valid_from_is_error(tmp_path: Path) -> None:
    text = TARIFF_2027.read_text(encoding="utf-8")
    (tmp_path / "a.toml").write_text(text, encoding="utf-8")
    (tmp_path / "b.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_tariff_book(user_folder=tmp_path)
    assert info.value.key == "valid_from"
    assert "b.toml" in info.value.path
    assert "a.toml" in str(info.value)


def test_bad_file_in_user_folder_is_error(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text(
        (INVALID / "float_amount.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    with pytest.raises(DataFileError) as info:
        load_tariff_book(user_folder=tmp_path)
    assert str(tmp_path / "bad.toml") in str(info.value)
    assert "weekly.IB2" in str(info.value)


def test_dict_round_trip() -> None:
    table = parse_tariff_file(TARIFF_2027)
    data = tariff_table_to_dict(table)
    assert data == {
        "valid_from": "2027-05-01",
        "source": "Tarievenoverzicht BW 2027",
        "weekly": {
            "IB1": "101.20",
            "IB2": "219.45",
            "IB3": "337.18",
            "IB1_opslag": "134.30",
            "IB2_opslag": "291.22",
            "IB3_opslag": "447.47",
            "bereikbaarheid": "39.65",
            "huishoudelijke_kosten": "53.75",
        },
        "huisvesting": {"hoge_aftoppingsgrens_per_maand": "764.09"},
    }
    back = tariff_table_from_dict(data, "tariffs_used[0]")
    assert back.valid_from == table.valid_from
    assert back.weekly == table.weekly
    assert back.hoge_aftoppingsgrens_per_maand == table.hoge_aftoppingsgrens_per_maand
    assert back.source == table.source
    no_source = dict(data)
    del no_source["source"]
    assert tariff_table_from_dict(no_source, "t").source is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(extra=1), "w.extra"),
        (lambda d: d.pop("valid_from"), "w.valid_from"),
        (lambda d: d.update(valid_from="2027-5-1"), "w.valid_from"),
        (lambda d: d.update(valid_from="2027-02-30"), "w.valid_from"),
        (lambda d: d["weekly"].update(IB2=219.45), "w.weekly.IB2"),
        (lambda d: d["weekly"].update(IB2="1.234"), "w.weekly.IB2"),
        (lambda d: d["weekly"].pop("IB3"), "w.weekly.IB3"),
        (lambda d: d["weekly"].update(IB9="1.00"), "w.weekly.IB9"),
        (
            lambda d: d["huisvesting"].pop("hoge_aftoppingsgrens_per_maand"),
            "w.huisvesting.hoge_aftoppingsgrens_per_maand",
        ),
        (lambda d: d.update(huisvesting=None), "w.huisvesting"),
        (lambda d: d.update(source=3), "w.source"),
    ],
)
def test_dict_strict(change: object, field: str) -> None:
    data = tariff_table_to_dict(parse_tariff_file(TARIFF_2027))
    change(data)  # type: ignore[operator]
    with pytest.raises(InputError) as info:
        tariff_table_from_dict(data, "w")
    assert info.value.field == field


def test_toml_round_trip(tmp_path: Path) -> None:
    table = parse_tariff_file(TARIFF_2027)
    text = tariff_table_to_toml(table)
    back = parse_tariff_file(tmp_path / "rt.toml", text)
    assert tariff_table_to_dict(back) == tariff_table_to_dict(table)
    tricky = TariffTable(
        D(2030, 1, 1), 'Bron "x"\\ y\n\u00e9\x7f', table.weekly, Decimal("1.5"), "t"
    )
    back = parse_tariff_file(tmp_path / "t.toml", tariff_table_to_toml(tricky))
    assert back.source == tricky.source
    assert back.hoge_aftoppingsgrens_per_maand == Decimal("1.50")


def test_user_table_replacing_a_builtin_one_with_other_amounts_must_say_so(
    tmp_path: Path,
) -> None:
    from bwo_desktop.core.tariffs import builtin_tariff_folder

    builtin = (builtin_tariff_folder() / "2021-01-01.toml").read_text(encoding="utf-8")
    (tmp_path / "2021.toml").write_text(builtin, encoding="utf-8")  # the same amounts: fine
    assert load_tariff_book(user_folder=tmp_path).tables[0].weekly["IB2"] == Decimal("204.12")
    (tmp_path / "2021.toml").write_text(builtin.replace('"204.12"', '"214.12"'), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_tariff_book(user_folder=tmp_path)
    assert str(tmp_path / "2021.toml") in str(info.value)
    assert "vervangt_ingebouwd" in str(info.value)
    (tmp_path / "2021.toml").write_text(
        "vervangt_ingebouwd = true\n" + builtin.replace('"204.12"', '"214.12"'), encoding="utf-8"
    )
    assert load_tariff_book(user_folder=tmp_path).tables[0].weekly["IB2"] == Decimal("214.12")
    (tmp_path / "2021.toml").write_text('vervangt_ingebouwd = "ja"\n' + builtin, encoding="utf-8")
    with pytest.raises(DataFileError, match="true of false"):
        load_tariff_book(user_folder=tmp_path)
