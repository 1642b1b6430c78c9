"""Team mode's row format and the pull's local apply, without a server: a row survives the
JSON round trip exactly, a row that does not fit its table is refused, and a pulled page
lands with its cursor and never in the outbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from team_support import PASSPHRASE, decide_a_case

from bwo_desktop.services import outbox, sync_client, sync_rows
from bwo_desktop.services.database import open_database


def _rows(path: Path) -> list[dict[str, object]]:
    with open_database(path, PASSPHRASE) as db, db.read() as s:
        found = []
        for name, table in sync_rows.SYNCED_TABLES.items():
            for row in s.execute(select(table)).mappings():
                found.append(
                    {"table": name, "op": "upsert", "row": sync_rows.encode_row(table, row)}
                )
        return found


def test_a_decided_case_survives_the_round_trip_and_lands_outside_the_outbox(
    tmp_path: Path,
) -> None:
    source = tmp_path / "a.db"
    open_database(source, PASSPHRASE, create=True).close()
    decide_a_case(source)
    rows = _rows(source)
    assert {r["table"] for r in rows} == set(sync_rows.SYNCED_TABLES)

    target = tmp_path / "b.db"
    with open_database(target, PASSPHRASE, create=True) as db:
        # Cases first in the page: the apply puts parents first itself.
        sync_client.apply_page(db, [{"seq": i, **r} for i, r in enumerate(reversed(rows))], 7)
        assert db.get_meta(sync_client.CURSOR_KEY) == 7
        with db.read() as s:
            assert outbox.pending(s) == []
    assert _rows(target) == rows


def test_a_row_with_a_missing_or_unknown_column_is_refused() -> None:
    table = sync_rows.table_for("clients")
    good = {c.name: None for c in table.columns}
    with pytest.raises(sync_rows.RowError, match="ontbrekend"):
        sync_rows.decode_row(table, {k: v for k, v in good.items() if k != "bsn"})
    with pytest.raises(sync_rows.RowError, match="onbekend"):
        sync_rows.decode_row(table, {**good, "wachtwoord": "x"})
    with pytest.raises(sync_rows.RowError, match="tabel"):
        sync_rows.table_for("audit_log")


def test_server_commands_in_a_laptop_install_say_where_the_server_lives(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The frozen laptop app leaves bwo_desktop.server out: `server …` says so in one Dutch
    line with exit 2, no ImportError traceback."""
    import sys

    from bwo_desktop.cli import main

    monkeypatch.setitem(sys.modules, "bwo_desktop.server", None)
    assert main(["server", "init", "--database-url", "postgresql://x/y"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "kantoorserver" in err and "Traceback" not in err
