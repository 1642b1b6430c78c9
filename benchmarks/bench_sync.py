"""Team mode sync (issue 15): a morning's decided cases over a slow link, the initial pull of a
large scope, applying many rows on a laptop, one server batch, and the bytes on the wire.

    BWO_PG_URL=postgresql+psycopg://bwo:bwo@127.0.0.1:5433/bwo_test \\
        python benchmarks/bench_sync.py [--quick] [--only morning|initial|apply|batch]

Uses a fresh office database on that PostgreSQL (dropped afterwards), the real server
process (`bwo-desktop server init/enrol/run`, mutual TLS) and real encrypted laptop
databases. The slow link is `benchmarks/_netem.py`, a TCP proxy between laptop and server
(1 Mbit/s each way, 150 ms each way; TLS stays end to end). Prints its figures; no
assertions.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "persistence"), str(ROOT / "benchmarks")]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _netem import Netem  # noqa: E402

PASSPHRASE = "correct horse battery staple"  # tests/persistence/persistence_samples.py
MOTIVATIONS = {
    "need_24_7": "Nachtelijke onrust.",
    "can_postpone": "Wachten kan.",
    "regular_ib_fits": "Reguliere IB is te licht.",
}


def _verdict(value: float, target: float, unit: str) -> str:
    return (
        f"{value:.2f} {unit} (target <= {target:g} {unit}: {'PASS' if value <= target else 'over'})"
    )


def _line(name: str, text: str) -> None:
    print(f"{name:<52} {text}", flush=True)


def cli(*argv: str) -> int:
    from bwo_desktop.cli import main

    return main(list(argv))


# -- the office -----------------------------------------------------------------------------
@contextlib.contextmanager
def office_database(base_url: str) -> Iterator[str]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(base_url)
    name = f"bwo_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Office:
    def __init__(self, url: str, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.tls_dir = folder / "tls"
        self.port = free_port()
        self.address = f"127.0.0.1:{self.port}"

    def enrol(self, device: str, team: str, address: str | None = None) -> Path:
        out = self.folder / f"{device}.json"
        code = cli(
            "server", "enrol", "--database-url", self.url, "--tls-dir", str(self.tls_dir),
            "--device", device, "--team", team, "--consultant", "J. Consulent",
            "--out", str(out), "--address", address or self.address,
        )  # fmt: skip
        assert code == 0, "enrol failed"
        return out


@contextlib.contextmanager
def running_office(url: str, folder: Path) -> Iterator[Office]:
    assert cli("server", "init", "--database-url", url) == 0, "server init failed"
    office = Office(url, folder)
    office.tls_dir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log_path = folder / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bwo_desktop", "server", "run", "--database-url", url,
             "--listen", office.address, "--tls-dir", str(office.tls_dir)],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise SystemExit(log_path.read_text())
                with contextlib.suppress(OSError):
                    socket.create_connection(("127.0.0.1", office.port), 1).close()
                    break
                if time.monotonic() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.2)
            yield office
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


# -- laptops and rows -----------------------------------------------------------------------
def make_laptop(folder: Path, name: str, enrolment: Path | None) -> Path:
    from bwo_desktop.services.database import open_database

    path = folder / name / "bwo.db"
    path.parent.mkdir(parents=True)
    open_database(path, PASSPHRASE, create=True).close()
    if enrolment is not None:
        assert cli("team", "join", str(enrolment), "--db", str(path)) == 0, "join failed"
    return path


def decide_a_case(path: Path, n: int) -> str:
    """tests/team/team_support.py: a case made ready and decided, offline."""
    from persistence_samples import full_case

    from bwo_desktop.core.zrm import DOMAIN_KEYS
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService

    with open_database(path, PASSPHRASE) as db:
        svc = CaseService(db, user="J. Consulent")
        case = full_case(n, motivations=dict(MOTIVATIONS))
        assert case.assessment is not None
        case.assessment = copy.deepcopy(case.assessment)
        case.assessment["zrm"] = {k: case.assessment["zrm"].get(k, 4) for k in DOMAIN_KEYS}
        stored = svc.create(case)
        assert stored.id is not None
        DecisionService(svc).finalise(stored.id, stored.version)
        return stored.id


class Rows:
    """Synthetic cases cloned from one decided case: each a client and a herindicatie with
    fresh ids, BSN and kenmerk, sharing one provider per team."""

    def __init__(self, folder: Path) -> None:
        from sqlalchemy import select

        from bwo_desktop.services import sync_rows
        from bwo_desktop.services.database import open_database

        path = make_laptop(folder, "template", None)
        decide_a_case(path, 0)
        self.template: dict[str, dict[str, Any]] = {}
        with open_database(path, PASSPHRASE) as db, db.read() as s:
            for name, table in sync_rows.SYNCED_TABLES.items():
                row = s.execute(select(table)).mappings().one()
                self.template[name] = sync_rows.encode_row(table, row)

    def provider(self) -> dict[str, Any]:
        return {**self.template["zorgaanbieders"], "id": str(uuid.uuid4())}

    def case(self, provider: dict[str, Any], bsn: str, n: int) -> list[dict[str, Any]]:
        client = {**self.template["clients"], "id": str(uuid.uuid4()), "bsn": bsn}
        case = {
            **self.template["herindicaties"],
            "id": str(uuid.uuid4()),
            "client_id": client["id"],
            "provider_id": provider["id"],
            "reference": f"BENCH-{n:06d}",
        }
        return [
            {"table": "clients", "op": "upsert", "row": client},
            {"table": "herindicaties", "op": "upsert", "row": case},
        ]


def bsns(count: int, start: int) -> list[str]:
    from bsn_samples import make_bsns

    return make_bsns(count, start)


def _sync(path: Path) -> Any:
    from bwo_desktop.services import team
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return team.synchronise(db)


@contextlib.contextmanager
def counted_requests() -> Iterator[dict[str, int]]:
    """Counts the laptop's requests per endpoint (`sync_client.Connection.post`)."""
    from bwo_desktop.services import sync_client

    counts: dict[str, int] = {}
    original = sync_client.Connection.post

    def post(self: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
        counts[path] = counts.get(path, 0) + 1
        return original(self, path, body)

    sync_client.Connection.post = post  # type: ignore[method-assign]
    try:
        yield counts
    finally:
        sync_client.Connection.post = original  # type: ignore[method-assign]


# -- the measurements -----------------------------------------------------------------------
def morning(office: Office, folder: Path, cases: int) -> None:
    """A morning's decided cases synced over 1 Mbit/s with 300 ms round trips."""
    with Netem(("127.0.0.1", office.port), rate_bps=1_000_000, delay=0.150) as link:
        enrolment = office.enrol("ochtend", "Ochtend", f"127.0.0.1:{link.port}")
        path = make_laptop(folder, "ochtend", enrolment)
        for n in range(cases):
            decide_a_case(path, n)
        link.reset()
        with counted_requests() as requests:
            start = time.perf_counter()
            report = _sync(path)
            took = time.perf_counter() - start
        wire = link.bytes_up + link.bytes_down
    _line(
        f"morning: {cases} decided cases, 1 Mbit/s, 300 ms RTT",
        _verdict(took, 10, "s") + f"  [{report.batches_pushed} batches, {report.rows_pushed} rows,"
        f" {link.connections} connections]",
    )
    _line(
        "  requests (round trips)",
        f"{sum(requests.values())}: " + ", ".join(f"{k} {v}" for k, v in sorted(requests.items())),
    )
    _line(
        "  bytes on the wire per case (both directions)",
        f"{wire / cases / 1024:.1f} KiB  (up {link.bytes_up / 1024:.0f} KiB,"
        f" down {link.bytes_down / 1024:.0f} KiB in all)",
    )


def initial_pull(office: Office, folder: Path, rows: Rows, cases: int) -> None:
    """A fresh laptop joins a team that holds `cases` cases and syncs, on loopback."""
    from sqlalchemy import create_engine

    from bwo_desktop.server import store

    office.enrol("scope-seed", "Scope")
    engine = create_engine(office.url)
    device = store.Device("scope-seed", "Scope", "J. Consulent")
    provider = rows.provider()
    numbers = bsns(cases, 200_000)
    batch: list[dict[str, Any]] = [{"table": "zorgaanbieders", "op": "upsert", "row": provider}]
    for n, bsn in enumerate(numbers):
        batch += rows.case(provider, bsn, 200_000 + n)
        if len(batch) >= 1000 or n == cases - 1:
            store.push(engine, device, {"batch_id": str(uuid.uuid4()), "rows": batch})
            batch = []
    engine.dispose()

    with Netem(("127.0.0.1", office.port)) as link:
        path = make_laptop(
            folder, "scope", office.enrol("scope", "Scope", f"127.0.0.1:{link.port}")
        )
        start = time.perf_counter()
        report = _sync(path)
        took = time.perf_counter() - start
        wire = link.bytes_up + link.bytes_down
    _line(
        f"initial pull: {cases}-case scope, loopback",
        _verdict(took, 20, "s") + f"  [{report.changes_pulled} changes]",
    )
    _line("  bytes on the wire per case (both directions)", f"{wire / cases / 1024:.1f} KiB")


def apply_rows(folder: Path, rows: Rows, count: int) -> None:
    """`sync_client.apply_page` with synthetic pages of 500 rows on a laptop."""
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    provider = rows.provider()
    changes: list[dict[str, Any]] = [{"table": "zorgaanbieders", "op": "upsert", "row": provider}]
    for n, bsn in enumerate(bsns((count + 1) // 2, 400_000)):
        changes += rows.case(provider, bsn, 400_000 + n)
    changes = changes[:count]
    for seq, change in enumerate(changes, 1):
        change["seq"] = seq
    path = make_laptop(folder, "apply", None)
    page = sync_client.PAGE_SIZE
    with open_database(path, PASSPHRASE) as db:
        start = time.perf_counter()
        for first in range(0, len(changes), page):
            chunk = changes[first : first + page]
            sync_client.apply_page(db, chunk, chunk[-1]["seq"])
        took = time.perf_counter() - start
    _line(
        f"apply: {len(changes)} rows on a laptop",
        _verdict(took, 10, "s") + f"  [{len(changes) / took:.0f} rows/s]",
    )


def server_batch(office: Office, rows: Rows, repeats: int) -> None:
    """One-case batches pushed to the server on loopback, one after another."""
    from bwo_desktop.services import sync_client

    enrolment = sync_client.read_enrolment(office.enrol("batch", "Batch"))
    connection = sync_client.Connection(enrolment)
    provider = rows.provider()
    connection.post(
        "/push",
        {"protocol": 1, "batch_id": str(uuid.uuid4()), "rows": [
            {"table": "zorgaanbieders", "op": "upsert", "row": provider}]},
    )  # fmt: skip
    samples = []
    for n, bsn in enumerate(bsns(repeats, 600_000)):
        body = {"protocol": 1, "batch_id": str(uuid.uuid4()), "rows": rows.case(provider, bsn, n)}
        start = time.perf_counter()
        answer = connection.post("/push", body)
        samples.append(time.perf_counter() - start)
        assert answer.get("status") == "applied"
    samples.sort()
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    _line(
        f"server batch: one-case push x{repeats}, p95",
        _verdict(p95 * 1000, 200, "ms") + f"  [median {statistics.median(samples) * 1000:.1f} ms]",
    )
    # What a laptop sends now: several batches in one request, each its own transaction.
    batches = [
        {"batch_id": str(uuid.uuid4()), "rows": rows.case(provider, bsn, 700_000 + n)}
        for n, bsn in enumerate(bsns(repeats, 700_000))
    ]
    start = time.perf_counter()
    outcomes = connection.post("/push", {"protocol": 1, "batches": batches})["outcomes"]
    took = time.perf_counter() - start
    assert [o.get("status") for o in outcomes] == ["applied"] * repeats
    _line(
        f"server batches: {repeats} one-case batches in one request",
        f"{took * 1000:.0f} ms  [{took * 1000 / repeats:.1f} ms a batch]",
    )


FIGURES = ("morning", "initial", "apply", "batch")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller scope and fewer rows")
    parser.add_argument(
        "--only", choices=FIGURES, action="append", help="only this figure (may be repeated)"
    )
    args = parser.parse_args()
    url = os.environ.get("BWO_PG_URL")
    if not url:
        print("BWO_PG_URL is not set (scripts/pg-test-server.sh starts a server)", file=sys.stderr)
        return 2
    scope, apply_count, repeats = (500, 5_000, 20) if args.quick else (5_000, 50_000, 50)
    folder = Path(tempfile.mkdtemp(prefix="bwo-bench-sync-"))
    os.environ["BWO_PASSPHRASE"] = PASSPHRASE
    os.environ.setdefault("BWO_DATA_DIR", str(folder / "userdata"))
    if args.quick:
        print("--quick: smaller scope and fewer rows than the targets assume")
    wanted = set(args.only or FIGURES)
    with office_database(url) as office_url, running_office(office_url, folder) as office:
        rows = Rows(folder) if wanted - {"morning"} else None
        if "morning" in wanted:
            morning(office, folder, 18)
        if rows is not None and "initial" in wanted:
            initial_pull(office, folder, rows, scope)
        if rows is not None and "apply" in wanted:
            apply_rows(folder, rows, apply_count)
        if rows is not None and "batch" in wanted:
            server_batch(office, rows, repeats)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
