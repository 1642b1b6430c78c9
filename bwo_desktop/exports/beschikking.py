"""The beschikking: the formal decision letter (Awb) of a herindicatie, as an A4 PDF.

Sections in the order a client and a judge read them: situation, decision, results, why,
what the provider must do, eigen bijdrage, obligations, bezwaar, signature. The wording
comes from resources/letters/beschikking.toml (overridable); this module decides which
texts apply and lays them out. The BSN is printed exactly once (in the reference block).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Spacer

from bwo_desktop.core.advice import Advice, Assessment
from bwo_desktop.core.case import Address, Case
from bwo_desktop.core.casefile import check_ready_for_beschikking
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_nl, format_euro
from bwo_desktop.core.formatting import normalise_postcode as normalise_postcode
from bwo_desktop.core.names import formal_name, salutation, surname
from bwo_desktop.core.periods import ONE_DAY, is_over_one_year
from bwo_desktop.core.tariffs import COMPONENT_NAMES
from bwo_desktop.core.transitions import (
    TRANSITION_MOTIVATION,
    beschikking_problems,
    decision_start,
    ends_early,
    provider_tasks,
    transition_last_day,
)
from bwo_desktop.core.zrm import DEVELOPMENTS, DOMAIN_KEYS, RESULT_AREA_KEYS, load_catalogue
from bwo_desktop.exports import pdf_common as pc
from bwo_desktop.exports.letters import (
    KNOWN_PLACEHOLDERS,
    LetterTexts,
    load_letter_texts,
    placeholders_in,
)
from bwo_desktop.exports.organisation import Organisation

FIRST_TOP = 46 * mm  # where page 1's text starts: the address block sits in the envelope window
FORM_ORDER: tuple[str, ...] = ("overnemen", "aanleren", "toezicht")
FORM_LABELS: dict[str, str] = {
    "overnemen": "Helpen, overnemen en regie nodig",
    "aanleren": "Aanleren en oefenen nodig",
    "toezicht": "Toezicht en stimuleren nodig",
    "geen": "Geen ondersteuning nodig",
}
# Onderdeel, ingangsdatum, einddatum, omvang: the date columns fit "30 september 2027" on
# one line, so a date never wraps.
DECISION_COLUMNS: tuple[float, ...] = (
    pc.CONTENT_WIDTH - 94 * mm,
    34 * mm,
    34 * mm,
    26 * mm,
)
IB_FULL_NAMES: dict[str, str] = {
    "IB1": "individuele begeleiding 1: toezicht en stimuleren",
    "IB2": "individuele begeleiding 2: aanleren en oefenen",
    "IB3": "individuele begeleiding 3: helpen, overnemen en regie",
}


@cache
def _subheading() -> ParagraphStyle:
    return pc.derive(pc.styles().subheading, keepWithNext=False)


def parse_case_assessment(case: Case) -> Assessment:
    from bwo_desktop.core.assessment_json import parse_assessment

    if case.assessment is None:
        raise InputError("assessment", "de beoordeling ontbreekt")
    return parse_assessment(case.assessment, field_prefix="assessment.")


def second_person(result: str) -> str:
    """A catalogue result ("beheert zijn financiën", "is zich bewust …") said to the client:
    "U beheert uw financiën", "U bent zich bewust …"."""
    words = result.strip().split(" ")
    out: list[str] = []
    for index, word in enumerate(words):
        bare = word.lstrip("(")
        lead = word[: len(word) - len(bare)]
        if bare == "zijn":
            word = f"{lead}uw"
        elif bare == "is" and (index == 0 or lead):
            word = f"{lead}bent"
        out.append(word)
    return "U " + " ".join(out)


def _scope_kind(code: str) -> str:
    """Which scope text a component's row gets (IB levels with or without opslag share one)."""
    return code if code in ("bereikbaarheid", "huisvesting", "huishoudelijke_kosten") else "ib"


