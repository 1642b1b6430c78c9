"""Two versions of one conflict side by side, as a consultant reads them (the conflict
inbox, docs/team-mode.md): the laptop's version that the office did not take, and the
office's. Field names in the editor's Dutch words (`audit_details.field_label`), technical
columns left out, the fields that differ first.

A structured column (the assessment, the motivations, the results, the ZRM notes, ...) is
not shown as JSON: it is split into one row per leaf with the editor's name for it ("ZRM:
financiën", "criterium: heeft de cliënt 24/7 (on)planbare ondersteuning nodig?", "resultaat
financiën: ontwikkeling"), so a difference marks exactly the score or text that differs. A
key this version does not know reads as its words ("new_thing" → "new thing").

Three kinds of conflict (`kind`): a parked case (CASE), a client's field conflict (CLIENT:
only its `fields` are decided, and they come first) and a case that left this laptop with a
change the office did not take (LEFT: the local case is gone, so only the office's version
can stand until the lease comes back). `title` is the line that names one in the list.

Nothing here decides: a person keeps one version or makes a new one. No Qt, no database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from bwo_desktop.core.advice import CRITERIA_KEYS, OPSLAG_REASONS, OUTCOME_NAMES
from bwo_desktop.core.assessment_json import (
    CRITERIA_QUESTIONS,
    HUISVESTING_KEYS,
    OPSLAG_KEYS,
    OVERRIDE_KEYS,
    PERIOD_KEYS,
    TOP_KEYS,
)
from bwo_desktop.core.audit_details import FIELD_LABELS, field_label
from bwo_desktop.core.bsn import mask_bsn
from bwo_desktop.core.case import ATTENDANCE, DELIVERIES, MOTIVATION_KEYS, STATUS_NAMES
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.zrm import (
    DEVELOPMENTS,
    DOMAIN_KEYS,
    RESULT_AREA_KEYS,
    SUPPORT_FORM_NAMES,
    load_catalogue,
)

# Bookkeeping columns the consultant never typed: shown nowhere, compared nowhere.
TECHNICAL = frozenset(
    {
        "id",
        "version",
        "created_at",
        "updated_at",
        "deleted_at",
        "bwo_team",
        "client_id",
        "provider_id",
        "previous_id",
        "tariffs_used",
        "rules_used",
        "client_snapshot",
        "sort_name",  # a client's, made from its names
    }
)
# Case columns the audit log never names as changed, in the editor's words.
LABELS: dict[str, str] = {
    "reference": "kenmerk",
    "revision": "versie",
    "superseded": "vervangen door een nieuwere versie",
    "outcome": "uitkomst",
    "ib_level": "IB-niveau",
    "decision": "besluit",
    "finalised_at": "definitief gemaakt op",
    "new_indication_end": "nieuwe einddatum indicatie",
    "beschikking_made_on": "beschikking gemaakt op",
    "verslag_made_on": "onderzoeksverslag gemaakt op",
    "bsn": "BSN",
}
MAX_VALUE_CHARS = 400
# Columns whose stored value is a code, in the editor's words.
WORDS: dict[str, dict[str, str]] = {
    "status": STATUS_NAMES,
    "attended_by": ATTENDANCE,
    "delivery": DELIVERIES,
}
# The leaves of the structured columns, by their dotted path, in the editor's words (the
# client, advice and criteria pages); per-domain and per-criterion ones are made below.
LEAF_LABELS: dict[str, str] = {
    "assessment.assessment_date": "datum gesprek",
    "assessment.period.start": "periode: start",
    "assessment.period.end": "periode: einde",
    "assessment.period.extension_motivation": "motivering langere periode",
    "assessment.zrm": "ZRM",
    "assessment.support_forms": "ondersteuningsvorm",
    "assessment.ib_override.level": "afwijkend IB-niveau",
    "assessment.ib_override.motivation": "motivering afwijkend IB-niveau",
    "assessment.opslag.reason": "opslag: reden",
    "assessment.opslag.start": "opslag: begin",
    "assessment.opslag.end": "opslag: einde",
    "assessment.opslag.motivated_in_plan": "opslag gemotiveerd in het ondersteuningsplan",
    "assessment.huisvesting.cannot_rent_independently": "cliënt kan nog niet zelfstandig huren",
    "assessment.huisvesting.housing_via_provider": "huisvesting loopt via de aanbieder",
    "assessment.support_plan_date": "datum ondersteuningsplan",
    "assessment.has_debts": "cliënt heeft schulden",
    "motivations.zrm": "motivering ondersteuningsbehoefte ZRM",
    "motivations.opslag": "motivering opslag",
    "motivations.huisvesting": "motivering huisvesting",
    "motivations.transition": "motivering kortere overgangstermijn",
    "motivations.gap": "motivering onderbreking",
    "decision.outcome": "besluit: uitkomst",
    "decision.ib_level": "besluit: IB-niveau",
    "decision.recommended_ib_level": "besluit: aanbevolen IB-niveau",
    "decision.lines": "besluit: regel",
    "decision.weekly_total": "besluit: totaal per week",
    "decision.period_total": "besluit: totaal over de periode",
    "decision.warnings": "besluit: waarschuwing",
    "decision.explanation": "besluit: toelichting",
}
for _key in CRITERIA_KEYS:
    LEAF_LABELS[f"assessment.criteria.{_key}"] = CRITERIA_QUESTIONS[_key]
    LEAF_LABELS[f"motivations.{_key}"] = "motivering " + CRITERIA_QUESTIONS[_key]
# The children of these paths are the ZRM domains: "<prefix> <domain>".
DOMAIN_PARENTS: dict[str, str] = {
    "assessment.zrm": "ZRM:",
    "assessment.support_forms": "ondersteuningsvorm:",
    "zrm_notes": "ZRM-toelichting:",
    "unscored_reasons": "reden niet gescoord:",
}
# The order a consultant knows (the stored JSON may come back with its keys sorted).
KEY_ORDER: dict[str, tuple[str, ...]] = {
    "assessment": TOP_KEYS,
    "assessment.period": PERIOD_KEYS,
    "assessment.criteria": CRITERIA_KEYS,
    "assessment.ib_override": OVERRIDE_KEYS,
    "assessment.opslag": OPSLAG_KEYS,
    "assessment.huisvesting": HUISVESTING_KEYS,
    "motivations": MOTIVATION_KEYS,
    **{parent: DOMAIN_KEYS for parent in DOMAIN_PARENTS},
}
# Generic words of keys deeper down (the decision's lines, a period).
KEY_WORDS: dict[str, str] = {
    "start": "start",
    "end": "einde",
    "code": "code",
    "days": "dagen",
    "weekly": "per week",
    "amount": "bedrag",
    "message": "melding",
}
LEAF_WORDS: dict[str, Mapping[str, str]] = {
    "assessment.opslag.reason": OPSLAG_REASONS,
    "decision.outcome": OUTCOME_NAMES,
    **{f"assessment.support_forms.{key}": SUPPORT_FORM_NAMES for key in DOMAIN_KEYS},
}
RESULTS = "results"
REASON_TEXTS: dict[str, str] = {
    "lease": "de casus is uitgeleend aan een ander apparaat",
    "lease_broken": "de uitleen van deze casus is verbroken door de teamleider",
    "definitief": "de casus is op het kantoor al definitief",
}


CASE = "case"
CLIENT = "client"
LEFT = "left"
CLIENTS_TABLE = "clients"
CLIENT_PREFIX = "cliënt "  # the office's reference of a client: "cliënt Şahin, A."
SOMEONE_ELSE = "een andere consulent"


@dataclass(frozen=True)
class FieldDiff:
    name: str  # the column, for tests and tooltips
    label: str  # the Dutch name
    mine: str
    office: str
    marked: bool = False  # shown first, in bold: it differs, or it is what is decided

    @property
    def differs(self) -> bool:
        return self.mine != self.office


def kind(table_name: str, here: bool) -> str:
    """CLIENT for a client's field conflict, LEFT for a case no longer on this laptop,
    else CASE."""
    if table_name == CLIENTS_TABLE:
        return CLIENT
    return CASE if here else LEFT


def field_list(fields: Sequence[str]) -> str:
    """Dutch field names as one phrase: "telefoon begeleider en woonplaats"."""
    labels = [label(f) for f in fields]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} en {labels[-1]}"


def client_name(reference: str | None, row: dict[str, Any]) -> str:
    """The client as the office named it ("Şahin, A."), or from the row's sort name."""
    if reference and reference.lower().startswith(CLIENT_PREFIX):
        return reference[len(CLIENT_PREFIX) :]
    return reference or str(row.get("sort_name") or row.get("last_name") or "onbekend")


