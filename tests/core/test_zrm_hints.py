"""Low ZRM scores point to the result areas to consider (issue 14): the domains whose
effective support form is aanleren or overnemen, grouped by their Bijlage 1 result area."""

from __future__ import annotations

from bwo_desktop.core.advice import effective_support_forms
from bwo_desktop.core.rules import default_rules
from bwo_desktop.core.zrm import areas_to_consider, load_catalogue


def _hints(scores: dict[str, int], overrides: dict[str, str] | None = None) -> list[str]:
    forms = effective_support_forms(scores, overrides or {}, default_rules())
    return [hint.describe() for hint in areas_to_consider(load_catalogue(), scores, forms)]


def test_scores_up_to_three_name_their_area_lowest_first() -> None:
    scores = {"financien": 1, "basale_adl": 3, "instrumentele_adl": 2, "sociaal_netwerk": 4}
    assert _hints(scores) == ["Financiën 1", "Zelfzorg (Instrumentele ADL 2, Basale ADL 3)"]


def test_the_consultants_support_form_counts_not_the_score_alone() -> None:
    assert _hints({"financien": 2}, {"financien": "toezicht"}) == []
    assert _hints({"sociaal_netwerk": 4}, {"sociaal_netwerk": "aanleren"}) == ["Sociaal netwerk 4"]


def test_a_domain_named_as_its_area_is_named_once() -> None:
    assert _hints({"werk_opleiding": 2}) == ["Werk en opleiding 2"]


def test_unscored_domains_point_nowhere() -> None:
    assert _hints({}) == []
