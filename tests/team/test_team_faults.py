"""Team mode under faults (issue 15): the real server process, laptops syncing through a
proxy that cuts the connection, laptops killed at named points, skewed clocks, two server
processes on one office database, and a server process killed mid-batch.

After every fault, and a following sync without it, these hold:
- every committed local change is applied at the office or still in the outbox;
- no batch is applied twice (`server_changes` per batch = its stored outcome, once);
- replicas converge (laptop A's decided case arrives once on laptop B of its team);
- a definitief case never changes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import random
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from team_support import (
    PASSPHRASE,
    TESTS,
    Office,
    cli,
    decide_a_case,
    free_port,
    server_process,
)
from team_support import office_rows as _office_rows
from team_support import pending_batches as _pending_batches

pytestmark = pytest.mark.pg

SEED = 15
# A BSN is unique over the whole office (docs/team-mode.md, "Known limit"): one per case.
_CASES = itertools.count(10)


def _decide(path: Path) -> str:
    return decide_a_case(path, next(_CASES))


# -- a proxy that cuts ---------------------------------------------------------------------
class CuttingProxy:
    """A TCP proxy to the office. A cut closes both sides once `limit` bytes have passed in
    one direction (counted over all connections since `arm`, so offsets land in the TLS
    handshake, a request or an answer of any of the sync's requests), or when `cut_down`
    says so before a chunk from the office is passed on. After a cut the proxy refuses
    every connection until it is disarmed: the network is gone."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.listener.getsockname()[1]}"
        self.lock = threading.Lock()
        self.disarm()
        threading.Thread(target=self._accept, daemon=True).start()

    def disarm(self) -> None:
        with self.lock:
            self.limit: dict[str, int | None] = {"up": None, "down": None}
            self.passed = {"up": 0, "down": 0}
            self.cut_down: Callable[[], bool] | None = None
            self.cut = False

    def arm(
        self,
        direction: str | None = None,
        offset: int = 0,
        cut_down: Callable[[], bool] | None = None,
    ) -> None:
        self.disarm()
        with self.lock:
            if direction is not None:
                self.limit[direction] = offset
            self.cut_down = cut_down

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut:
                client.close()
                continue
            server = socket.create_connection(self.target)
            pair = (client, server)
            threading.Thread(
                target=self._pipe, args=(client, server, "up", pair), daemon=True
            ).start()
            threading.Thread(
                target=self._pipe, args=(server, client, "down", pair), daemon=True
            ).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, direction: str, pair: Any) -> None:
        try:
            while True:
                chunk = src.recv(65536)
                if not chunk:
                    break
                with self.lock:
                    if self.cut:
                        break
                    limit, passed = self.limit[direction], self.passed[direction]
                    if direction == "down" and self.cut_down is not None and self.cut_down():
                        self.cut = True
                        break
                    if limit is not None and passed + len(chunk) > limit:
                        chunk = chunk[: limit - passed]
                        self.cut = True
                    self.passed[direction] += len(chunk)
                if chunk:
                    dst.sendall(chunk)
                if self.cut:
                    break
        except OSError:
            pass
        finally:
            for s in pair:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()

    def close(self) -> None:
        self.listener.close()


@pytest.fixture(scope="module")
def proxy(office: Office) -> Iterator[CuttingProxy]:
    host, port = office.address.split(":")
    p = CuttingProxy((host, int(port)))
    yield p
    p.close()


# -- the invariants ------------------------------------------------------------------------
def _batches_applied(office: Office, team: str) -> int:
    return int(_office_rows(office, team, "SELECT count(*) FROM server_batches")[0][0])


def _local_state(path: Path) -> tuple[dict[tuple[str, uuid.UUID], int], set[tuple[str, uuid.UUID]]]:
    """Every synced row of the laptop with its version, and the rows still in its outbox."""
    from bwo_desktop.services import outbox, sync_rows
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db, db.read() as s:
        rows = {
            (name, r.id): r.version
            for name, table in sync_rows.SYNCED_TABLES.items()
            for r in s.execute(text(f"SELECT id, version FROM {name}")).all()
        }
        pending = {(e.table_name, e.row_id) for e in outbox.pending(s)}
    return {(n, uuid.UUID(str(i))): v for (n, i), v in rows.items()}, {
        (n, uuid.UUID(str(i))) for n, i in pending
    }


