"""The office database: the laptop's Alembic schema plus the server's own tables, a team
column on every team-owned table and row-level security per team.

`init` is idempotent: it can run again after an upgrade of the program (it migrates the
laptop tables to head and adds what is missing). The team of a transaction is set with
`set_config('bwo.team', TEAM, true)` (transaction-local); a transaction without it sees
no team-owned row at all, and the `bwo_team` column defaults to it, so a row always lands
in the team of the device that wrote it.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    create_engine,
    text,
)
from sqlalchemy.engine import Connection

from bwo_desktop.models import migrate
from bwo_desktop.models.base import NAMING_CONVENTION, UTCDateTime
from bwo_desktop.services.sync_rows import SYNCED_TABLES

SERVER_ROLE = "bwo_server"
TEAM_SETTING = "bwo.team"
TEAM_COLUMN = "bwo_team"

metadata = MetaData(naming_convention=NAMING_CONVENTION)

teams = Table("server_teams", metadata, Column("name", String(100), primary_key=True))

devices = Table(
    "server_devices",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("team", String(100), ForeignKey("server_teams.name"), nullable=False),
    Column("consultant", String(200), nullable=False),
    # SHA-256 of the client certificate (DER), lowercase hex: how a connection is known.
    Column("fingerprint", String(64), nullable=False, unique=True),
    Column("enrolled_at", UTCDateTime, nullable=False),
)

# One row per row upsert or tombstone: the pull cursor is `seq`. Writers of one team are
# serialised (store.team_lock), so within a team `seq` order is commit order and a cursor
# never skips a row of a transaction that was still open.
changes = Table(
    "server_changes",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("table_name", String(40), nullable=False),
    Column("row_id", Uuid, nullable=False),
    Column("row_version", Integer, nullable=False),
    Column("op", String(10), nullable=False),
    Column("batch_id", Uuid, nullable=True),
    Column("device", String(100), nullable=True),
    Index("ix_server_changes_team_seq", TEAM_COLUMN, "seq"),
    # A row's newest change (server/scope.py: was a parent already sent in this sync?).
    Index("ix_server_changes_row", "row_id", "seq"),
)

batches = Table(
    "server_batches",
    metadata,
    Column("batch_id", Uuid, primary_key=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("outcome", JSON, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
)

# One writer per concept case (server/leases.py): the device that may change the case at the
# office. The first device that pushes a case holds it; `server lease-break` moves it.
leases = Table(
    "server_leases",
    metadata,
    Column("case_id", Uuid, primary_key=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("consultant", String(200), nullable=False),
    Column("granted_at", UTCDateTime, nullable=False),
)

# The office's own chain, one per team: each entry hashes the previous one. Its head after a
# batch is the receipt the laptop keeps.
audit = Table(
    "server_audit",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("time", UTCDateTime, nullable=False),
    Column("device", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("batch_id", Uuid, nullable=True),
    Column("details", JSON, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_server_audit_team_seq", TEAM_COLUMN, "seq", unique=True),
)

# A concept-case row pushed by a device that does not hold the case's lease: not applied,
# kept here whole (nothing is lost) until a person decides (server/leases.py).
conflicts = Table(
    "server_conflicts",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("case_id", Uuid, nullable=False),
    Column("reference", String(60), nullable=False),
    Column("device", String(100), nullable=False),
    Column("batch_id", Uuid, nullable=False),
    Column("row", JSON, nullable=False),
    Column("reason", String(300), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_server_conflicts_team_case", TEAM_COLUMN, "case_id"),
)

# Each laptop's audit chain as the office received it (server/device_audit.py): `entry`
# is the entry's wire form, re-hashed on arrival. Refused entries go to the quarantine.
# `epoch` counts the fork resolutions of the device (`server audit-quarantine --accept`):
# each epoch is a whole chain from seq 1; only the newest one grows.
device_audit = Table(
    "server_device_audit",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("epoch", Integer, nullable=False, server_default=text("0")),
    Column("seq", Integer, nullable=False),
    Column("entry", JSON, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_server_device_audit_device_epoch_seq", "device", "epoch", "seq", unique=True),
)

device_audit_quarantine = Table(
    "server_device_audit_quarantine",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("entry", JSON, nullable=False),
    Column("reason", String(10), nullable=False),  # 'fork' or 'broken'
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_server_device_audit_quarantine_entry", "device", "seq", "hash", unique=True),
)

# A fork the team lead accepted: the device's chain restarts from `from_seq` in `epoch`
# (its entries before it copied there); the quarantined entries stay where they are.
device_audit_forks = Table(
    "server_device_audit_forks",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("device", String(100), nullable=False),
    Column("from_seq", Integer, nullable=False),
    Column("epoch", Integer, nullable=False),
    Column("quarantined", Integer, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=False),
    Index("ix_server_device_audit_forks_device_epoch", "device", "epoch", unique=True),
)

# A client row a laptop made for a BSN the team already had (server/client_remap.py): that
# device's client id stands for the office's client in this push and every later one.
client_aliases = Table(
    "server_client_aliases",
    metadata,
    Column(TEAM_COLUMN, String(100), nullable=False),
    Column("device", String(100), primary_key=True),
    Column("laptop_id", Uuid, primary_key=True),
    Column("office_id", Uuid, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

TEAM_SERVER_TABLES = (
    "server_changes",
    "server_batches",
    "server_leases",
    "server_audit",
    "server_conflicts",
    "server_device_audit",
    "server_device_audit_quarantine",
    "server_device_audit_forks",
    "server_client_aliases",
)
TEAM_TABLES = (*SYNCED_TABLES, *TEAM_SERVER_TABLES)


def engine_for(url: str) -> Engine:
    if not url.startswith("postgresql"):
        from bwo_desktop.core.errors import InputError

        raise InputError("--database-url", "alleen PostgreSQL (postgresql+psycopg://...)")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, hide_parameters=True, pool_pre_ping=True)


def init(engine: Engine) -> list[str]:
    """Bring the office database to the program's schema. Returns notes for the operator."""
    notes: list[str] = []
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.begin() as conn:
        metadata.create_all(conn, checkfirst=True)
        # An office from before the fork resolutions: its device chains become epoch 0.
        conn.execute(
            text(
                "ALTER TABLE server_device_audit "
                "ADD COLUMN IF NOT EXISTS epoch integer NOT NULL DEFAULT 0"
            )
        )
        conn.execute(text("DROP INDEX IF EXISTS ix_server_device_audit_device_seq"))
        conn.execute(
            text(
                "CREATE UNIQUE INDEX IF NOT EXISTS ix_server_device_audit_device_epoch_seq "
                "ON server_device_audit (device, epoch, seq)"
            )
        )
        for index in changes.indexes:  # create_all adds no index to a table that exists
            index.create(conn, checkfirst=True)
        for name in SYNCED_TABLES:
            # Without a default first: a volatile default is evaluated for existing rows.
            conn.execute(
                text(f"ALTER TABLE {name} ADD COLUMN IF NOT EXISTS {TEAM_COLUMN} varchar(100)")
            )
        for name in TEAM_TABLES:
            conn.execute(
                text(
                    f"ALTER TABLE {name} ALTER COLUMN {TEAM_COLUMN} "
                    f"SET DEFAULT current_setting('{TEAM_SETTING}')"
                )
            )
            conn.execute(text(f"ALTER TABLE {name} ALTER COLUMN {TEAM_COLUMN} SET NOT NULL"))
        for name in TEAM_TABLES:
            _isolate(conn, name)
        notes.append(_server_role(conn))
    return notes


