"""A Hypothesis state machine over the laptop's side of sync, without a server: local edits
(which fill the outbox), pulled pages (`sync_client.apply_page`, which must not) and
acknowledged pushes (`outbox.mark_pushed`), in any small order.

Checked after every step: the outbox holds one pending entry per row changed since its
last acknowledgement (its newest version) and nothing else; a pulled page never queues
anything and never overwrites a row changed here and not yet acknowledged (a change
committed while a sync runs: found by this test, fixed in `apply_page`); the cursor is the
last page's; a page applied twice changes nothing more.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import delete, select
from team_support import PASSPHRASE

from bwo_desktop.models import Meta, SyncOutbox, Zorgaanbieder
from bwo_desktop.services import outbox, sync_client, sync_rows
from bwo_desktop.services.database import Database, open_database

ROWS = 3
_DB: dict[str, Database] = {}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One database for every example (opening costs a key derivation); each example
    starts by emptying it."""
    path: Path = tmp_path_factory.mktemp("states") / "bwo.db"
    db = open_database(path, PASSPHRASE, create=True)
    _DB["db"] = db
    yield db
    _DB.clear()
    db.close()


class LaptopSync(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = _DB["db"]
        self.ids = [uuid.uuid4() for _ in range(ROWS)]
        self.version: dict[uuid.UUID, int] = {}
        self.pending: dict[uuid.UUID, uuid.UUID] = {}  # row -> batch of its pending entry
        self.cursor = 0
        self.edits = 0

    @initialize()
    def empty(self) -> None:
        with self.db.session() as s:
            s.execute(delete(SyncOutbox))
            s.execute(delete(Zorgaanbieder.__table__))
            s.execute(delete(Meta).where(Meta.key == sync_client.CURSOR_KEY))

    def _batch_of_last_change(self) -> uuid.UUID:
        with self.db.read() as s:
            return s.scalars(select(SyncOutbox.batch_id).order_by(SyncOutbox.seq.desc())).first()

    @rule(which=st.lists(st.integers(0, ROWS - 1), min_size=1, max_size=ROWS, unique=True))
    def local_edit(self, which: list[int]) -> None:
        """One local transaction changing some rows (one batch)."""
        self.edits += 1
        with self.db.session() as s:
            for i in which:
                row_id = self.ids[i]
                row = s.get(Zorgaanbieder, row_id)
                name = f"lokaal {self.edits}"
                if row is None:
                    s.add(Zorgaanbieder(id=row_id, name=name, name_normalised=name))
                else:
                    row.name = row.name_normalised = name
            s.flush()
            for i in which:
                found = s.get(Zorgaanbieder, self.ids[i])
                assert found is not None
                self.version[self.ids[i]] = found.version
        batch = self._batch_of_last_change()
        for i in which:
            self.pending[self.ids[i]] = batch

    @rule(data=st.data())
    def acknowledge(self, data: st.DataObject) -> None:
        """The office acknowledged one pending batch (any of them: answers may be lost
        and resent in a later sync)."""
        batches = sorted(set(self.pending.values()))
        if not batches:
            return
        batch = data.draw(st.sampled_from(batches))
        with self.db.session() as s:
            outbox.mark_pushed(s, batch)
        self.pending = {r: b for r, b in self.pending.items() if b != batch}

    @rule(which=st.sampled_from(range(ROWS)), twice=st.booleans())
    def pull_page(self, which: int, twice: bool) -> None:
        """A page from the office with the row as it is there: an acknowledged row (the
        office has our newest state) comes back with the office's next version."""
        row_id = self.ids[which]
        if row_id not in self.version:
            return
        table = sync_rows.table_for("zorgaanbieders")
        with self.db.read() as s:
            row = s.execute(select(table).where(table.c.id == row_id)).mappings().one()
            encoded = sync_rows.encode_row(table, row)
        encoded = {**encoded, "name": "kantoor", "version": encoded["version"] + 1}
        self.cursor += 1
        change = {"seq": self.cursor, "table": "zorgaanbieders", "op": "upsert", "row": encoded}
        for _ in range(2 if twice else 1):
            sync_client.apply_page(self.db, [change], self.cursor)
        if row_id not in self.pending:  # an unpushed local change is kept (pushed next)
            self.version[row_id] = encoded["version"]

    @invariant()
    def outbox_is_exactly_the_unacknowledged_changes(self) -> None:
        with self.db.read() as s:
            entries = outbox.pending(s)
        assert len({e.row_id for e in entries}) == len(entries)  # one per row
        assert {e.row_id: e.batch_id for e in entries} == self.pending
        for e in entries:
            assert e.row_version == self.version[e.row_id]

    @invariant()
    def cursor_is_the_last_page(self) -> None:
        assert int(self.db.get_meta(sync_client.CURSOR_KEY, 0) or 0) == self.cursor

    @invariant()
    def rows_have_their_versions(self) -> None:
        with self.db.read() as s:
            found = {z.id: z.version for z in s.scalars(select(Zorgaanbieder))}
        assert found == self.version


LaptopSync.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def test_the_laptop_side_of_sync_keeps_its_outbox_straight(database: Database) -> None:
    LaptopSync.TestCase("runTest").runTest()