def representative_kind(case: Case) -> str | None:
    """How the letter treats the representative: "addressee" (curator or mentor, with a
    complete address: the letter goes to them, the client gets a copy), "money" (a
    bewindvoerder only: a copy only when the decision is about money, a pgb), "copy"."""
    rep = case.representative
    if rep is None:
        return None
    role = (rep.role or "").lower()
    if ("curator" in role or "mentor" in role) and rep.address and rep.address.is_complete():
        return "addressee"
    if "bewindvoerder" in role:
        return "money"
    return "copy"


def letter_salutation(case: Case) -> str:
    """ "Geachte …" for the addressee: the curator or mentor when the letter goes to them."""
    rep = case.representative
    if representative_kind(case) == "addressee" and rep is not None:
        return f"Geachte {rep.name}"
    return salutation(case.client, case.salutation)


def _client_name(case: Case) -> str:
    name = formal_name(case.client)
    if case.salutation == "heer":
        return f"De heer {name}"
    if case.salutation == "mevrouw":
        return f"Mevrouw {name}"
    return name


def _address_lines(case: Case) -> list[str]:
    rep = case.representative
    if representative_kind(case) == "addressee" and rep is not None and rep.address:
        client = _client_name(case)
        if case.salutation in ("heer", "mevrouw"):  # "mentor van de heer …" mid-line
            client = client[0].lower() + client[1:]
        lines = [rep.name, f"{(rep.role or '').strip()} van {client}"]
        address: Address | None = rep.address
    else:
        lines = [_client_name(case)]
        address = case.client.address
    if address is not None:
        lines.append(f"{address.street} {address.house_number}".strip())
        lines.append(f"{normalise_postcode(address.postcode)}  {address.city}".strip())
    return lines


CRITERIA_ORDER: tuple[str, ...] = ("need_24_7", "can_postpone", "regular_ib_fits")


def criteria_held(assessment: Assessment) -> dict[str, bool]:
    """Per criterion whether it holds (the third holds when regular IB does NOT fit)."""
    crit = assessment.criteria
    return {
        "need_24_7": crit.need_24_7,
        "can_postpone": crit.can_postpone,
        "regular_ib_fits": not crit.regular_ib_fits,
    }


def criteria_not_met_text(assessment: Assessment) -> str:
    """ "voorwaarde 2" / "voorwaarden 1 en 3" / "" (all met), numbered as in the letter."""
    held = criteria_held(assessment)
    numbers = [str(i) for i, key in enumerate(CRITERIA_ORDER, start=1) if not held[key]]
    if not numbers:
        return ""
    if len(numbers) == 1:
        return f"voorwaarde {numbers[0]}"
    return f"voorwaarden {', '.join(numbers[:-1])} en {numbers[-1]}"


def _sentence(text: str | None) -> str:
    """Free text that ends a sentence in the letter: stripped, with a full stop when it has
    no closing punctuation of its own."""
    text = (text or "").strip()
    if text and text[-1] not in ".!?":
        text += "."
    return text


