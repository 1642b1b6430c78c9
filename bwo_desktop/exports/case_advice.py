"""The advice a stored case's documents print with: its assessment through the engine, with
the tariff tables frozen in the case (`tariffs_used`) when it has them. Shared by the
`beschikking` command, the day batch and anything else that reprints a decided case."""

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


def advice_for_case(
    case: Case,
    rules: RuleConfig,
    *,
    extra_tariffs: Sequence[Path] = (),
    user_tariffs: Path | None = None,
) -> Advice:
    """The case's advice, computed as `beschikking` does: its assessment, the tariff book
    of `tariff_book_for_case`, the given rule thresholds. Raises InputError when the
    assessment is missing or invalid."""
    from bwo_desktop.core.advice import advise
    from bwo_desktop.exports.beschikking import parse_case_assessment

    book = tariff_book_for_case(case.tariffs_used, extra_tariffs, user_tariffs)
    return advise(parse_case_assessment(case), book, rules, field_prefix=CASE_ASSESSMENT_PREFIX)