def check_invariants(office: Office, team: str, *laptops: Path) -> None:
    from bwo_desktop.services import sync_rows

    # Every committed local change is at the office (at least that version) or still queued.
    for path in laptops:
        rows, pending = _local_state(path)
        for (name, row_id), version in rows.items():
            if (name, row_id) in pending:
                continue
            assert name in sync_rows.SYNCED_TABLES
            found = _office_rows(
                office,
                team,
                f"SELECT version FROM {name} WHERE id = :i",
                i=row_id,
            )
            assert found and found[0][0] >= version, (name, "lost at the office")
    # No batch applied twice: each batch's changes are its stored outcome's, once.
    per_batch = dict(
        _office_rows(
            office, team, "SELECT batch_id, count(*) FROM server_changes GROUP BY batch_id"
        )
    )
    stored = _office_rows(office, team, "SELECT batch_id, outcome FROM server_batches")
    assert len(stored) == len({b for b, _ in stored})
    assert set(per_batch) <= {b for b, _ in stored}
    for batch_id, outcome in stored:
        assert per_batch.get(batch_id, 0) == outcome["applied"]
        first, last = outcome["changes"]
        if outcome["applied"]:
            assert last - first + 1 >= outcome["applied"]
    pushes = _office_rows(office, team, "SELECT count(*) FROM server_audit WHERE action = 'push'")
    assert pushes[0][0] == len(stored)


def _cases_on(path: Path) -> dict[str, dict[str, Any]]:
    """Every case on the laptop as a synced row (one open: opening costs a key derivation)."""
    from bwo_desktop.services import sync_rows
    from bwo_desktop.services.database import open_database

    table = sync_rows.table_for("herindicaties")
    with open_database(path, PASSPHRASE) as db, db.read() as s:
        rows = s.execute(table.select()).mappings().all()
        return {str(r["id"]): sync_rows.encode_row(table, r) for r in rows}


def _case_row(path: Path, case_id: str) -> dict[str, Any] | None:
    return _cases_on(path).get(case_id)


def check_converged(office: Office, team: str, a: Path, b: Path, *case_ids: str) -> None:
    """A's decided cases are on B once each, identical (definitief unchanged), and at the
    office in that version."""
    cases_a, cases_b = _cases_on(a), _cases_on(b)
    for case_id in case_ids:
        on_a, on_b = cases_a.get(case_id), cases_b.get(case_id)
        assert on_a is not None and on_b == on_a and on_a["status"] == "definitief"
        same = [r for r in cases_b.values() if r["reference"] == on_a["reference"]]
        assert len(same) == 1
        at_office = _office_rows(
            office, team, "SELECT status, version FROM herindicaties WHERE id = :i", i=case_id
        )
        assert at_office == [("definitief", on_a["version"])]
    check_invariants(office, team, a, b)