def placeholder_values(
    case: Case, advice: Advice, assessment: Assessment, organisation: Organisation
) -> dict[str, str]:
    """A value for every known placeholder ("" where it does not apply to this case)."""
    values = dict.fromkeys(KNOWN_PLACEHOLDERS, "")
    client = case.client
    conv = case.conversation
    values.update(
        {
            "organisation.name": organisation.name,
            "organisation.city": organisation.city,
            "organisation.college": organisation.college,
            "organisation.phone": organisation.phone,
            "organisation.website": organisation.website,
            "organisation.rechtbank": organisation.rechtbank,
            "client.name": formal_name(client),
            "client.last_name": surname(client, capitalise_prefix=True),
            "salutation": salutation(client, case.salutation),
            "reference": case.reference or "",
            "decision.date": format_date_nl(case.decision_date) if case.decision_date else "",
            "conversation.date": format_date_nl(assessment.assessment_date),
            "conversation.location": (conv.location or "").strip().rstrip("."),
            "conversation.absence_reason": _sentence(conv.absence_reason),
            "conversation.previous_arrangement": (conv.previous_arrangement or "")
            .strip()
            .rstrip("."),
            "period.start": format_date_nl(advice.period_start),
            "period.end": format_date_nl(advice.period_end),
            "period.extension_motivation": _sentence(assessment.extension_motivation),
            "provider.name": client.provider.name if client.provider else "",
            "consultant.name": case.consultant_name,
            "criteria.not_met": criteria_not_met_text(assessment),
        }
    )
    if assessment.support_plan_date is not None:
        values["support_plan.date"] = format_date_nl(assessment.support_plan_date)
    if advice.ib_level:
        values["ib.level"] = advice.ib_level
        values["ib.name"] = IB_FULL_NAMES[advice.ib_level]
    if advice.recommended_ib_level:
        values["ib.recommended"] = advice.recommended_ib_level
        values["ib.recommended_name"] = IB_FULL_NAMES[advice.recommended_ib_level]
    if assessment.ib_override is not None:
        values["override.motivation"] = _sentence(assessment.ib_override.motivation)
    if advice.opslag_window is not None:
        values["opslag.start"] = format_date_nl(advice.opslag_window[0])
        values["opslag.end"] = format_date_nl(advice.opslag_window[1])
    if case.current_indication is not None:
        values["current.description"] = (
            case.current_indication.description or "Beschermd Wonen"
        ).strip()
    values["decision.start"] = format_date_nl(decision_start(case, advice))
    if case.current_indication is not None:
        end = case.current_indication.end_date
        values["current.end"] = (
            f"tot en met {format_date_nl(end)}" if end is not None else "zonder einddatum"
        )
    if case.delivery == "pgb" and advice.outcome == "ib_bw":
        weeks = round(((advice.period_end - advice.period_start).days + 1) / 7)
        values["pgb.weekly"] = format_euro(advice.weekly_total)
        values["pgb.total"] = format_euro(advice.period_total)
        values["pgb.weeks"] = f"ongeveer {weeks} weken"
    last = transition_last_day(case, advice)
    if last is not None:
        values["transition.last_day"] = format_date_nl(last)
        values["transition.date"] = format_date_nl(last + ONE_DAY)
    if case.representative is not None:
        values["representative.name"] = case.representative.name
        role = (case.representative.role or "").strip()
        values["representative.role"] = (
            f"{role}, wettelijk vertegenwoordiger" if role else "wettelijk vertegenwoordiger"
        )
    return values


@dataclasses.dataclass(frozen=True)
class LetterHistory:
    """What the database knows around a case that its letter names: the earlier decision
    (when a running indication ends early) and the day the client's onderzoeksverslag was
    sent. Unknown (a case file on its own): the letter says it without the details."""

    earlier_reference: str | None = None
    earlier_date: dt.date | None = None
    verslag_sent: dt.date | None = None

    def values(self) -> dict[str, str]:
        values = {}
        if self.earlier_reference and self.earlier_date is not None:
            values["earlier.reference"] = self.earlier_reference
            values["earlier.date"] = format_date_nl(self.earlier_date)
        if self.verslag_sent is not None:
            values["verslag.sent"] = format_date_nl(self.verslag_sent)
        return values


