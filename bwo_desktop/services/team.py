"""Team mode as the app sees it (docs/team-mode-in-the-app.md): the status for the status bar
and the settings (joined or not, last sync, pending changes, conflicts), a sync that records
its outcome, joining with an enrolment file and leaving a team. No Qt: the UI runs these on a
worker thread.

The transport and the protocol stay in `services.sync_client`; this module only wraps it.
The last sync is kept in `meta` (`team.last_sync`), a departure in `team.left`: leaving keeps
every case and marks the database, not each case (no case column says "team" today).
"""

from __future__ import annotations

import datetime as dt
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import column, delete, func, inspect, select, table
from sqlalchemy.orm import Session

from bwo_desktop.models import Herindicatie, Meta, SyncOutbox, utcnow
from bwo_desktop.services import audit, sync_client, sync_inbox
from bwo_desktop.services.database import Database, get_meta, set_meta
from bwo_desktop.services.sync_client import SyncRefused, SyncReport

LAST_SYNC_KEY = "team.last_sync"
LEFT_KEY = "team.left"
# The conflict inbox (migration 0006, services/sync_inbox.py): `conflict_count` counts its
# open rows; a database from before 0006 has no such table and counts 0.
CONFLICT_TABLE = "sync_conflicts"

# (changes received so far, more pages to come)
PullProgress = Callable[[int, bool], None]
# The exchange itself: the database and where to report pull progress (None: nowhere).
SyncFunction = Callable[[Database, PullProgress | None], SyncReport]


@dataclass(frozen=True)
class LastSync:
    at: dt.datetime  # UTC
    ok: bool
    message: str = ""  # the Dutch line of a refused sync
    pushed: int = 0
    pulled: int = 0


@dataclass(frozen=True)
class TeamStatus:
    joined: bool
    team: str = ""
    device: str = ""
    consultant: str = ""
    server: str = ""
    last_sync: LastSync | None = None
    pending: int = 0  # outbox entries not yet acknowledged by the office
    conflicts: int = 0
    left: dict[str, Any] | None = None  # the team this database left, and when

    @property
    def needs_sync(self) -> bool:
        """Worth an automatic try: changes wait, or it never synced, or the last try failed
        (the network may be back)."""
        if not self.joined:
            return False
        return self.pending > 0 or self.last_sync is None or not self.last_sync.ok


# -- status -------------------------------------------------------------------------------
def pending_count(session: Session) -> int:
    stmt = select(func.count()).select_from(SyncOutbox).where(SyncOutbox.pushed_at.is_(None))
    return int(session.scalar(stmt) or 0)


def conflict_count(session: Session) -> int:
    """Open conflicts in the inbox; 0 without an inbox table (a database before 0006)."""
    inspector = inspect(session.connection())
    if not inspector.has_table(CONFLICT_TABLE):
        return 0
    columns = {c["name"] for c in inspector.get_columns(CONFLICT_TABLE)}
    inbox = table(CONFLICT_TABLE, *(column(name) for name in sorted(columns)))
    stmt = select(func.count()).select_from(inbox)
    if "resolved_at" in columns:
        stmt = stmt.where(inbox.c.resolved_at.is_(None))
    return int(session.scalar(stmt) or 0)


def _last_sync(value: Any) -> LastSync | None:
    if not isinstance(value, dict):
        return None
    try:
        at = dt.datetime.fromisoformat(str(value["at"]))
    except (KeyError, ValueError):
        return None
    return LastSync(
        at=at,
        ok=bool(value.get("ok")),
        message=str(value.get("message") or ""),
        pushed=int(value.get("pushed") or 0),
        pulled=int(value.get("pulled") or 0),
    )