def _sync(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = cli("sync", "--db", str(path))
    return code, capsys.readouterr().err.strip().splitlines()


def _enrol_via(office: Office, address: str, device: str, team: str) -> Path:
    return dataclasses.replace(office, address=address).enrol(device, team)


# -- 1. a connection cut after N bytes ------------------------------------------------------
def _cut_offsets() -> list[tuple[str, int]]:
    """Seeded offsets over one sync of laptop A (hello, one push request of the case's two
    batches, the audit chain, one pull: about 10.8 kB up and 14.8 kB down, TLS handshakes
    included, as measured with a push request per batch; an offset past the end lets the
    sync pass): in a handshake, a request, an answer."""
    rng = random.Random(SEED)
    spans = {
        "up": ((1, 2500), (2500, 7000), (7000, 10800)),
        "down": ((1, 3500), (3500, 9000), (9000, 14700)),
    }
    return [(d, rng.randrange(lo, hi)) for d, ranges in spans.items() for lo, hi in ranges]


@pytest.mark.parametrize(("direction", "offset"), _cut_offsets())
def test_a_cut_connection_fails_in_dutch_and_the_next_sync_converges(
    office: Office,
    proxy: CuttingProxy,
    laptop: Any,
    capsys: pytest.CaptureFixture[str],
    direction: str,
    offset: int,
) -> None:
    team = f"Cut-{direction}-{offset}"
    a = laptop("a", _enrol_via(office, proxy.address, f"cut-a-{direction}-{offset}", team))
    b = laptop("b", _enrol_via(office, proxy.address, f"cut-b-{direction}-{offset}", team))
    case_id = _decide(a)

    proxy.arm(direction, offset)
    code, err = _sync(a, capsys)
    was_cut = proxy.cut
    proxy.disarm()
    if was_cut:  # a big offset may pass the whole sync
        assert code == 2, err
        assert len(err) == 1 and err[0].startswith("bwo-desktop sync: fout:"), err
        assert "Traceback" not in err[0]
    check_invariants(office, team, a)

    code, err = _sync(a, capsys)
    assert code == 0, (was_cut, err)
    proxy.arm(direction, offset)
    _sync(b, capsys)  # B may be cut too, mid pull
    proxy.disarm()
    assert _sync(b, capsys)[0] == 0
    check_converged(office, team, a, b, case_id)


def test_a_cut_after_the_office_committed_the_push_gets_the_stored_outcome(
    office: Office, proxy: CuttingProxy, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    team = "Cut-after-commit"
    a = laptop("a", _enrol_via(office, proxy.address, "cut-commit-a", team))
    b = laptop("b", _enrol_via(office, proxy.address, "cut-commit-b", team))
    case_id = _decide(a)
    assert _batches_applied(office, team) == 0
    local_batches = _pending_batches(a)

    # The answer of the push is dropped once the office has committed its batches (one
    # request carries all of them: the create and the finalise of the case).
    proxy.arm(cut_down=lambda: _batches_applied(office, team) > 0)
    code, err = _sync(a, capsys)
    proxy.disarm()
    assert code == 2 and len(err) == 1, err
    first = dict(_office_rows(office, team, "SELECT batch_id, outcome FROM server_batches"))
    assert {str(b) for b in first} == {str(b) for b in local_batches}
    assert _pending_batches(a) == local_batches  # the laptop never heard: still queued

    assert _sync(a, capsys)[0] == 0  # the resend gets the stored outcomes
    stored = dict(_office_rows(office, team, "SELECT batch_id, outcome FROM server_batches"))
    assert stored == first
    assert _pending_batches(a) == []
    from bwo_desktop.services.database import open_database

    with open_database(a, PASSPHRASE) as db:
        assert db.get_meta("team.receipt")["seq"] == len(local_batches)
    assert _sync(b, capsys)[0] == 0
    check_converged(office, team, a, b, case_id)


# -- 2. a laptop killed at named points ------------------------------------------------------
def _sync_process(path: Path, kill_at: str | None = None) -> subprocess.CompletedProcess[str]:
    """`bwo-desktop sync --db PAD` as its own process, ended at `kill_at` (sync_client's
    BWO_SYNC_KILL_AT hook: os._exit(9), as a laptop losing power)."""
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent), "BWO_PASSPHRASE": PASSPHRASE}
    env.pop("BWO_SYNC_KILL_AT", None)
    if kill_at is not None:
        env["BWO_SYNC_KILL_AT"] = kill_at
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", "sync", "--db", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _cursor(path: Path) -> int:
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return int(db.get_meta("team.cursor", 0) or 0)


def test_a_laptop_killed_after_the_push_answer_resends_and_gets_the_stored_outcome(
    office: Office, laptop: Any
) -> None:
    team = "Kill-ack"
    a = laptop("a", office.enrol("kill-ack-a", team))
    b = laptop("b", office.enrol("kill-ack-b", team))
    case_id = _decide(a)
    local_batches = _pending_batches(a)

    killed = _sync_process(a, "after_push_ack")
    assert killed.returncode == 9, killed.stderr
    # The office applied the batches of the first push request (all of them: one request
    # carries several); the laptop died before recording the answer.
    assert {
        str(b) for (b,) in _office_rows(office, team, "SELECT batch_id FROM server_batches")
    } == {str(b) for b in local_batches}
    assert _pending_batches(a) == local_batches
    check_invariants(office, team, a)

    done = _sync_process(a)
    assert done.returncode == 0, done.stderr
    assert _pending_batches(a) == []
    assert _batches_applied(office, team) == len(local_batches)
    assert _sync_process(b).returncode == 0
    check_converged(office, team, a, b, case_id)


