"""The case list on both engines: list_rows (columns, one query), its order, the fallback
when a value holds a separator, and get_summary (one row after an autosave)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from decided import store_decided
from persistence_samples import DECISION, TARIFFS, client, full_case

from bwo_desktop.core.case import Conversation, Planned
from bwo_desktop.core.case_rows import CaseRows
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.database import Database


@pytest.fixture
def svc(db: Database) -> CaseService:
    return CaseService(db, user="J. Consulent")


def _planned(day: int, hour: int | None) -> Planned:
    return Planned(dt.date(2026, 12, day), None if hour is None else dt.time(hour, 0))


def test_list_rows_by_planned_date_and_time_unplanned_last(svc: CaseService) -> None:
    late = svc.create(full_case(0, planned=_planned(9, 9)))
    unplanned = svc.create(full_case(1, planned=None))
    early = svc.create(full_case(2, planned=_planned(8, 14)))
    earliest = svc.create(full_case(3, planned=_planned(8, 9)))
    rows = svc.list_rows()
    assert isinstance(rows, CaseRows)
    assert [rows.case_id(r) for r in range(len(rows))] == [
        earliest.id,
        early.id,
        late.id,
        unplanned.id,
    ]
    # The summaries API gives the same rows, typed, in the same order.
    assert svc.list_summaries() == rows.summaries()


def test_list_rows_values_match_the_summaries_contract(svc: CaseService) -> None:
    stored = svc.create(full_case(0))
    bare = svc.create(
        full_case(1, planned=None, current_indication=None, client=client(1, provider=None))
    )
    rows = svc.list_rows()
    by_id = {rows.case_id(r): rows.summary(r) for r in range(len(rows))}
    s, b = by_id[stored.id or ""], by_id[bare.id or ""]
    assert s.id == stored.id and uuid.UUID(s.id)  # the usual 8-4-4-4-12 form
    assert (s.client_name, s.bsn, s.birth_date) == (
        "Şahin, A.",
        stored.client.bsn,
        dt.date(1988, 3, 14),
    )
    assert s.provider_name == "Stichting De Overkant"
    assert (s.planned_date, s.planned_time) == (dt.date(2026, 12, 8), dt.time(9, 20))
    assert s.current_indication_end == dt.date(2026, 12, 31)
    assert s.updated_at == stored.updated_at and s.updated_at is not None
    assert s.updated_at.tzinfo is not None
    assert (b.provider_name, b.planned_date, b.planned_time, b.ib_level) == ("", None, None, None)
    assert b.current_indication_end is None


def test_a_separator_in_a_value_falls_back_to_plain_columns(svc: CaseService) -> None:
    odd = "Locatie\x1fZuid\x1e, Dordrecht"
    stored = svc.create(full_case(0, conversation=Conversation(location=odd)))
    other = svc.create(full_case(1))
    rows = svc.list_rows()
    by_id = {rows.case_id(r): rows.summary(r) for r in range(len(rows))}
    assert by_id[stored.id or ""].location == odd
    assert by_id[other.id or ""].location == "Locatie Zuid, Dordrecht"
    assert svc.get_summary(stored.id or "") == by_id[stored.id or ""]


def test_empty_list(svc: CaseService) -> None:
    assert len(svc.list_rows()) == 0
    assert svc.list_summaries() == []


def test_get_summary_is_the_list_row(svc: CaseService) -> None:
    svc.create(full_case(0))
    svc.create(full_case(1, client=client(1, provider=None)))
    listed = {s.id: s for s in svc.list_summaries()}
    for case_id, summary in listed.items():
        assert svc.get_summary(case_id) == summary


def test_get_summary_after_an_autosave(svc: CaseService) -> None:
    stored = svc.create(full_case(0))
    changed = dataclasses.replace(
        stored,
        conversation=dataclasses.replace(stored.conversation, location="Locatie Noord"),
        planned=_planned(10, 11),
    )
    saved = svc.save(changed)
    summary = svc.get_summary(stored.id or "")
    assert summary is not None
    assert summary.location == "Locatie Noord"
    assert (summary.planned_date, summary.planned_time) == (dt.date(2026, 12, 10), dt.time(11))
    assert summary.updated_at == saved.updated_at


def test_get_summary_of_cases_not_in_the_list(svc: CaseService) -> None:
    deleted = svc.create(full_case(0))
    svc.soft_delete(deleted.id or "")
    assert svc.get_summary(deleted.id or "") is None
    final = store_decided(svc, svc.create(full_case(1)).id or "", DECISION, TARIFFS)
    new = svc.new_version(final.id or "")
    assert svc.get_summary(final.id or "") is None  # superseded by the new version
    summary = svc.get_summary(new.id or "")
    assert summary is not None and summary.status == "concept"
    assert svc.get_summary(str(uuid.uuid4())) is None
    assert svc.get_summary("no-such-case") is None