def _isolate(conn: Connection, table: str) -> None:
    # FORCE: the policy binds the table owner too, so even a server that connects as the
    # owner sees one team only. Only a superuser or a BYPASSRLS role passes; `run` refuses those.
    conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
    conn.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
    conn.execute(text(f"DROP POLICY IF EXISTS team_isolation ON {table}"))
    same_team = f"{TEAM_COLUMN} = current_setting('{TEAM_SETTING}', true)"
    conn.execute(
        text(
            f"CREATE POLICY team_isolation ON {table} USING ({same_team}) WITH CHECK ({same_team})"
        )
    )


def _server_role(conn: Connection) -> str:
    """The non-owner role the server process works as (SET ROLE), when this login may make
    roles; else the server works as this login, still bound by FORCE ROW LEVEL SECURITY."""
    exists = conn.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": SERVER_ROLE}
    ).first()
    may_create = conn.execute(
        text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")
    ).scalar()
    if not exists and not may_create:
        return (
            f"rol {SERVER_ROLE} niet aangemaakt (deze login mag geen rollen maken): de server "
            "werkt als deze login, ook dan per team afgeschermd (FORCE ROW LEVEL SECURITY)"
        )
    if not exists:
        conn.execute(text(f"CREATE ROLE {SERVER_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS"))
    if may_create:
        conn.execute(text(f"GRANT {SERVER_ROLE} TO current_user"))
    tables = ", ".join((*TEAM_TABLES, "server_devices", "server_teams", "alembic_version"))
    conn.execute(text(f"GRANT SELECT ON {tables} TO {SERVER_ROLE}"))
    writable = ", ".join(TEAM_TABLES)
    conn.execute(text(f"GRANT INSERT, UPDATE ON {writable} TO {SERVER_ROLE}"))
    conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {SERVER_ROLE}"))
    return f"rol {SERVER_ROLE} klaar: de server werkt als die rol, per team afgeschermd"


