"""The advice a case's documents print with — the ONE place that answers "the advice of a
decided case": a definitief case is recomputed from its stored assessment with the tariff
tables AND rule thresholds frozen at its decision (`tariffs_used`, `rules_used`; a case
decided before rules were frozen: the built-in rules, its back-fill), never with today's
files. `tests/documents/test_doc_frozen.py` proves over the expert cases that this equals
the frozen decision JSON. A concept uses the rules and tariffs in force. Shared by the
`beschikking` command, the letter service, the day batch and the editor."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Where the assessment sits in a case file: error lines name e.g. "assessment.period.start".
CASE_ASSESSMENT_PREFIX = "assessment."

if TYPE_CHECKING:
    from bwo_desktop.core.advice import Advice
    from bwo_desktop.core.case import Case
    from bwo_desktop.core.rules import RuleConfig
    from bwo_desktop.core.tariffs import TariffBook


def tariff_book_for_case(
    case_tables: list[dict[str, Any]], extra: Sequence[Path], user_folder: Path | None
) -> TariffBook:
    """The tariffs a case prints with.

    A case that carries `tariffs_used` was decided with exactly those tables: a letter
    reprinted next year must show what was in force then, so the built-in tables and the
    user's folder (which may have gained a newer indexation since) are left out. Explicit
    extra tables (--tariffs) still go on top: the operator asked for them by name. A case
    without `tariffs_used` (a concept) uses the normal layers: built-in < user folder < extra.
    """
    from bwo_desktop.core.tariffs import (
        TariffBook,
        load_tariff_book,
        parse_tariff_file,
        tariff_table_from_dict,
    )

    if not case_tables:
        return load_tariff_book(list(extra), user_folder=user_folder)
    tables = [tariff_table_from_dict(t, f"tariffs_used[{i}]") for i, t in enumerate(case_tables)]
    tables += [parse_tariff_file(p) for p in extra]
    return TariffBook(tables)


def rules_for_case(case: Case, current: RuleConfig) -> RuleConfig:
    """The rule thresholds a case prints with: a definitief case its frozen `rules_used`
    (absent: the built-in rules, which were the only ones before they were frozen); a
    concept the `current` rules (built-in < user folder, as the editor loads them)."""
    from bwo_desktop.core.rules import default_rules, rules_from_dict

    if case.status != "definitief":
        return current
    if case.rules_used is None:
        return default_rules()
    return rules_from_dict(case.rules_used)


def advice_for_case(
    case: Case,
    rules: RuleConfig,
    *,
    extra_tariffs: Sequence[Path] = (),
    user_tariffs: Path | None = None,
) -> Advice:
    """The case's advice as its documents print it: its assessment, the tariff book of
    `tariff_book_for_case`, the rule thresholds of `rules_for_case` (`rules` = those in
    force, used for a concept only). Raises InputError when the assessment is missing or
    invalid."""
    from bwo_desktop.core.advice import advise
    from bwo_desktop.exports.beschikking import parse_case_assessment

    book = tariff_book_for_case(case.tariffs_used, extra_tariffs, user_tariffs)
    return advise(
        parse_case_assessment(case),
        book,
        rules_for_case(case, rules),
        field_prefix=CASE_ASSESSMENT_PREFIX,
    )
