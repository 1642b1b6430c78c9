"""Fixtures for the persistence tests: an encrypted SQLite database, and PostgreSQL when
`BWO_PG_URL` points at a reachable server (each test gets its own schema).

Without a reachable server the PostgreSQL variants are skipped with the reason, unless
`BWO_REQUIRE_PG=1` (CI), which turns that into a failure. `scripts/pg-test-server.sh`
starts a local one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
from persistence_samples import PASSPHRASE

ENGINES = ["sqlite", pytest.param("pg", marks=pytest.mark.pg)]

_pg_status: tuple[bool, str] | None = None


def pg_available() -> tuple[bool, str]:
    """(reachable, reason). Cached: one connection attempt per session."""
    global _pg_status
    if _pg_status is not None:
        return _pg_status
    url = os.environ.get("BWO_PG_URL")
    if not url:
        _pg_status = (False, "BWO_PG_URL is not set (scripts/pg-test-server.sh starts a server)")
        return _pg_status
    from sqlalchemy import create_engine, text

    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        _pg_status = (True, "")
    except Exception as exc:
        _pg_status = (False, f"PostgreSQL at BWO_PG_URL not reachable: {type(exc).__name__}")
    finally:
        engine.dispose()
    return _pg_status


def require_pg() -> str:
    ok, reason = pg_available()
    if not ok:
        if os.environ.get("BWO_REQUIRE_PG") == "1":
            pytest.fail(f"BWO_REQUIRE_PG=1 but {reason}")
        pytest.skip(reason)
    return os.environ["BWO_PG_URL"]


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh, empty schema, dropped afterwards."""
    from sqlalchemy import create_engine, text

    base = require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    parts = urlsplit(base)
    query = "&".join(
        q for q in (parts.query, urlencode({"options": f"-csearch_path={schema}"})) if q
    )
    try:
        yield urlunsplit(parts._replace(query=query))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bwo.db"


@pytest.fixture(params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def open_db(
    engine_name: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], object]]:
    """Opens a fresh, migrated database of the parametrised engine (closed afterwards)."""
    from bwo_desktop.services.database import Database, open_database, open_url

    opened: list[Database] = []

    def factory() -> Database:
        if engine_name == "pg":
            url = request.getfixturevalue("pg_schema_url")
            db = open_url(url)
        else:
            db = open_database(tmp_path / "bwo.db", PASSPHRASE, create=True)
        opened.append(db)
        return db

    yield factory
    for db in opened:
        db.close()


@pytest.fixture
def db(open_db: Callable[[], object]) -> object:
    return open_db()
