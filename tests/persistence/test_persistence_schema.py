"""Migrations: an empty database upgraded to head has exactly the models' schema, and a
database at every revision, with data, upgrades to head without losing a row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from persistence_samples import PASSPHRASE
from persistence_seeders import SEEDERS
from sqlalchemy import Engine, String, Uuid, column, create_engine, inspect, select, table
from sqlalchemy.engine import Connection

from bwo_desktop.models import Base, migrate


@pytest.fixture
def raw_engine(
    engine_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Engine]:
    """An engine on an empty database without the app's open logic (SQLCipher for sqlite)."""
    if engine_name == "pg":
        engine = create_engine(request.getfixturevalue("pg_schema_url"))
    else:
        from bwo_desktop.services import keys
        from bwo_desktop.services.database import _sqlcipher_engine

        path = tmp_path / "raw.db"
        engine = _sqlcipher_engine(path, keys.create_key_file(keys.key_file_for(path), PASSPHRASE))
    yield engine
    engine.dispose()


def _diff(conn: Connection) -> list[object]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


def test_upgrade_from_empty_gives_models_schema(raw_engine: Engine) -> None:
    with raw_engine.begin() as conn:
        migrate.upgrade(conn)
    with raw_engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert _diff(conn) == []
        tables = set(inspect(conn).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_every_revision_has_a_seeder() -> None:
    missing = [r for r in migrate.known_revisions() if r not in SEEDERS]
    assert not missing, f"add a seeder in tests/persistence/persistence_seeders.py for {missing}"


@pytest.mark.parametrize("revision", migrate.known_revisions())
def test_database_at_every_revision_upgrades_without_losing_rows(
    raw_engine: Engine, revision: str
) -> None:
    with raw_engine.begin() as conn:
        migrate.upgrade(conn, revision)
    with raw_engine.begin() as conn:
        written = SEEDERS[revision](conn)
    with raw_engine.begin() as conn:
        migrate.upgrade(conn)
    with raw_engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        for table_name, keys in written.items():
            pk = inspect(conn).get_pk_constraint(table_name)["constrained_columns"][0]
            key_type = Uuid() if pk == "id" else String()
            t = table(table_name, column(pk, key_type))
            found = set(conn.execute(select(t.c[pk])).scalars())
            assert set(keys) <= found, f"rows lost in {table_name}"
        assert _diff(conn) == []


def test_revisions_form_one_line() -> None:
    heads = migrate.script_directory().get_heads()
    assert len(heads) == 1, f"several heads: {heads} (merge them)"