def subject(what: str, reference: str | None, row: dict[str, Any]) -> str:
    """What a conflict is about: the client's name, or the case's kenmerk."""
    if what == CLIENT:
        return client_name(reference, row)
    return str(reference or row.get("reference") or "zonder kenmerk")


def title(
    what: str,
    reference: str | None,
    row: dict[str, Any],
    fields: Sequence[str] = (),
    holder: str | None = None,
) -> str:
    """The list line of one conflict: "Casus K", "Cliënt Şahin, A. — telefoon begeleider",
    "Casus K — overgedragen aan B. Tweede" (a dash, not brackets: the holder of a parked
    case that left since reads "B. Tweede (laptop-b)")."""
    if what == CLIENT:
        return f"Cliënt {subject(what, reference, row)} — {field_list(fields)}"
    case = f"Casus {subject(what, reference, row)}"
    return f"{case} — overgedragen aan {holder or SOMEONE_ELSE}" if what == LEFT else case


def label(name: str) -> str:
    """A column's Dutch name; a client's columns as the editor names them."""
    if name in LABELS:
        return LABELS[name]
    if name in FIELD_LABELS:
        return field_label(name)
    return field_label(f"client.{name}")


def reason_text(reason: str) -> str:
    """The Dutch reason a change was parked; an unknown one as it is."""
    return REASON_TEXTS.get(reason, reason)


