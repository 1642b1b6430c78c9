"""Deciding a case: the one place a case becomes definitief. It reads the STORED case (never
an editor's draft) in the same transaction, computes its advice with the tariffs and rules
in force, enforces the readiness checklist and freezes decision, `tariffs_used` and
`rules_used` with an audit entry."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bwo_desktop.core.case import Case
from bwo_desktop.core.readiness import ReadinessItem, not_ready, readiness
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.tariffs import TariffBook
from bwo_desktop.models.base import utcnow
from bwo_desktop.services import audit
from bwo_desktop.services.case_mapping import client_json
from bwo_desktop.services.cases import CaseService
from bwo_desktop.services.errors import CaseLocked, ConflictError, NotReady


def rules_in_force(user_file: Path | None) -> RuleConfig:
    """Built-in rules < the user folder's rules.toml (when it exists), as the editor."""
    from bwo_desktop.core.rules import load_rules

    return load_rules(user_file=user_file)


def tariffs_in_force(user_folder: Path | None) -> TariffBook:
    """Built-in tariff tables < the user folder's tables, as the editor."""
    from bwo_desktop.core.tariffs import load_tariff_book

    return load_tariff_book(user_folder=user_folder)


class DecisionService:
    """`tariffs` and `rules` are callables giving what is in force at the moment of the
    decision (read each time: the organisation may change its files while the app runs);
    by default the built-in < user folder layers."""

    def __init__(
        self,
        cases: CaseService,
        *,
        tariffs: Callable[[], TariffBook] | None = None,
        rules: Callable[[], RuleConfig] | None = None,
    ) -> None:
        from bwo_desktop import paths

        self.cases = cases
        self._tariffs = tariffs or (lambda: tariffs_in_force(paths.user_tariffs_dir()))
        self._rules = rules or (lambda: rules_in_force(paths.user_rules_file()))

    def _check(self, case: Case) -> tuple[Any, list[ReadinessItem], TariffBook, RuleConfig]:
        from bwo_desktop.core.assessment_json import advise_partial
        from bwo_desktop.core.zrm import load_catalogue

        book, rules = self._tariffs(), self._rules()
        advice, missing = advise_partial(case.assessment or {}, book, rules)
        items = readiness(case, advice, missing, load_catalogue(), rules)
        return advice, items, book, rules

    def readiness(self, case_id: str) -> list[ReadinessItem]:
        """The checklist of the stored case (blocking items done or not, and warnings)."""
        return self._check(self.cases.get(case_id))[1]

    def finalise(self, case_id: str, expected_version: int) -> Case:
        """Make the stored case definitief. Raises CaseLocked (already definitief),
        ConflictError (the stored version is not `expected_version`), NotReady (open
        checklist items; nothing is written)."""
        from bwo_desktop.core.assessment_json import advice_to_json
        from bwo_desktop.core.rules import rules_to_dict
        from bwo_desktop.core.tariffs import tariff_table_to_dict

        svc = self.cases
        with svc.db.session() as s:
            row = svc._row(s, case_id)
            if row.status == "definitief":
                raise CaseLocked(row.reference)
            if row.version != expected_version:
                raise ConflictError(row.reference)
            stored = svc._to_case(s, row)
            advice, items, book, rules = self._check(stored)
            blocking = not_ready(items)
            if blocking or advice is None:
                raise NotReady(blocking)
            tables = list(advice.tariffs_used) or book.tables_between(
                advice.period_start, advice.period_end
            )
            tariffs_used = [tariff_table_to_dict(t) for t in tables]
            decision = advice_to_json(advice)
            row.status = "definitief"
            row.decision = copy.deepcopy(decision)
            row.tariffs_used = tariffs_used
            row.rules_used = rules_to_dict(rules)
            row.outcome = decision.get("outcome")
            row.ib_level = decision.get("ib_level")
            if row.decision_date is None:
                row.decision_date = dt.date.today()
            row.finalised_at = utcnow()
            row.new_indication_end = advice.period_end if advice.outcome == "ib_bw" else None
            row.client_snapshot = client_json(stored.client)
            s.flush()
            audit.record(
                s,
                "finalise",
                row.reference,
                details={"outcome": row.outcome, "tariff_tables": len(tariffs_used)},
                user=svc.user,
            )
            return svc._to_case(s, row)