def bypasses_isolation(conn: Connection) -> bool:
    """True for a superuser or a BYPASSRLS role: row-level security would not bind it."""
    return bool(
        conn.execute(
            text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    )


def set_team(conn: Connection, team: str) -> None:
    conn.execute(text("SELECT set_config(:k, :v, true)"), {"k": TEAM_SETTING, "v": team})


def server_engine(url: str) -> Engine:
    """The engine of `server run`: every connection becomes the server role when granted,
    and the login must not bypass row-level security, or team isolation would be void."""
    from sqlalchemy import event

    engine = engine_for(url)

    @event.listens_for(engine, "connect")
    def _become_server_role(dbapi_conn: object, _record: object) -> None:
        cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
        cur.execute(
            "SELECT pg_has_role(current_user, rolname, 'MEMBER') FROM pg_roles WHERE rolname = %s",
            (SERVER_ROLE,),
        )
        row = cur.fetchone()
        if row and row[0]:
            cur.execute(f"SET ROLE {SERVER_ROLE}")
        cur.close()
        dbapi_conn.commit()  # type: ignore[attr-defined]

    return engine


def check_ready(engine: Engine) -> str | None:
    """Why this database cannot be served yet (one Dutch line), or None."""
    with engine.connect() as conn:
        revision = migrate.current_revision(conn)
        has_server_tables = conn.execute(
            text(
                "SELECT to_regclass('server_changes') IS NOT NULL "
                "AND to_regclass('server_device_audit_forks') IS NOT NULL "
                "AND to_regclass('server_client_aliases') IS NOT NULL"
            )
        ).scalar()
        if revision != migrate.head_revision() or not has_server_tables:
            return (
                f"de kantoordatabase is niet bijgewerkt (schema {revision or 'leeg'}); "
                "voer eerst bwo-desktop server init uit"
            )
        if bypasses_isolation(conn):
            return (
                "deze login omzeilt row-level security (superuser of BYPASSRLS): gebruik een "
                f"gewone login of verleen die de rol {SERVER_ROLE}"
            )
    return None
