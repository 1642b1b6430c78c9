"""The app's side of team mode (services/team.py): the status the status bar shows, a sync
that records its outcome, joining with an enrolment file and leaving a team."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from persistence_samples import full_case
from team_files import write_enrolment

from bwo_desktop.services import outbox, sync_client, team
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.sync_client import SyncRefused, SyncReport


def _cases(db: Any, n: int = 2) -> list[str]:
    svc = CaseService(db, user="J. Consulent")
    return [str(svc.create(full_case(i)).id) for i in range(n)]


def _meta_keys(db: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from bwo_desktop.models import Meta

    with db.read() as s:
        return {row.key: row.value for row in s.scalars(select(Meta))}


def test_not_joined(db: Any) -> None:
    status = team.status(db)
    assert not status.joined
    assert not status.needs_sync
    assert status.conflicts == 0


def test_join_with_a_file_queues_everything_and_shows_the_team(db: Any, tmp_path: Path) -> None:
    _cases(db)
    enrolment, queued = team.join_file(db, write_enrolment(tmp_path))
    assert enrolment["team"] == "Noord"
    assert queued > 0
    status = team.status(db)
    assert (status.joined, status.team, status.device) == (True, "Noord", "laptop-7")
    assert status.pending == queued
    assert status.last_sync is None
    assert status.needs_sync  # never synced yet


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{nee", "onleesbaar"),
        (json.dumps({"format": 2}), "formaat 1"),
        (json.dumps({"format": 1, "team": "Noord"}), "onvolledig"),
    ],
)
def test_a_bad_file_changes_nothing(db: Any, tmp_path: Path, content: str, problem: str) -> None:
    _cases(db)
    before = _meta_keys(db)
    bad = tmp_path / "kapot.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(SyncRefused, match=problem):
        team.join_file(db, bad)
    assert _meta_keys(db) == before
    assert not team.status(db).joined


def test_an_unusable_certificate_changes_nothing(db: Any, tmp_path: Path) -> None:
    path = write_enrolment(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["key_pem"] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = _meta_keys(db)
    with pytest.raises(SyncRefused, match="onbruikbaar"):
        team.join_file(db, path)
    assert _meta_keys(db) == before


def test_a_sync_records_its_outcome(db: Any, tmp_path: Path) -> None:
    team.join_file(db, write_enrolment(tmp_path))
    when = dt.datetime(2026, 3, 2, 8, 41, tzinfo=dt.UTC)

    def refused(_db: Any, _progress: Any) -> SyncReport:
        raise SyncRefused("het kantoor is niet bereikbaar (https://127.0.0.1:9)")

    with pytest.raises(SyncRefused):
        team.synchronise(db, sync=refused, now=lambda: when)
    last = team.status(db).last_sync
    assert last is not None and not last.ok
    assert last.message == "het kantoor is niet bereikbaar (https://127.0.0.1:9)"
    assert team.status(db).needs_sync

    def fine(the_db: Any, _progress: Any) -> SyncReport:
        with the_db.session() as s:  # what a push does with the pending entries
            for batch in {e.batch_id for e in outbox.pending(s)}:
                outbox.mark_pushed(s, batch)
        return SyncReport(batches_pushed=1, changes_pulled=3)

    team.synchronise(db, sync=fine, now=lambda: when)
    status = team.status(db)
    assert status.last_sync == team.LastSync(at=when, ok=True, pushed=1, pulled=3)
    assert status.pending == 0
    assert not status.needs_sync


def test_the_real_sync_refuses_in_dutch_when_the_office_is_away(db: Any, tmp_path: Path) -> None:
    team.join_file(db, write_enrolment(tmp_path))  # the office at 127.0.0.1:9: nobody there
    with pytest.raises(SyncRefused, match="niet bereikbaar"):
        team.synchronise(db)
    last = team.status(db).last_sync
    assert last is not None and "niet bereikbaar" in last.message


def test_leave_forgets_the_key_and_keeps_the_cases(db: Any, tmp_path: Path) -> None:
    ids = _cases(db, 3)
    team.join_file(db, write_enrolment(tmp_path))
    left = team.leave(db)
    assert left["team"] == "Noord" and left["cases"] == 3
    meta = _meta_keys(db)
    assert sync_client.ENROLMENT_KEY not in meta
    assert not any("PRIVATE KEY" in json.dumps(value) for value in meta.values())
    status = team.status(db)
    assert not status.joined
    assert status.left is not None and status.left["team"] == "Noord"
    svc = CaseService(db)
    assert {s.id for s in svc.list_summaries()} == set(ids)
    with pytest.raises(SyncRefused, match="niet aangemeld"):
        team.leave(db)
    with pytest.raises(SyncRefused, match="niet aangemeld"):
        team.synchronise(db)


def test_leave_and_join_again(db: Any, tmp_path: Path) -> None:
    team.join_file(db, write_enrolment(tmp_path))
    team.leave(db)
    team.join_file(db, write_enrolment(tmp_path, team="Zuid", name="zuid.json"))
    status = team.status(db)
    assert status.team == "Zuid" and status.left is None


def test_the_conflict_count_reads_the_open_conflicts_of_the_inbox(db: Any) -> None:
    import uuid

    from bwo_desktop.models import SyncConflict, utcnow

    with db.session() as s:
        assert team.conflict_count(s) == 0
        for resolved in (None, utcnow()):
            s.add(
                SyncConflict(
                    table_name="herindicaties",
                    row_id=uuid.uuid4(),
                    reason="geparkeerd",
                    local_row={},
                    resolved_at=resolved,
                )
            )
    with db.read() as s:
        assert team.conflict_count(s) == 1


def test_a_sync_stops_before_its_next_request_when_the_app_closes(db: Any, tmp_path: Path) -> None:
    """Closing the app mid-sync: the step under way finishes, nothing further is sent, and
    what was not pushed stays in the outbox for the next sync."""
    import threading

    _cases(db)
    team.join_file(db, write_enrolment(tmp_path))
    stop = threading.Event()
    sent: list[str] = []

    class Office:
        def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
            sent.append(path)
            stop.set()  # the window closes while the office answers hello
            return {"protocol": 1}

    with pytest.raises(team.SyncStopped, match="afgebroken"):
        sync_client.sync(db, team.observed(Office(), stop=stop))
    assert sent == ["/hello"]
    assert team.status(db).pending > 0


def test_a_stopped_service_does_not_reach_for_the_network(db: Any, tmp_path: Path) -> None:
    team.join_file(db, write_enrolment(tmp_path))  # 127.0.0.1:9: a try would say "niet bereikbaar"
    service = team.TeamService(db)
    service.request_stop()
    with pytest.raises(team.SyncStopped):
        service.synchronise()
    last = team.status(db).last_sync
    assert last is not None and not last.ok and "afgebroken" in last.message
