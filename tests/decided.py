"""Test fixture: a stored definitief case with a GIVEN frozen decision, written straight to
its row (storage tests need a decided case with known JSON; the app itself decides only
through `services.decisions.DecisionService`, which computes the decision from the stored
case)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from bwo_desktop.core.case import Case
from bwo_desktop.core.rules import builtin_rules_dict
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import audit
from bwo_desktop.services.cases import _client_json, decided_period_end
from bwo_desktop.services.errors import CaseLocked


def store_decided(
    svc: Any,
    case_id: str,
    decision: dict[str, Any],
    tariffs_used: list[dict[str, Any]],
    rules_used: dict[str, Any] | None = None,
) -> Case:
    with svc.db.session() as s:
        row = svc._row(s, case_id)
        if row.status == "definitief":
            raise CaseLocked(row.reference)
        current = svc._to_case(s, row)
        row.status = "definitief"
        row.decision = copy.deepcopy(decision)
        row.tariffs_used = copy.deepcopy(tariffs_used)
        row.rules_used = rules_used or builtin_rules_dict()
        row.outcome = decision.get("outcome")
        row.ib_level = decision.get("ib_level")
        if row.decision_date is None:
            row.decision_date = dt.date.today()
        row.finalised_at = utcnow()
        row.new_indication_end = decided_period_end(row.decision)
        row.client_snapshot = _client_json(current.client)
        s.flush()
        audit.record(s, "finalise", row.reference, details={"outcome": row.outcome}, user=svc.user)
        result: Case = svc._to_case(s, row)
        return result
