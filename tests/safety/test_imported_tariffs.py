"""An imported definitief case keeps its frozen decision only when its `tariffs_used` are
tariff tables this installation knows (built-in or the user's tariff folder: same
valid_from and the same amounts); otherwise it comes in as concept with a warning (issue 12)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from safety_util import CASEFILES, PASSPHRASE, casefile_dicts

from bwo_desktop import paths
from bwo_desktop.cli import main
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import open_database

TARIFF_2027 = CASEFILES.parent / "tariffs" / "2027-05-01.toml"


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)
    path = tmp_path / "bwo.db"
    open_database(path, PASSPHRASE, create=True).close()
    return path


def _import(db_file: Path, data: dict[str, object], tmp_path: Path) -> int:
    case_file = tmp_path / "casus.json"
    case_file.write_text(json.dumps(data), encoding="utf-8")
    return main(["import-case", str(case_file), "--db", str(db_file)])


def _stored_status(db_file: Path) -> str:
    with open_database(db_file, PASSPHRASE) as db:
        (summary,) = CaseService(db).list_summaries()
        return summary.status


def _user_tariff_2027() -> None:
    """The sample case file's second table (fictional 2027 amounts) in the user folder."""
    folder = paths.user_tariffs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(TARIFF_2027, folder / TARIFF_2027.name)


def test_definitief_on_known_tables_stays_definitief(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _user_tariff_2027()  # the 2021 table is built in
    assert _import(db_file, casefile_dicts()["ib_bw_full.json"], tmp_path) == 0
    assert capsys.readouterr().err == ""
    assert _stored_status(db_file) == "definitief"


@pytest.mark.parametrize(
    ("key", "value"),
    [("IB2", "999.99"), ("valid_from", "2020-01-01")],
    ids=["other amounts", "unknown table"],
)
def test_definitief_with_a_foreign_table_comes_in_as_concept(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str
) -> None:
    _user_tariff_2027()
    data = casefile_dicts()["ib_bw_full.json"]
    table = data["tariffs_used"][0]
    if key == "valid_from":
        table["valid_from"] = value
    else:
        table["weekly"][key] = value
    assert _import(db_file, data, tmp_path) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "concept" in err and "tariffs_used[0]" in err
    assert _stored_status(db_file) == "concept"


def test_a_table_only_another_installation_knows_is_not_trusted(
    db_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _import(db_file, casefile_dicts()["ib_bw_full.json"], tmp_path) == 0
    assert "tariffs_used[1] komt niet overeen" in capsys.readouterr().err
    assert _stored_status(db_file) == "concept"
