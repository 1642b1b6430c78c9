"""Team mode test support: a fresh office database on the PostgreSQL of `BWO_PG_URL` (its own
database, dropped afterwards), enrolled laptops, and the server as a real process over TLS.

Without `BWO_PG_URL` these tests skip (fail under `BWO_REQUIRE_PG=1`, as CI sets).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS / "persistence"))

from persistence_samples import PASSPHRASE, full_case  # noqa: E402

MOTIVATIONS = {
    "need_24_7": "Nachtelijke onrust.",
    "can_postpone": "Wachten kan.",
    "regular_ib_fits": "Reguliere IB is te licht.",
}


def _require_pg() -> str:
    url = os.environ.get("BWO_PG_URL")
    reason = "BWO_PG_URL is not set (scripts/pg-test-server.sh starts a server)"
    if url:
        from sqlalchemy import create_engine, text

        engine = create_engine(url, connect_args={"connect_timeout": 5})
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return url
        except Exception as exc:
            reason = f"PostgreSQL at BWO_PG_URL not reachable: {type(exc).__name__}"
        finally:
            engine.dispose()
    if os.environ.get("BWO_REQUIRE_PG") == "1":
        pytest.fail(f"BWO_REQUIRE_PG=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def office_url() -> Iterator[str]:
    """A fresh database for the office, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(_require_pg())
    name = f"bwo_team_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def cli(*argv: str) -> int:
    from bwo_desktop.cli import main

    return main(list(argv))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Office:
    url: str
    tls_dir: Path
    address: str
    enrolments: Path

    def enrol(self, device: str, team: str, consultant: str = "J. Consulent") -> Path:
        out = self.enrolments / f"{device}.json"
        assert (
            cli(
                "server",
                "enrol",
                "--database-url",
                self.url,
                "--tls-dir",
                str(self.tls_dir),
                "--device",
                device,
                "--team",
                team,
                "--consultant",
                consultant,
                "--out",
                str(out),
                "--address",
                self.address,
            )
            == 0
        )
        return out


def start_server(
    office: Office, address: str, log: Path, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`server run` on `office`'s database and CA as a real process listening on `address`
    (`env`: extra environment, such as a test hook); returns once the port answers. Its
    output is appended to `log`."""
    host, port = address.split(":")
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "bwo_desktop", "server", "run"),
                *("--database-url", office.url, "--listen", address),
                *("--tls-dir", str(office.tls_dir)),
            ],
            env={**os.environ, "PYTHONPATH": str(TESTS.parent), **(env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise AssertionError(log.read_text(errors="replace"))
        with contextlib.suppress(OSError), socket.create_connection((host, int(port)), 1):
            return process
        if time.monotonic() > deadline:
            stop_server(process)
            raise AssertionError(f"server on {address} did not start")
        time.sleep(0.2)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextlib.contextmanager
def server_process(
    office: Office, address: str, log: Path, env: dict[str, str] | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """`start_server`, stopped afterwards (if it has not ended already)."""
    process = start_server(office, address, log, env)
    try:
        yield process
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def office(office_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    """`server init` (twice: it is idempotent) and `server run` as a real process."""
    assert cli("server", "init", "--database-url", office_url) == 0
    assert cli("server", "init", "--database-url", office_url) == 0
    folder = tmp_path_factory.mktemp("office")
    office = Office(office_url, folder / "tls", f"127.0.0.1:{free_port()}", folder)
    office.tls_dir.mkdir()
    with server_process(office, office.address, folder / "server.log"):
        yield office


@pytest.fixture
def laptop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Makes an encrypted laptop database joined with an enrolment file; returns its path."""
    from bwo_desktop.services.database import open_database

    monkeypatch.setenv("BWO_PASSPHRASE", PASSPHRASE)

    def make(name: str, enrolment: Path) -> Path:
        path = tmp_path / name / "bwo.db"
        path.parent.mkdir()
        open_database(path, PASSPHRASE, create=True).close()
        assert cli("team", "join", str(enrolment), "--db", str(path)) == 0
        return path

    return make


def _a_case(n: int) -> Any:
    from bwo_desktop.core.zrm import DOMAIN_KEYS

    case = full_case(n, motivations=dict(MOTIVATIONS))
    assert case.assessment is not None
    case.assessment = copy.deepcopy(case.assessment)
    case.assessment["zrm"] = {k: case.assessment["zrm"].get(k, 4) for k in DOMAIN_KEYS}
    return case


def concept_case(path: Path, n: int = 0) -> str:
    """Offline on this laptop: a concept case made ready, not decided (one local
    transaction, so one outbox batch). Its id."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        stored = CaseService(db, user="J. Consulent").create(_a_case(n))
        assert stored.id is not None
        return stored.id


def decide_a_case(path: Path, n: int = 0) -> str:
    """Offline on this laptop: a case made ready and decided (definitief). Its id."""
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="J. Consulent")
        stored = svc.create(_a_case(n))
        assert stored.id is not None
        final = DecisionService(svc).finalise(stored.id, stored.version)
        assert final.status == "definitief"
        return stored.id


@functools.cache
def _office_engine(url: str) -> Any:
    """One pool per office database (the office fixture drops it WITH (FORCE))."""
    from sqlalchemy import create_engine

    return create_engine(url)


def office_rows(office: Office, team: str, sql: str, **params: Any) -> list[Any]:
    """The rows of `sql` at the office, read as `team` (row-level security binds the owner)."""
    from sqlalchemy import text

    with _office_engine(office.url).begin() as conn:
        conn.execute(text("SELECT set_config('bwo.team', :t, true)"), {"t": team})
        return list(conn.execute(text(sql), params).all())


def pending_batches(path: Path) -> list[uuid.UUID]:
    """The laptop's unacknowledged outbox batches, in local order."""
    from bwo_desktop.services import outbox
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        return list(dict.fromkeys(e.batch_id for e in outbox.pending(s)))