def value_text(name: str, value: Any, limit: int | None = MAX_VALUE_CHARS) -> str:
    """One value as text: dates as dd-mm-jjjj, yes/no in Dutch, codes in the editor's words,
    a structure (what `leaves` did not split) compact; longer than `limit` cut off with "…"."""
    if value is None or value == "" or value == {} or value == []:
        return "—"
    if name == "bsn":
        return mask_bsn(str(value))  # never shown in full outside the editor
    words = WORDS.get(name) or LEAF_WORDS.get(name)
    if isinstance(value, str) and words:
        return words.get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        year, month, day = value.split("-")
        if year.isdigit() and month.isdigit() and day.isdigit():
            return f"{day}-{month}-{year}"
    if isinstance(value, str) and len(value) == 8 and value[2] == ":" and value.endswith(":00"):
        return value[:5]  # a time: 09:20
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def readable(key: Any) -> str:
    """An unknown key as words: "new_thing" → "new thing"."""
    return str(key).replace("_", " ")


def _lower_first(name: str) -> str:
    """ "Financiën" → "financiën"; "Basale ADL" stays as it is."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


@cache
def _catalogue_names() -> tuple[dict[str, str], dict[str, str]]:
    """The ZRM domains' and the result areas' names ("werk & opleiding", "zelfzorg")."""
    try:
        catalogue = load_catalogue()
    except (DataFileError, OSError):  # a broken data file: the keys as words will do
        return {}, {}
    domains = {d.key: _lower_first(d.name) for d in catalogue.domains}
    areas = {a.key: _lower_first(a.name.split(" (")[0]) for a in catalogue.result_areas}
    return domains, areas


def domain_name(key: Any) -> str:
    return _catalogue_names()[0].get(str(key), readable(key))


def area_name(key: Any) -> str:
    return _catalogue_names()[1].get(str(key), readable(key))


def _child_label(parent: str, parent_label: str, key: Any) -> str:
    path = f"{parent}.{key}"
    if path in LEAF_LABELS:
        return LEAF_LABELS[path]
    if parent in DOMAIN_PARENTS:
        return f"{DOMAIN_PARENTS[parent]} {domain_name(key)}"
    return f"{parent_label}: {KEY_WORDS.get(str(key), readable(key))}"


def _ordered(path: str, data: dict[Any, Any]) -> list[Any]:
    """Known keys in the editor's order, then the rest sorted."""
    known = KEY_ORDER.get(path, ())
    return [k for k in known if k in data] + sorted((k for k in data if k not in known), key=str)