class _Letter:
    """Builds the story of one beschikking."""

    def __init__(
        self,
        case: Case,
        advice: Advice,
        assessment: Assessment,
        organisation: Organisation,
        texts: LetterTexts,
        history: LetterHistory | None = None,
    ) -> None:
        self.case = case
        self.advice = advice
        self.a = assessment
        self.org = organisation
        self.texts = texts
        self.values = placeholder_values(case, advice, assessment, organisation)
        self.values.update((history or LetterHistory()).values())
        self.st = pc.styles()
        self.catalogue = load_catalogue()

    # -- helpers ------------------------------------------------------------------------------

    def _check(self, key: str) -> None:
        """A placeholder without a value for this case is a program error (the code chose a
        text that does not apply, or an override uses one): never an empty gap in a letter."""
        empty = [n for n in placeholders_in(self.texts.raw(key)) if not self.values.get(n)]
        if empty:
            names = ", ".join("{" + n + "}" for n in empty)
            raise InputError("brieftekst", f"{key}: geen waarde voor {names}")

    def t(self, key: str) -> str:
        self._check(key)
        return self.texts.get(key, self.values)

    def paras(self, key: str) -> list[Flowable]:
        self._check(key)
        return [pc.para(p) for p in self.texts.paragraphs(key, self.values)]

    def motivation(self, key: str) -> list[Flowable]:
        text = self.case.motivations.get(key, "").strip()
        if not text:
            return []
        return [pc.para(f"{self.t('why.explanation')} {text}")]

    def sub(self, key: str) -> list[Flowable]:
        """A subheading inside a section; starts a new page rather than stand at its foot.
        The CondPageBreak does what keepWithNext would, without laying the next text out
        twice."""
        return [CondPageBreak(28 * mm), pc.para(self.t(f"heading.{key}"), _subheading())]

    @property
    def subject(self) -> str:
        return self.t(f"subject.{self.advice.outcome}")

    # -- parts --------------------------------------------------------------------------------

    def _to_representative(self) -> bool:
        return representative_kind(self.case) == "addressee"

    def _salutation(self) -> str:
        return letter_salutation(self.case)

    def head(self) -> list[Flowable]:
        case = self.case
        assert case.decision_date is not None
        address = pc.address_window(_address_lines(case))
        rows: list[list[str]] = [
            [self.t("meta.reference"), case.reference or ""],
            [self.t("meta.subject"), self.subject],
            [self.t("meta.bsn"), case.client.bsn],
            [self.t("meta.consultant"), f"{case.consultant_name}, {self.org.signature_role}"],
        ]
        meta = pc.grid(
            rows,
            [32 * mm, pc.CONTENT_WIDTH - 32 * mm],
            header=False,
            extra_style=[
                ("LINEBELOW", (0, 0), (-1, -1), 0, pc.RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TEXTCOLOR", (0, 0), (0, -1), pc.GREY),
            ],
        )
        place_date = f"{self.org.city}, {format_date_nl(case.decision_date)}"
        return [
            address,
            Spacer(1, 16 * mm),
            pc.para(place_date),
            meta,
            Spacer(1, 7 * mm),
            pc.para(f"{self._salutation()},"),
            *self.paras("intro.text"),
            *(self.paras("intro.representative") if self._to_representative() else []),
            pc.para(self.org.mandate),
            pc.para(self.org.legal_basis),
        ]

    def situation(self) -> list[Flowable]:
        conv = self.case.conversation
        body: list[Flowable] = []
        parts = [self.t("situation.conversation")]
        if conv.location:
            parts.append(self.t("situation.location"))
        if conv.attended_by:
            parts.append(self.t(f"situation.attended_{conv.attended_by}"))
        if conv.attended_by == "begeleider_only" and self.values["conversation.absence_reason"]:
            parts.append(self.t("situation.absence_reason"))
        body.append(pc.para(" ".join(parts)))
        if conv.previous_arrangement:
            body.append(pc.para(self.t("situation.previous")))
        if self.a.support_plan_date is not None:
            body.append(pc.para(self.t("situation.plan")))
        sent = self.values.get("verslag.sent")
        body.append(pc.para(self.t("situation.verslag_sent" if sent else "situation.verslag")))
        return pc.section(self.t("heading.situation"), *body)

    def decision(self) -> list[Flowable]:
        advice = self.advice
        body: list[Flowable] = []
        if advice.outcome == "ib_bw":
            body.extend(self.paras("decision.ib_bw"))
            rows: list[list[str]] = [
                [
                    self.t("decision.col_component"),
                    self.t("decision.col_start"),
                    self.t("decision.col_end"),
                    self.t("decision.col_scope"),
                ]
            ]
            for segment in advice.segments:
                rows.append(
                    [
                        COMPONENT_NAMES[segment.code],
                        format_date_nl(segment.start),
                        format_date_nl(segment.end),
                        self.t(f"decision.scope_{_scope_kind(segment.code)}"),
                    ]
                )
            body.append(pc.grid(rows, DECISION_COLUMNS, zebra=True))
            body.append(Spacer(1, 3 * mm))
            body.append(pc.para(self.t(f"decision.scope_note_{self.case.delivery}")))
            codes = {segment.code for segment in advice.segments}
            if codes & {"huisvesting", "huishoudelijke_kosten"}:
                body.append(pc.para(self.t("decision.scope_housing")))
            if advice.opslag_window is not None:
                body.append(pc.para(self.t("decision.scope_opslag")))
            body.append(pc.para(self.t("decision.provider")))
            body.append(pc.para(self.t(f"decision.delivery_{self.case.delivery}")))
            if self.case.delivery == "pgb":
                body.append(pc.para(self.org.pgb_conditions))
        else:
            body.extend(self.paras(f"decision.{advice.outcome}"))
            route = {
                "regular_ib": self.org.route_regular_ib,
                "intramural": self.org.route_intramural,
            }
            body.append(pc.para(route[advice.outcome]))
        body.extend(self.current_support())
        return pc.section(self.t("heading.decision"), *body)

    def current_support(self) -> list[Flowable]:
        """When the current support ends: early (with the ground and, inside the bezwaar
        term, the consultant's reason), or on its own date; a refusal says nothing of BW
        extramuraal continues after it."""
        if self.case.current_indication is None:
            return (
                [pc.para(self.t("decision.no_current"))] if self.advice.outcome != "ib_bw" else []
            )
        if not self.values["transition.date"]:
            return [pc.para(self.t("decision.current_ends_own"))]
        body: list[Flowable] = []
        if ends_early(self.case, self.advice):
            named = self.values.get("earlier.reference")
            body.append(
                pc.para(self.t("decision.early_end_named" if named else "decision.early_end"))
            )
            reason = self.case.motivations.get(TRANSITION_MOTIVATION, "").strip()
            if reason:
                body.append(pc.para(f"{self.t('decision.short_notice')} {_sentence(reason)}"))
        else:
            body.append(pc.para(self.t("decision.current_ends")))
        if self.advice.outcome != "ib_bw":
            body.append(pc.para(self.t("decision.refusal_end")))
        return body

    def results(self) -> list[Flowable]:
        if self.advice.outcome != "ib_bw" or not self.case.results:
            return []
        # Per area a line "Financiën — toename zelfredzaamheid" with its results as bullets:
        # as clear as a table, and a quarter of its layout cost.
        body: list[Flowable] = list(self.paras("results.intro"))
        for area_key in RESULT_AREA_KEYS:
            area_results = [r for r in self.case.results if r.area == area_key]
            if not area_results:
                continue
            name = self.catalogue.result_area(area_key).name
            development = DEVELOPMENTS[area_results[0].development]
            # An area (at most nine results) stays whole: no lone result at the top of a page.
            lines = [second_person(r.result) for r in area_results]
            body.append(pc.room_for([f"{name} — {development}", *lines], extra=5 + 2 * len(lines)))
            body.append(pc.markup(f"<b>{pc.esc(name)}</b> — {pc.esc(development)}", self.st.area))
            body.extend(pc.bullets(lines))
        return pc.section(self.t("heading.results"), *body)

    def criteria(self) -> list[Flowable]:
        holds = criteria_held(self.a)
        items: list[Flowable] = []
        for number, key in enumerate(CRITERIA_ORDER, start=1):
            verdict = self.t("why.met") if holds[key] else self.t("why.not_met")
            motivation = self.case.motivations.get(key, "").strip()
            criterion = self.t(f"why.criterion_{key}")
            # The bold criterion never stands at a page foot without its verdict: room for it
            # and the first two lines of the answer.
            items.append(pc.room_for([criterion], extra=2 * 14 + 5))
            items.append(
                pc.markup(
                    f"<b>{number}. {pc.esc(criterion)}</b><br/>"
                    f"{pc.esc(verdict)} {pc.esc(self.t('why.explanation'))} "
                    f"{pc.esc(motivation)}",
                    self.st.criterion,
                )
            )
        outcome = self.advice.outcome
        conclusion = {
            "ib_bw": "why.all_met",
            "regular_ib": "why.regular_ib_reason",
            "intramural": "why.intramural_reason",
        }[outcome]
        return [
            *self.sub("why_criteria"),
            *self.paras("why.criteria"),
            *items,
            pc.para(self.t(conclusion)),
        ]

    def zrm_summary(self) -> list[Flowable]:
        names = {d.key: d.name for d in self.catalogue.domains}
        forms = self.advice.support_forms
        items: list[str] = []
        for form in FORM_ORDER:
            domains = [names[k] for k in DOMAIN_KEYS if forms.get(k) == form]
            if domains:
                items.append(f"{FORM_LABELS[form]} bij: {', '.join(domains)}.")
        unscored = [names[k] for k in DOMAIN_KEYS if self.a.zrm.get(k) is None]
        if unscored:
            items.append(f"Niet gescoord: {', '.join(unscored)}.")
        adl: list[Flowable] = []
        if any(forms.get(k, "geen") != "geen" for k in ("basale_adl", "instrumentele_adl")):
            adl.append(pc.para(self.t("why.zrm_adl")))
        return [
            *self.sub("why_zrm"),
            pc.para(self.t("why.zrm")),
            pc.room_for(items, extra=2 * len(items)),  # never one bullet alone on a new page
            *pc.bullets(items),
            Spacer(1, 2 * mm),
            *adl,
            *self.motivation("zrm"),
        ]

    def why(self) -> list[Flowable]:
        body: list[Flowable] = [*self.criteria(), *self.zrm_summary()]
        advice = self.advice
        a = self.a
        if advice.outcome == "ib_bw":
            assert advice.ib_level is not None
            body.extend(self.sub("why_level"))
            if a.ib_override is not None and advice.recommended_ib_level != advice.ib_level:
                body.append(pc.para(self.t("why.override")))
            elif a.ib_override is not None:
                body.append(pc.para(self.t(f"why.level_{advice.ib_level}")))
                body.append(
                    pc.para(f"{self.t('why.explanation')} {a.ib_override.motivation.strip()}")
                )
            else:
                body.append(pc.para(self.t(f"why.level_{advice.ib_level}")))
            if a.opslag is not None:
                body.extend(self.sub("why_opslag"))
                body.append(pc.para(self.t("why.opslag_intro")))
                body.append(
                    pc.para(
                        f"{self.t(f'why.opslag_{a.opslag.reason}')} {self.t('why.opslag_period')}"
                    )
                )
                body.extend(self.motivation("opslag"))
            if a.huisvesting is not None and a.huisvesting.granted:
                body.extend(self.sub("why_huisvesting"))
                body.append(pc.para(self.t("why.huisvesting")))
                body.extend(self.motivation("huisvesting"))
            elif a.huisvesting is not None:
                # A refused huisvesting component gets its own paragraph with the reason.
                reason = (
                    "not_rent"
                    if not a.huisvesting.cannot_rent_independently
                    else "not_via_provider"
                )
                body.extend(self.sub("why_huisvesting_refused"))
                body.append(pc.para(self.t(f"why.huisvesting_refused_{reason}")))
                body.extend(self.motivation("huisvesting"))
            body.extend(self.sub("why_period"))
            if is_over_one_year(advice.period_start, advice.period_end) and a.extension_motivation:
                body.append(pc.para(self.t("why.extension")))
            else:
                body.append(pc.para(self.t("why.period")))
        return pc.section(self.t("heading.why"), *body)

    def provider(self) -> list[Flowable]:
        if self.advice.outcome != "ib_bw":
            return []
        body = self.paras("provider.plan")
        for task in provider_tasks(self.case, self.advice, self.a):
            body += self.paras(f"provider.{task}")
        if self.a.has_debts:
            body += self.paras("provider.budgetcoach")
        return pc.section(self.t("heading.provider"), *body)

    def eigen_bijdrage(self) -> list[Flowable]:
        if self.advice.outcome != "ib_bw":
            return []
        return pc.section(self.t("heading.eigen_bijdrage"), pc.para(self.org.eigen_bijdrage))

    def obligations(self) -> list[Flowable]:
        body = self.paras("obligations.text")
        if self.advice.outcome == "ib_bw":  # herzien/intrekken/terugvorderen: grants only
            body += self.paras("obligations.grant")
        return pc.section(self.t("heading.obligations"), *body)

    def next_steps(self) -> list[Flowable]:
        if self.advice.outcome == "ib_bw":
            body = self.paras("next_steps.ib_bw")
        elif self.values["transition.last_day"]:
            body = self.paras("next_steps.refusal")
        else:
            body = []
        return pc.section(
            self.t("heading.next_steps"), *body, pc.para(self.org.clientondersteuning)
        )

    def _address_block(self, lines: Sequence[str]) -> Flowable:
        text = "<br/>".join(pc.esc(line) for line in lines)
        return pc.markup(text, self.st.indented)

    def bezwaar(self) -> list[Flowable]:
        org = self.org
        items = [
            self.t(f"bezwaar.item_{k}")
            for k in ("name", "date", "decision", "reasons", "signature")
        ]
        body: list[Flowable] = [
            *self.paras("bezwaar.informal"),
            *self.paras("bezwaar.intro"),
            self._address_block([org.bezwaar_addressee, *org.bezwaar_address]),
        ]
        if org.bezwaar_digital:
            body.append(pc.para(org.bezwaar_digital))
        body.append(CondPageBreak(32 * mm))
        body.append(pc.para(self.t("bezwaar.contents"), self.st.body_tight))
        body.extend(pc.bullets(items))
        body.append(Spacer(1, 2 * mm))
        body.extend(self.paras("bezwaar.copy"))
        body.append(CondPageBreak(32 * mm))
        body.extend(self.paras("bezwaar.voorlopig"))
        body.append(self._address_block(org.rechtbank_address))
        return pc.section(self.t("heading.bezwaar"), *body)

    def questions(self) -> list[Flowable]:
        """The questions section (kept together with the signature by `closing`)."""
        return [
            pc.para(self.t("heading.questions"), self.st.heading),
            *self.paras("questions.text"),
        ]

    def closing(self) -> list[Flowable]:
        block: list[Flowable] = [
            Spacer(1, 4 * mm),
            pc.para(self.t("closing.greeting"), self.st.body_tight),
            pc.para(self.t("closing.on_behalf")),
            Spacer(1, 8 * mm),
            pc.para(self.case.consultant_name, self.st.body_tight),
            pc.para(self.org.signature_role, self.st.body_tight),
            pc.para(self.org.name),
        ]
        # The signature never stands alone on the last page: the questions section goes with
        # it. Room: the heading (29 pt), the questions text, the greeting and the five lines of
        # the signature with their spaces (about 120 pt).
        questions = self.texts.paragraphs("questions.text", self.values)
        copy_room = 40 if self.case.representative is not None else 0  # the copy line too
        flowables: list[Flowable] = [
            pc.room_for(
                [*questions, self.t("closing.on_behalf")],
                extra=29 + 6 * len(questions) + 120 + copy_room,
            ),
            *self.questions(),
            *block,
        ]
        rep = self.case.representative
        kind = representative_kind(self.case)
        if kind == "money" and self.case.delivery != "pgb":
            rep = None  # a bewindvoerder gets only what concerns money
        copy_address: Address | None = None
        if kind == "addressee":
            copy, copy_address = _client_name(self.case), self.case.client.address
        elif rep is not None:
            copy, copy_address = self.t("closing.copy"), rep.address
        if kind == "addressee" or rep is not None:
            if copy_address is not None and copy_address.is_complete():
                copy += (
                    f", {copy_address.street} {copy_address.house_number}, "
                    f"{normalise_postcode(copy_address.postcode)} {copy_address.city}"
                )
            flowables.append(Spacer(1, 4 * mm))
            flowables.append(
                pc.markup(f"<b>{pc.esc(self.t('meta.copy'))}:</b> {pc.esc(copy)}", self.st.body)
            )
        return flowables

    def story(self) -> list[Flowable]:
        return [
            *self.head(),
            *self.situation(),
            *self.decision(),
            *self.results(),
            *self.why(),
            *self.provider(),
            *self.eigen_bijdrage(),
            *self.obligations(),
            *self.next_steps(),
            *self.bezwaar(),
            *self.closing(),
        ]


def draw_letterhead(organisation: Organisation) -> pc.PageDrawer:
    """Page 1: logo and name at the left, the organisation's addresses in a right column."""

    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = pc.PAGE_HEIGHT - pc.MARGIN_TOP
        x = pc.MARGIN_LEFT
        if organisation.logo is not None:
            canvas.drawImage(
                str(organisation.logo),
                x,
                top - 14 * mm,
                width=40 * mm,
                height=14 * mm,
                preserveAspectRatio=True,
                anchor="nw",
                mask="auto",
            )
            top -= 17 * mm
        canvas.setFillColor(pc.ACCENT)
        canvas.setFont(pc.FONT_BOLD, 14)
        canvas.drawString(x, top - 12, organisation.name)
        if organisation.department:
            canvas.setFillColor(pc.GREY)
            canvas.setFont(pc.FONT, 8.5)
            canvas.drawString(x, top - 25, organisation.department)
        right_x = pc.PAGE_WIDTH - pc.MARGIN_RIGHT - 52 * mm
        y = pc.PAGE_HEIGHT - pc.MARGIN_TOP - 7
        canvas.setFont(pc.FONT, 7.5)
        canvas.setFillColor(pc.GREY)
        lines = [
            *organisation.visiting_address,
            "",
            *organisation.postal_address,
            "",
            f"Telefoon {organisation.phone}",
            organisation.website,
        ]
        for line in lines:
            if line:
                canvas.drawString(right_x, y, line)
            y -= 9.5
        canvas.restoreState()

    return draw


def render_beschikking(
    case: Case,
    advice: Advice,
    organisation: Organisation,
    out_path: Path | str,
    *,
    demo: bool = False,
    texts: LetterTexts | None = None,
    history: LetterHistory | None = None,
) -> Path:
    """Write the beschikking of `case` (decided as `advice`) to `out_path` as PDF.

    Refuses (InputError naming the first missing item) a case that lacks what a beschikking
    needs. `demo` marks every page "DEMO — geen echt besluit" (demo data, never real).
    A case that is not definitief prints marked CONCEPT on every page (dated today when it
    has no decision date yet). `texts` lets a batch load the letter texts once.
    """
    concept = case.status != "definitief"
    if concept and case.decision_date is None:
        case = dataclasses.replace(case, decision_date=dt.date.today())
    check_ready_for_beschikking(case, advice)
    assessment = parse_case_assessment(case)
    if case.status == "definitief":
        # A concept may show a draft; a definitief letter must hold in bezwaar.
        for problem in beschikking_problems(case, advice, assessment):
            raise InputError(problem.field, problem.message)
    letter = _Letter(
        case,
        advice,
        assessment,
        organisation,
        texts or load_letter_texts("beschikking"),
        history,
    )
    out = Path(out_path)
    pc.build_document(
        out,
        letter.story(),
        title=f"{pc.DEMO_TITLE_PREFIX if demo else ''}"
        f"{pc.CONCEPT_TITLE_PREFIX if concept else ''}{letter.subject} — {case.reference}",
        author=organisation.name,
        subject=letter.subject,
        footer_left=f"{organisation.name} · kenmerk {case.reference}",
        demo=demo,
        concept=concept,
        first_page=draw_letterhead(organisation),
        first_top=FIRST_TOP,
    )
    return out