def test_a_laptop_killed_mid_page_keeps_nothing_of_it_and_pulls_it_again(
    office: Office, laptop: Any
) -> None:
    team = "Kill-page"
    a = laptop("a", office.enrol("kill-page-a", team))
    b = laptop("b", office.enrol("kill-page-b", team))
    case_id = _decide(a)
    assert _sync_process(a).returncode == 0

    killed = _sync_process(b, "mid_page")
    assert killed.returncode == 9, killed.stderr
    assert _cursor(b) == 0 and _case_row(b, case_id) is None  # the page was not half-applied
    rows, _pending = _local_state(b)
    assert rows == {}

    done = _sync_process(b)
    assert done.returncode == 0, done.stderr
    assert _cursor(b) > 0
    check_converged(office, team, a, b, case_id)


# -- 3. clocks a week off ---------------------------------------------------------------------
def test_clocks_a_week_off_still_sync_and_the_skew_is_reported(
    office: Office, laptop: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    from bwo_desktop.models import utcnow
    from bwo_desktop.services import sync_client

    team = "Klok"
    a = laptop("a", office.enrol("klok-a", team))
    b = laptop("b", office.enrol("klok-b", team))
    on_a, on_b = _decide(a), _decide(b)

    def sync_with_clock(path: Path, days: int) -> str:
        capsys.readouterr()
        with monkeypatch.context() as m:
            m.setattr(sync_client, "utcnow", lambda: utcnow() + dt.timedelta(days=days))
            code = cli("sync", "--db", str(path))
        out, err = capsys.readouterr()
        assert code == 0, err
        return out

    ahead = sync_with_clock(a, 7)
    assert "loopt 7.0 dagen voor op die van het kantoor" in ahead
    behind = sync_with_clock(b, -7)  # B's clock is behind A's by two weeks: B still gets A's
    assert "loopt 7.0 dagen achter op die van het kantoor" in behind
    assert sync_with_clock(a, 7)
    check_converged(office, team, a, b, on_a)
    check_converged(office, team, b, a, on_b)
    # The cursor is the office's change sequence, whatever the clocks said.
    head = _office_rows(office, team, "SELECT max(seq) FROM server_changes")[0][0]
    assert _cursor(a) == head and _cursor(b) == head
    from bwo_desktop.services.database import open_database

    with open_database(a, PASSPHRASE) as db:
        report = sync_client.sync(db)
    assert report.clock_skew_seconds is not None and abs(report.clock_skew_seconds) < 60
    assert report.notes == []


# -- 4. two server processes on one office database ------------------------------------------
@pytest.fixture(scope="module")
def second_server(office: Office) -> Iterator[str]:
    """A second `server run` on the same database and CA, on its own port: its address."""
    address = f"127.0.0.1:{free_port()}"
    with server_process(office, address, office.enrolments / "server2.log"):
        yield address


def _point_at(path: Path, address: str) -> None:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        enrolment = {**sync_client.enrolment_of(db), "server": f"https://{address}"}
        db.set_meta(sync_client.ENROLMENT_KEY, enrolment)


def test_two_server_processes_behave_as_one(
    office: Office, second_server: str, laptop: Any
) -> None:
    from bwo_desktop.services import sync_client

    team = "Twee"
    servers = [office.address, second_server]
    a = laptop("a", office.enrol("twee-a", team))
    b = laptop("b", office.enrol("twee-b", team))
    _point_at(b, second_server)

    # Two laptops push at once, each to its own server process.
    cases_a, cases_b = [_decide(a)], [_decide(b)]
    env = {**os.environ, "PYTHONPATH": str(TESTS.parent), "BWO_PASSPHRASE": PASSPHRASE}
    running = [
        subprocess.Popen(
            [sys.executable, "-m", "bwo_desktop", "sync", "--db", str(p)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in (a, b)
    ]
    for process in running:
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    check_invariants(office, team, a, b)

    # The same laptop alternates between the two; each sync brings the other's news.
    for round_ in range(2):
        for path, cases in ((a, cases_a), (b, cases_b)):
            _point_at(path, servers[round_ % 2])
            cases.append(_decide(path))
            assert cli("sync", "--db", str(path)) == 0
    for path in (a, b):
        _point_at(path, servers[0])
        assert cli("sync", "--db", str(path)) == 0
    check_converged(office, team, a, b, *cases_a)
    check_converged(office, team, b, a, *cases_b)
    head = _office_rows(office, team, "SELECT max(seq) FROM server_changes")[0][0]
    assert _cursor(a) == head and _cursor(b) == head
    seqs = [s for (s,) in _office_rows(office, team, "SELECT seq FROM server_audit ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))  # one office chain, no fork

    # One batch resent to both processes at the same moment is applied once.
    c = laptop("c", office.enrol("twee-c", team))
    _decide(c)
    batch = _pending_batches(c)[0]
    from bwo_desktop.services import outbox, sync_rows
    from bwo_desktop.services.database import open_database

    with open_database(c, PASSPHRASE) as db, db.read() as s:
        rows = []
        for entry in outbox.pending(s):
            if entry.batch_id != batch:
                continue
            table = sync_rows.table_for(entry.table_name)
            row = s.execute(table.select().where(table.c.id == entry.row_id)).mappings().one()
            rows.append(
                {"table": entry.table_name, "op": entry.op, "row": sync_rows.encode_row(table, row)}
            )
        enrolment = sync_client.enrolment_of(db)
    body = {"protocol": 1, "batch_id": str(batch), "rows": rows}
    answers: list[dict[str, Any]] = []
    start = threading.Barrier(len(servers))

    def send(address: str) -> None:
        connection = sync_client.Connection({**enrolment, "server": f"https://{address}"})
        start.wait()
        answers.append(connection.post("/push", body))

    threads = [threading.Thread(target=send, args=(address,)) for address in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 2 and sorted(bool(x.get("resent")) for x in answers) == [False, True]
    assert answers[0]["changes"] == answers[1]["changes"]
    per_batch = _office_rows(
        office, team, "SELECT count(*) FROM server_changes WHERE batch_id = :b", b=batch
    )
    assert per_batch[0][0] == len(rows)
    assert cli("sync", "--db", str(c)) == 0
    check_invariants(office, team, a, b, c)


# -- 5. the same case finalised on two laptops (no leases yet) ------------------------------
def test_the_same_case_finalised_on_two_laptops_the_second_is_parked_not_stuck(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from team_support import concept_case

    from bwo_desktop.services import audit, sync_inbox
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService
    from bwo_desktop.services.errors import StoreError

    team = "Dubbel"
    a = laptop("a", office.enrol("dubbel-a", team))
    b = laptop("b", office.enrol("dubbel-b", team))
    case_id = concept_case(a, next(_CASES))  # a concept case, shared with B
    assert _sync(a, capsys)[0] == 0 and _sync(b, capsys)[0] == 0

    def finalise(path: Path, consultant: str) -> dict[str, Any]:
        with open_database(path, PASSPHRASE) as db:
            svc = CaseService(db, user=consultant)
            current = svc.get(case_id)
            assert current.status != "definitief"
            DecisionService(svc).finalise(case_id, current.version)
        return _encoded_case(path, case_id)

    finalise(a, "A. Eerste")
    mine = finalise(b, "B. Tweede")  # offline, the same case: a different definitief
    assert _sync(a, capsys)[0] == 0
    case_at_office = "SELECT * FROM herindicaties WHERE id = :i"
    at_office = _office_rows(office, team, case_at_office, i=case_id)
    batches = _batches_applied(office, team)
    [refused_batch] = _pending_batches(b)

    code, err = _sync(b, capsys)
    # Refused for good at the office (an alarm, nothing kept), parked here: not stuck.
    assert code == 3 and not err, err
    assert _office_rows(office, team, case_at_office, i=case_id) == at_office
    assert _batches_applied(office, team) == batches
    assert refused_batch not in _pending_batches(b)
    with open_database(b, PASSPHRASE) as db:
        [conflict] = sync_inbox.open_conflicts(db)
        logged = [e for e in audit.entries(db) if e.action == "sync_refused_parked"]
    assert conflict.table_name == "herindicaties" and str(conflict.row_id) == case_id
    assert "is definitief op het kantoor" in conflict.reason
    assert conflict.local_row == mine  # B's version, beside the office's: nothing lost
    assert conflict.office_row is not None and conflict.office_row["status"] == "definitief"
    assert conflict.office_row == _encoded_case(a, case_id) != mine
    assert len(logged) == 1 and logged[0].details == {
        "kenmerken": [conflict.reference],
        "code": "definitief",
    }

    # A later case decided on B reaches the office on the next sync.
    later = _decide(b)
    assert _sync(b, capsys)[0] == 0
    assert _office_rows(office, team, "SELECT status FROM herindicaties WHERE id = :i", i=later)[0][
        0
    ] == ("definitief")
    assert _office_rows(office, team, case_at_office, i=case_id) == at_office
    alarms = _office_rows(
        office, team, "SELECT count(*) FROM server_audit WHERE action = 'alarm_definitief'"
    )
    assert alarms[0][0] == 1

    # A person decides: "mine" is refused (a definitief decision does not change), "office"
    # makes B's case the office's.
    with open_database(b, PASSPHRASE) as db:
        with pytest.raises(StoreError, match="een definitief besluit verandert niet meer"):
            sync_inbox.resolve(db, conflict.id, keep="mine")
        assert sync_inbox.open_conflicts(db)[0].local_row == mine
        sync_inbox.resolve(db, conflict.id, keep="office")
        assert sync_inbox.open_conflicts(db) == []
    assert _encoded_case(b, case_id) == _encoded_case(a, case_id)
    check_invariants(office, team, a, b)


# -- 6. the server killed mid-batch -----------------------------------------------------------
def _changes_sequence(office: Office, team: str) -> int:
    """Where the office's change sequence stands. A sequence is not rolled back: a change row
    written in a transaction that never committed still moves it."""
    (name,) = _office_rows(office, team, "SELECT pg_get_serial_sequence('server_changes', 'seq')")[
        0
    ]
    return int(
        _office_rows(office, team, f"SELECT last_value - (NOT is_called)::int FROM {name}")[0][0]
    )


def test_the_server_killed_mid_batch_keeps_nothing_of_it_and_the_resend_applies_it_once(
    office: Office, laptop: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.services import sync_client

    team = "Kill-server"
    address = f"127.0.0.1:{free_port()}"
    log = office.enrolments / "server-killed.log"
    a = laptop("a", _enrol_via(office, address, "kill-server-a", team))
    b = laptop("b", office.enrol("kill-server-b", team))  # on the module's server process
    case_id = _decide(a)
    local_batches = _pending_batches(a)
    local_rows, _pending = _local_state(a)
    before = _changes_sequence(office, team)

    with server_process(office, address, log, {"BWO_SERVER_KILL_AT": "mid_batch"}) as killed:
        code, err = _sync(a, capsys)
        assert killed.wait(10) == 9  # the server process ended at the hook
    assert code == 2 and err == [f"bwo-desktop sync: fout: kantoor: {sync_client.BROKEN}"], err
    # PostgreSQL had the batch's first row and its change row in an open transaction (the
    # change sequence moved) and dropped it with the connection: nothing of it is kept.
    assert _changes_sequence(office, team) > before
    for name, row_id in local_rows:
        assert _office_rows(office, team, f"SELECT 1 FROM {name} WHERE id = :i", i=row_id) == []
    for table in ("server_changes", "server_batches", "server_audit"):
        assert _office_rows(office, team, f"SELECT count(*) FROM {table}") == [(0,)], table
    assert _pending_batches(a) == local_batches
    check_invariants(office, team, a)

    # The other server process on the same database serves the team meanwhile (the killed
    # transaction's team lock went with its connection).
    on_b = _decide(b)
    assert _sync(b, capsys)[0] == 0

    with server_process(office, address, log):  # the same database and port, no hook
        code, err = _sync(a, capsys)
    assert code == 0, err
    assert _pending_batches(a) == []
    stored = _office_rows(
        office, team, "SELECT batch_id FROM server_batches WHERE device = 'kill-server-a'"
    )
    assert {str(x) for (x,) in stored} == {str(x) for x in local_batches}
    assert _sync(b, capsys)[0] == 0
    check_converged(office, team, a, b, case_id)
    check_converged(office, team, b, a, on_b)
    assert cli("server", "audit-verify", "--database-url", office.url) == 0


def _encoded_case(path: Path, case_id: str) -> dict[str, Any]:
    from sqlalchemy import select

    from bwo_desktop.services import sync_rows
    from bwo_desktop.services.database import open_database

    table = sync_rows.table_for("herindicaties")
    with open_database(path, PASSPHRASE) as db, db.read() as s:
        row = s.execute(select(table).where(table.c.id == uuid.UUID(case_id))).mappings().one()
        return sync_rows.encode_row(table, row)