def status(db: Database) -> TeamStatus:
    with db.read() as s:
        enrolment = get_meta(s, sync_client.ENROLMENT_KEY)
        left = get_meta(s, LEFT_KEY)
        left = left if isinstance(left, dict) else None
        if not isinstance(enrolment, dict):
            return TeamStatus(joined=False, left=left)
        return TeamStatus(
            joined=True,
            team=str(enrolment.get("team", "")),
            device=str(enrolment.get("device", "")),
            consultant=str(enrolment.get("consultant", "")),
            server=str(enrolment.get("server", "")),
            last_sync=_last_sync(get_meta(s, LAST_SYNC_KEY)),
            pending=pending_count(s),
            conflicts=conflict_count(s),
        )


# -- sync -----------------------------------------------------------------------------------
class SyncStopped(SyncRefused):
    """The app is closing: the sync stopped before its next request. Every step already
    taken is whole (a pushed batch acknowledged, a page applied with its cursor); the rest
    waits in the outbox for the next sync."""


MSG_STOPPED = (
    "het synchroniseren is afgebroken omdat bwo-desktop sluit; wat nog niet verstuurd is, "
    "gaat de volgende keer mee"
)


class _ObservedConnection:
    """The real connection, reporting each pulled page (progress on a long pull) and
    stopping before the next request once `stop` is set (the app closes)."""

    def __init__(
        self,
        inner: Any,
        progress: PullProgress | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self._inner = inner
        self._progress = progress
        self._stop = stop
        self.received = 0

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        if self._stop is not None and self._stop.is_set():
            raise SyncStopped(MSG_STOPPED)
        answer: dict[str, Any] = self._inner.post(path, body)
        changes = answer.get("changes")
        if self._progress is not None and path == "/pull" and isinstance(changes, list):
            self.received += len(changes)
            self._progress(self.received, bool(answer.get("more")) and bool(changes))
        return answer


def observed(
    inner: Any, progress: PullProgress | None = None, stop: threading.Event | None = None
) -> Any:
    """`inner` (anything with `post`) with pull progress and a stop between requests."""
    return _ObservedConnection(inner, progress, stop)


def _connection(
    db: Database, progress: PullProgress | None, stop: threading.Event | None = None
) -> Any:
    if stop is not None and stop.is_set():
        raise SyncStopped(MSG_STOPPED)
    enrolment = sync_client.enrolment_of(db)
    try:
        connection = sync_client.Connection(enrolment)
    except (ssl.SSLError, ValueError, OSError):
        # A damaged certificate or key in the stored enrolment: not the office's fault.
        raise SyncRefused(
            "het certificaat van deze laptop is onbruikbaar; verlaat het team en sluit "
            "opnieuw aan met een nieuw aanmeldbestand"
        ) from None
    if progress is None and stop is None:
        return connection
    return _ObservedConnection(connection, progress, stop)


def real_sync(
    db: Database, progress: PullProgress | None = None, stop: threading.Event | None = None
) -> SyncReport:
    return sync_client.sync(db, _connection(db, progress, stop))


def synchronise(
    db: Database,
    *,
    sync: SyncFunction | None = None,
    progress: PullProgress | None = None,
    now: Callable[[], dt.datetime] = utcnow,
) -> SyncReport:
    """`sync_client.sync`, its outcome recorded for the status bar (`team.last_sync`).
    Raises SyncRefused like sync does; the refusal is recorded first. `sync` replaces the
    real exchange (tests)."""
    try:
        report = (sync or real_sync)(db, progress)
    except SyncRefused as exc:
        _record(db, {"at": now().isoformat(), "ok": False, "message": str(exc)})
        raise
    except Exception:
        _record(db, {"at": now().isoformat(), "ok": False, "message": ""})
        raise
    _record(
        db,
        {
            "at": now().isoformat(),
            "ok": True,
            "pushed": report.batches_pushed,
            "pulled": report.changes_pulled,
        },
    )
    return report


def _record(db: Database, value: dict[str, Any]) -> None:
    with db.session() as s:
        if isinstance(get_meta(s, sync_client.ENROLMENT_KEY), dict):  # not after a leave
            set_meta(s, LAST_SYNC_KEY, value)


# -- join and leave -------------------------------------------------------------------------
def join_file(db: Database, path: Path) -> tuple[dict[str, Any], int]:
    """Read and check the enrolment file, then join. A bad file raises SyncRefused and
    changes nothing. Returns the enrolment and the rows queued for the first sync."""
    enrolment = sync_client.read_enrolment(path)
    try:
        sync_client.ssl_context(enrolment)  # the certificate and key must load now
    except (ssl.SSLError, ValueError, OSError):
        raise SyncRefused(
            f"{path.name}: het certificaat of de sleutel in het aanmeldbestand is onbruikbaar"
        ) from None
    queued = sync_client.join(db, enrolment)
    with db.session() as s:
        s.execute(delete(Meta).where(Meta.key.in_([LEFT_KEY, LAST_SYNC_KEY])))
        audit.record(
            s,
            "team_join",
            None,
            details={"team": enrolment["team"], "apparaat": enrolment["device"]},
        )
    return enrolment, queued


def leave(db: Database, *, now: Callable[[], dt.datetime] = utcnow) -> dict[str, Any]:
    """Forget the enrolment (its private key with it), the pull cursor and the last sync.
    Every case stays; the database is marked as having left (`team.left`). Changes not yet
    pushed stay in the outbox: a later join queues the whole state again anyway."""
    with db.session() as s:
        enrolment = get_meta(s, sync_client.ENROLMENT_KEY)
        if not isinstance(enrolment, dict):
            raise SyncRefused("deze laptop is niet aangemeld bij een team")
        cases = int(s.scalar(select(func.count()).select_from(Herindicatie)) or 0)
        s.execute(
            delete(Meta).where(
                Meta.key.in_(
                    [
                        sync_client.ENROLMENT_KEY,
                        sync_client.CURSOR_KEY,
                        LAST_SYNC_KEY,
                    ]
                )
            )
        )
        left = {
            "team": str(enrolment.get("team", "")),
            "device": str(enrolment.get("device", "")),
            "at": now().isoformat(),
            "cases": cases,
        }
        set_meta(s, LEFT_KEY, left)
        audit.record(
            s,
            "team_leave",
            None,
            details={"team": left["team"], "apparaat": left["device"], "casussen": cases},
        )
    return left


class TeamService:
    """The facade the shell gets (ShellContext.team); `sync` replaces the exchange in tests."""

    def __init__(self, db: Database, sync: SyncFunction | None = None) -> None:
        self.db = db
        self._sync = sync
        self._stop = threading.Event()

    def request_stop(self) -> None:
        """The app closes: a running sync stops before its next request, none starts."""
        self._stop.set()

    def status(self) -> TeamStatus:
        return status(self.db)

    def synchronise(self, progress: PullProgress | None = None) -> SyncReport:
        stop = self._stop
        exchange = self._sync or (lambda db, seen: real_sync(db, seen, stop))
        return synchronise(self.db, sync=exchange, progress=progress)

    def join_file(self, path: Path) -> tuple[dict[str, Any], int]:
        return join_file(self.db, path)

    def conflicts(self) -> list[sync_inbox.Conflict]:
        """The open conflicts of the inbox, oldest first."""
        return sync_inbox.open_conflicts(self.db)

    def resolve_conflict(self, conflict_id: int, keep: str) -> None:
        """A person's decision: keep the office's version ("office") or one's own ("mine")."""
        sync_inbox.resolve(self.db, conflict_id, keep)

    def leave(self) -> dict[str, Any]:
        return leave(self.db)


__all__ = [
    "LastSync",
    "SyncRefused",
    "SyncReport",
    "SyncStopped",
    "TeamService",
    "TeamStatus",
    "conflict_count",
    "join_file",
    "leave",
    "observed",
    "pending_count",
    "status",
    "synchronise",
]