def _results(items: list[Any]) -> Iterator[tuple[str, str, Any]]:
    """One row per chosen result ("resultaat financiën": its text) and one per area for the
    expected development, the areas in the results page's order."""
    areas: dict[str, list[dict[str, Any]]] = {}
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict) and "area" in item:
            areas.setdefault(str(item["area"]), []).append(item)
        else:
            yield from _flatten(f"{RESULTS}.{number}", f"{label(RESULTS)}: {number}", item)
    order = {key: n for n, key in enumerate(RESULT_AREA_KEYS)}
    for area in sorted(areas, key=lambda a: (order.get(a, len(order)), a)):
        title = f"resultaat {area_name(area)}"
        developments: list[str] = []
        for item in areas[area]:
            yield f"{RESULTS}.{area}.{item.get('result')}", title, item.get("result")
            extra = {k: v for k, v in item.items() if k not in ("area", "result", "development")}
            yield from _flatten(f"{RESULTS}.{area}.{item.get('result')}", title, extra)
            development = item.get("development")
            if development is not None and development not in developments:
                developments.append(development)
        words = ", ".join(DEVELOPMENTS.get(str(d), readable(d)) for d in developments)
        yield f"{RESULTS}.{area}.development", f"{title}: ontwikkeling", words


def _flatten(path: str, title: str, value: Any) -> Iterator[tuple[str, str, Any]]:
    """(path, Dutch label, value) of every leaf; an empty structure has none."""
    if isinstance(value, dict):
        for key in _ordered(path, value):
            yield from _flatten(f"{path}.{key}", _child_label(path, title, key), value[key])
    elif isinstance(value, list) and path == RESULTS:
        yield from _results(value)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            yield from _flatten(f"{path}.{number}", f"{title}: {number}", item)
    else:
        yield path, title, value


def leaves(name: str, value: Any) -> dict[str, tuple[str, Any]]:
    """A column's rows: path -> (label, value); a plain value is one row, the column."""
    if not isinstance(value, dict | list):
        return {name: (label(name), value)}
    return {path: (text, leaf) for path, text, leaf in _flatten(name, label(name), value)}


def _column(
    name: str, mine: Any, office: Any, has_office: bool, decided: Sequence[str] | None
) -> list[FieldDiff]:
    left = leaves(name, mine)
    right = leaves(name, office) if has_office else {}
    paths = list(left) + [p for p in right if p not in left]
    if not paths:  # empty in both: the column itself, so it is still listed
        left = {name: (label(name), None)}
        paths = [name]
    diffs = []
    for path in paths:
        text = (left.get(path) or right[path])[0]
        mine_value = left.get(path, (text, None))[1]
        office_value = right.get(path, (text, None))[1]
        mine_text = value_text(path, mine_value)
        office_text = value_text(path, office_value) if has_office else "—"
        if decided is not None:
            marked = name in decided
        else:
            full = value_text(path, mine_value, None), value_text(path, office_value, None)
            marked = has_office and full[0] != full[1]
        diffs.append(FieldDiff(path, text, mine_text, office_text, marked))
    return diffs


def compare(
    mine: dict[str, Any],
    office: dict[str, Any] | None,
    decided: Sequence[str] | None = None,
) -> list[FieldDiff]:
    """Every shown field of either version, a structured one leaf by leaf (`leaves`), the
    marked ones first (in column order): the differing ones, or, for a client's field
    conflict, only the `decided` fields (the other fields are not decided here, even when
    they differ). Without an office version nothing is compared, so nothing is marked. A
    long text is cut off in the cell, but marked by its whole text."""
    names = [n for n in mine if n not in TECHNICAL]
    names += [n for n in office or {} if n not in TECHNICAL and n not in mine]
    if decided is not None:
        names = [n for n in decided if n not in TECHNICAL] + [n for n in names if n not in decided]
    diffs: list[FieldDiff] = []
    for n in names:
        diffs += _column(n, mine.get(n), (office or {}).get(n), bool(office), decided)
    return [d for d in diffs if d.marked] + [d for d in diffs if not d.marked]


__all__ = [
    "CASE",
    "CLIENT",
    "LEFT",
    "FieldDiff",
    "compare",
    "field_list",
    "kind",
    "label",
    "leaves",
    "reason_text",
    "subject",
    "title",
    "value_text",
]
