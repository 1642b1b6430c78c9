"""Several outbox batches in one push request (docs/team-mode.md, "Protocol", "Performance").

`POST /push {"protocol": 1, "batches": [{"batch_id", "rows"}, ...]}` -> `{"outcomes": [...]}`:
each batch applied in its own transaction, in order, idempotent on its own id; the first
refused batch is an error slot and the batches after it are not tried. The old single-batch
body still works (an older laptop). The laptop groups its pending batches into requests
(`sync_client.PUSH_ROWS`, `PUSH_BYTES`), records each acknowledged batch in its own local
transaction, and records nothing of an answer that does not match what it sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from team_support import (
    PASSPHRASE,
    Office,
    cli,
    concept_case,
    decide_a_case,
    office_rows,
    pending_batches,
)

pytestmark = pytest.mark.pg

REFUSED_DEFINITIEF = "is definitief op het kantoor"
_CASES = iter(range(500, 10_000))  # a BSN is unique over the whole office: one per case


def _next() -> int:
    return next(_CASES)


@pytest.fixture
def requests(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any, Any]]]:
    """Every request the laptop sends in this process: (path, body, answer)."""
    from bwo_desktop.services import sync_client

    seen: list[tuple[str, Any, Any]] = []
    original = sync_client.Connection.post

    def post(self: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = original(self, path, body)
        seen.append((path, body, answer))
        return answer

    monkeypatch.setattr(sync_client.Connection, "post", post)
    yield seen


def _pushes(seen: list[tuple[str, Any, Any]]) -> list[tuple[Any, Any]]:
    return [(body, answer) for path, body, answer in seen if path == "/push"]


def _sync(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    capsys.readouterr()
    code = cli("sync", "--db", str(path))
    return code, capsys.readouterr().err.strip().splitlines()


def _batches_of(office: Office, team: str, device: str) -> set[str]:
    found = office_rows(
        office, team, "SELECT batch_id FROM server_batches WHERE device = :d", d=device
    )
    return {str(b) for (b,) in found}


def _counts(office: Office, team: str) -> tuple[int, int, int]:
    """server_changes, server_batches, push entries of the office chain."""
    return (
        office_rows(office, team, "SELECT count(*) FROM server_changes")[0][0],
        office_rows(office, team, "SELECT count(*) FROM server_batches")[0][0],
        office_rows(office, team, "SELECT count(*) FROM server_audit WHERE action = 'push'")[0][0],
    )


def _connection(path: Path) -> Any:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return sync_client.Connection(sync_client.enrolment_of(db))


def _pending_requests(path: Path) -> list[list[tuple[uuid.UUID, list[dict[str, Any]]]]]:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    with open_database(path, PASSPHRASE) as db:
        return list(sync_client._requests(db))


def _multi(batches: list[tuple[uuid.UUID, list[dict[str, Any]]]]) -> dict[str, Any]:
    return {"protocol": 1, "batches": [{"batch_id": str(b), "rows": r} for b, r in batches]}


def test_a_definitief_refused_middle_batch_is_parked_and_the_rest_sent_next(
    office: Office, laptop: Any, requests: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database
    from bwo_desktop.services.decisions import DecisionService

    team = "Multi-refuse"
    a = laptop("a", office.enrol("multi-refuse-a", team))
    b = laptop("b", office.enrol("multi-refuse-b", team))
    shared = concept_case(a, _next())
    assert _sync(a, capsys)[0] == 0 and _sync(b, capsys)[0] == 0

    def finalise(path: Path, consultant: str) -> None:
        with open_database(path, PASSPHRASE) as db:
            svc = CaseService(db, user=consultant)
            DecisionService(svc).finalise(shared, svc.get(shared).version)

    finalise(a, "A. Eerste")
    assert _sync(a, capsys)[0] == 0  # the office holds the case as definitief
    # Offline on B: a new case, the shared case decided differently, another new case.
    first_case = concept_case(b, _next())
    finalise(b, "B. Tweede")
    third_case = concept_case(b, _next())
    b1, b2, b3 = pending_batches(b)
    requests.clear()

    code, err = _sync(b, capsys)

    # Refused for good: parked in B's inbox (exit 3), and the push goes on without it.
    assert code == 3 and not err, err
    (body, answer), (body_next, answer_next) = _pushes(requests)
    assert [x["batch_id"] for x in body["batches"]] == [str(b1), str(b2), str(b3)]
    applied, refused = answer["outcomes"]  # the third was not tried: no slot
    assert applied["batch_id"] == str(b1) and applied["status"] == "applied"
    assert refused["batch_id"] == str(b2) and refused["status"] == 409
    assert REFUSED_DEFINITIEF in refused["error"] and refused["code"] == "definitief"
    [office_row] = refused["office_rows"]
    assert office_row["id"] == shared and office_row["status"] == "definitief"
    # The third batch, not tried by the office, goes in the following request.
    assert [x["batch_id"] for x in body_next["batches"]] == [str(b3)]
    [third] = answer_next["outcomes"]
    assert third["batch_id"] == str(b3) and third["status"] == "applied"
    assert _batches_of(office, team, "multi-refuse-b") == {str(b1), str(b3)}
    case_at_office = "SELECT count(*) FROM herindicaties WHERE id = :i"
    assert office_rows(office, team, case_at_office, i=first_case)[0][0] == 1
    assert office_rows(office, team, case_at_office, i=third_case)[0][0] == 1
    alarms = office_rows(
        office, team, "SELECT count(*) FROM server_audit WHERE action = 'alarm_definitief'"
    )
    assert alarms[0][0] == 1
    # On B: nothing queued any more; the refused batch's case is in the conflict inbox.
    assert pending_batches(b) == []
    from bwo_desktop.services import sync_inbox

    with open_database(b, PASSPHRASE) as db:
        assert db.get_meta("team.receipt") == third["receipt"]
        [conflict] = sync_inbox.open_conflicts(db)
    assert str(conflict.row_id) == shared and conflict.office_row == office_row
    assert refused["error"] == conflict.reason


def test_the_same_multi_request_twice_applies_nothing_twice(office: Office, laptop: Any) -> None:
    team = "Multi-twice"
    c = laptop("c", office.enrol("multi-twice-c", team))
    decide_a_case(c, _next())
    decide_a_case(c, _next())
    [batches] = _pending_requests(c)
    assert len(batches) == 4  # two cases, each created and decided
    connection = _connection(c)

    # A request that was cut after the office applied its first batch, then the whole.
    [only_first] = connection.post("/push", _multi(batches[:1]))["outcomes"]
    first = connection.post("/push", _multi(batches))["outcomes"]
    assert [o.get("resent", False) for o in first] == [True, False, False, False]
    assert first[0] == only_first | {"resent": True}
    counts = _counts(office, team)
    assert counts[1:] == (4, 4)

    again = connection.post("/push", _multi(batches))["outcomes"]

    assert _counts(office, team) == counts
    assert [o["resent"] for o in again] == [True] * 4
    assert [o | {"resent": True} for o in first] == again
    for outcome in again:  # each batch's changes are its stored outcome's, once
        found = office_rows(
            office,
            team,
            "SELECT count(*) FROM server_changes WHERE batch_id = :b",
            b=outcome["batch_id"],
        )
        assert found[0][0] == outcome["applied"]
    assert cli("sync", "--db", str(c)) == 0  # the laptop's own resend: stored outcomes
    assert pending_batches(c) == [] and _counts(office, team)[:2] == counts[:2]


def test_a_morning_of_decided_cases_goes_in_one_push_request(
    office: Office, laptop: Any, requests: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.services import sync_rows
    from bwo_desktop.services.database import open_database

    team = "Multi-morning"
    a = laptop("a", office.enrol("multi-morning-a", team))
    b = laptop("b", office.enrol("multi-morning-b", team))
    cases = [decide_a_case(a, _next()) for _ in range(4)]
    local = pending_batches(a)
    assert len(local) == 8

    assert _sync(a, capsys)[0] == 0

    [(body, answer)] = _pushes(requests)
    assert [x["batch_id"] for x in body["batches"]] == [str(x) for x in local]
    assert [o["batch_id"] for o in answer["outcomes"]] == [str(x) for x in local]
    assert _batches_of(office, team, "multi-morning-a") == {str(x) for x in local}
    assert pending_batches(a) == []
    with open_database(a, PASSPHRASE) as db:
        assert db.get_meta("team.receipt") == answer["outcomes"][-1]["receipt"]
    assert _sync(b, capsys)[0] == 0
    table = sync_rows.table_for("herindicaties")

    def rows(path: Path) -> dict[str, Any]:
        with open_database(path, PASSPHRASE) as db, db.read() as s:
            found = s.execute(table.select()).mappings().all()
            return {str(r["id"]): sync_rows.encode_row(table, r) for r in found}

    on_a, on_b = rows(a), rows(b)
    assert set(on_b) == set(cases) and all(on_b[c] == on_a[c] for c in cases)
    assert all(on_b[c]["status"] == "definitief" for c in cases)


def test_the_push_requests_keep_local_order_within_their_caps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    path = tmp_path / "bwo.db"
    open_database(path, PASSPHRASE, create=True).close()
    for _ in range(3):
        decide_a_case(path, _next())
    local = pending_batches(path)
    assert len(_pending_requests(path)) == 1

    monkeypatch.setattr(sync_client, "PUSH_ROWS", 2)
    grouped = _pending_requests(path)
    assert [b for request in grouped for b, _rows in request] == local
    assert len(grouped) > 1
    for request in grouped:  # a batch bigger than the cap goes alone, whole
        assert len(request) == 1 or sum(len(rows) for _b, rows in request) <= 2

    monkeypatch.setattr(sync_client, "PUSH_ROWS", 200)
    monkeypatch.setattr(sync_client, "PUSH_BYTES", 1)
    assert [[b for b, _rows in request] for request in _pending_requests(path)] == [
        [b] for b in local
    ]


def test_the_single_batch_body_of_an_older_laptop_still_works(office: Office, laptop: Any) -> None:
    team = "Multi-old"
    c = laptop("c", office.enrol("multi-old-c", team))
    decide_a_case(c, _next())
    [batches] = _pending_requests(c)
    connection = _connection(c)
    batch_id, rows = batches[0]
    old_body = {"protocol": 1, "batch_id": str(batch_id), "rows": rows}

    answer = connection.post("/push", old_body)

    assert "outcomes" not in answer
    assert answer["status"] == "applied" and answer["batch_id"] == str(batch_id)
    assert answer["applied"] == len(rows) and answer["receipt"]["team"] == team
    assert connection.post("/push", old_body) == answer | {"resent": True}
    assert cli("sync", "--db", str(c)) == 0
    assert pending_batches(c) == [] and _counts(office, team)[1] == len(batches)


def test_a_malformed_multi_request_is_refused_whole(office: Office, laptop: Any) -> None:
    from bwo_desktop.services import sync_client

    team = "Multi-malformed"
    c = laptop("c", office.enrol("multi-malformed-c", team))
    decide_a_case(c, _next())
    [batches] = _pending_requests(c)
    connection = _connection(c)
    good = _multi(batches)["batches"]
    dummy = {"table": "clients", "op": "upsert", "row": {}}
    bad = [
        ("batches", "ontbreekt of is ongeldig", {"protocol": 1, "batches": "geen lijst"}),
        ("leeg", "is leeg", {"protocol": 1, "batches": []}),
        ("twee keer", "twee keer", {"protocol": 1, "batches": [*good, good[0]]}),
        (
            "batch_id",
            "ongeldige batch_id",
            {"protocol": 1, "batches": [*good, {"batch_id": "x", "rows": []}]},
        ),
        (
            "te groot",
            "meer dan 20000 rijen",
            {
                "protocol": 1,
                "batches": [*good, {"batch_id": str(uuid.uuid4()), "rows": [dummy] * 20_000}],
            },
        ),
    ]
    for name, line, body in bad:
        with pytest.raises(sync_client.SyncRefused, match=line):
            connection.post("/push", body)
        assert _counts(office, team) == (0, 0, 0), name  # not even the good batches


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda ids: {"protocol": 1}, id="no-outcomes"),
        pytest.param(lambda ids: {"outcomes": [_ok(i) for i in ids[:-1]]}, id="one-short"),
        pytest.param(lambda ids: {"outcomes": [_ok(i) for i in ids[::-1]]}, id="reversed"),
        pytest.param(
            lambda ids: {"outcomes": [_ok(ids[0]), _ok(str(uuid.uuid4()))]}, id="second-unknown"
        ),
        pytest.param(
            lambda ids: {"outcomes": [_ok(i) for i in ids] + [_ok(str(uuid.uuid4()))]},
            id="one-extra",
        ),
        pytest.param(
            lambda ids: {
                "outcomes": [{"batch_id": ids[0], "error": "nee", "status": 409}, _ok(ids[1])]
            },
            id="error-not-last",
        ),
    ],
)
def test_an_answer_that_does_not_match_the_request_records_nothing(
    tmp_path: Path, answer: Any
) -> None:
    from bwo_desktop.services import sync_client
    from bwo_desktop.services.database import open_database

    path = tmp_path / "bwo.db"
    open_database(path, PASSPHRASE, create=True).close()
    decide_a_case(path, _next())
    local = pending_batches(path)
    assert len(local) == 2

    class Office:
        def post(self, route: str, body: dict[str, Any]) -> dict[str, Any]:
            result: dict[str, Any] = answer([x["batch_id"] for x in body["batches"]])
            return result

    with open_database(path, PASSPHRASE) as db:
        report = sync_client.SyncReport()
        with pytest.raises(sync_client.SyncRefused, match=r"^onleesbaar antwoord .* \(push\)$"):
            sync_client._push(db, Office(), report)  # type: ignore[arg-type]
        assert report.batches_pushed == 0 and db.get_meta("team.receipt") is None
    assert pending_batches(path) == local


def _ok(batch_id: str) -> dict[str, Any]:
    receipt = {"team": "T", "seq": 1, "hash": "0" * 64}
    return {"batch_id": batch_id, "status": "applied", "parked": [], "receipt": receipt}
