"""The onderzoeksverslag (assessment report) as an A4 PDF, in three labelled copies:

- "client": the letter the client receives (B1, `verslag_client.py`);
- "provider": only with the client's consent (recorded per case; since 1 July 2023), and only
  what the provider works with: the conversation, the ZRM, the criteria, the decision and its
  components by name with the results to reach; no amounts, tariff codes, engine text or
  internal signals, no BSN;
- "internal": the dossier copy that never leaves the organisation: the above plus the BSN,
  the advice with its explanation and signals, weekly and period cost per line and the
  tariff tables used.

Labels and headings come from resources/letters/verslag_dossier.toml.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, KeepTogether, Spacer

from bwo_desktop.core.advice import (
    CRITERIA_TEXTS,
    IB_LEVEL_NAMES,
    OPSLAG_REASONS,
    OUTCOME_NAMES,
    Advice,
    Assessment,
)
from bwo_desktop.core.case import ATTENDANCE, DELIVERIES, STATUS_NAMES, Case
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.formatting import format_date_nl, format_euro, format_period_nl
from bwo_desktop.core.names import formal_name
from bwo_desktop.core.tariffs import COMPONENT_CODES, COMPONENT_NAMES, TariffTable
from bwo_desktop.core.zrm import (
    DEVELOPMENTS,
    DOMAIN_KEYS,
    RESULT_AREA_KEYS,
    SUPPORT_FORM_NAMES,
    load_catalogue,
)
from bwo_desktop.exports import pdf_common as pc
from bwo_desktop.exports.beschikking import parse_case_assessment, placeholder_values
from bwo_desktop.exports.letters import LetterTexts, load_letter_texts
from bwo_desktop.exports.organisation import Organisation
from bwo_desktop.exports.verslag_chart import change_chart, previous_scores

COPY_FOR: tuple[str, ...] = ("client", "provider", "internal")
__all__ = ["COPY_FOR", "TITLE", "change_chart", "previous_scores", "render_onderzoeksverslag"]
TITLE = "Onderzoeksverslag herindicatie Beschermd Wonen"


def _yes_no(value: bool | None) -> str:
    return "niet vastgelegd" if value is None else ("ja" if value else "nee")


class _Report:
    def __init__(
        self,
        case: Case,
        advice: Advice,
        assessment: Assessment,
        organisation: Organisation,
        previous: Case | None,
        copy_for: str,
        tariffs: Sequence[TariffTable],
        texts: LetterTexts,
    ) -> None:
        self.case = case
        self.advice = advice
        self.a = assessment
        self.org = organisation
        self.previous = previous
        self.copy_for = copy_for
        self.tariffs = tariffs
        self.st = pc.styles()
        self.catalogue = load_catalogue()
        self.domain_names = {d.key: d.name for d in self.catalogue.domains}
        self.internal = copy_for == "internal"
        self.tx = texts
        self.values = placeholder_values(case, advice, assessment, organisation)
        self._sections = 0

    def t(self, key: str) -> str:
        return self.tx.get(key, self.values)

    def heading(self, key: str) -> str:
        """The next numbered section heading (the provider copy has fewer sections)."""
        self._sections += 1
        return f"{self._sections}. {self.t(f'heading.{key}')}"

    def kv(self, rows: Sequence[tuple[str, str]]) -> Flowable:
        data = [[label, value] for label, value in rows if value]
        return pc.grid(
            data,
            [45 * mm, pc.CONTENT_WIDTH - 45 * mm],
            header=False,
            extra_style=[("TEXTCOLOR", (0, 0), (0, -1), pc.GREY)],
        )

    def head(self) -> list[Flowable]:
        case = self.case
        client = case.client
        label = "internal" if self.internal else "provider"
        address = ""
        if client.address is not None:
            ad = client.address
            address = f"{ad.street} {ad.house_number}, {ad.postcode} {ad.city}".strip(" ,")
        provider = ""
        if client.provider is not None:
            provider = client.provider.name
            if client.provider.agb_code:
                provider += f" (AGB {client.provider.agb_code})"
        begeleider = ""
        if client.begeleider is not None:
            b = client.begeleider
            begeleider = ", ".join(p for p in (b.name, b.phone, b.email) if p)
        report_date = case.decision_date or self.a.assessment_date
        return [
            pc.para(TITLE, self.st.title),
            pc.para(
                self.t(f"label.{label}"),
                pc.derive(self.st.body, textColor=pc.ACCENT, fontName=pc.FONT_BOLD, spaceAfter=2),
            ),
            pc.para(self.t(f"label.{label}_note"), self.st.small),
            Spacer(1, 3 * mm),
            self.kv(
                [
                    ("Cliënt", formal_name(client)),
                    ("Geboortedatum", format_date_nl(client.birth_date)),
                    # The provider knows the client by name and kenmerk; the BSN stays inside.
                    ("BSN", client.bsn if self.internal else ""),
                    ("Adres", address),
                    ("Zorgaanbieder", provider),
                    ("Begeleider", begeleider),
                    ("Kenmerk", case.reference or "(nog geen kenmerk)"),
                    ("Consulent", case.consultant_name),
                    ("Datum verslag", format_date_nl(report_date)),
                    ("Status", STATUS_NAMES.get(case.status, case.status)),
                ]
            ),
        ]

    def conversation(self) -> list[Flowable]:
        conv = self.case.conversation
        current = self.case.current_indication
        current_text = ""
        if current is not None:
            current_text = current.description or ""
            if current.end_date is not None:
                current_text += f" (tot en met {format_date_nl(current.end_date)})"
        plan = format_date_nl(self.a.support_plan_date) if self.a.support_plan_date else "ontbreekt"
        rows = [
            ("Datum gesprek", format_date_nl(self.a.assessment_date)),
            ("Plaats", conv.location or ""),
            ("Aanwezig", ATTENDANCE.get(conv.attended_by or "", "niet vastgelegd")),
            ("Reden afwezigheid cliënt", conv.absence_reason or ""),
            ("Huidig arrangement", conv.previous_arrangement or ""),
            ("Huidige indicatie", current_text),
            ("Ondersteuningsplan", plan),
            ("Toestemming delen verslag met aanbieder", _yes_no(conv.consent_share_report)),
        ]
        return pc.section(self.heading("conversation"), self.kv(rows))

    def zrm(self) -> list[Flowable]:
        before, before_date = previous_scores(self.previous)
        has_previous = self.previous is not None
        header = ["Domein", "Score", "Niveau"]
        if has_previous:
            header.append("Vorige")
        header += ["Ondersteuning", "Toelichting"]
        rows: list[list[str]] = [header]
        for key in DOMAIN_KEYS:
            score = self.a.zrm.get(key)
            form = self.advice.support_forms.get(key, "geen")
            form_text = SUPPORT_FORM_NAMES[form]
            if key in self.a.support_forms:
                form_text += " (aangepast door consulent)"
            note = self.case.zrm_notes.get(key, "")
            if score is None and key in self.case.unscored_reasons:
                reason = f"Niet gescoord: {self.case.unscored_reasons[key]}"
                note = f"{reason}\n{note}" if note else reason
            row = [
                self.domain_names[key],
                "–" if score is None else str(score),
                self.catalogue.level_name(score),
            ]
            if has_previous:
                row.append(str(before[key]) if key in before else "–")
            row += [form_text, note]
            rows.append(row)
        if has_previous:
            widths = [32 * mm, 13 * mm, 24 * mm, 15 * mm, 31 * mm]
        else:
            widths = [34 * mm, 13 * mm, 27 * mm, 34 * mm]
        widths.append(pc.CONTENT_WIDTH - sum(widths))
        counts = self.advice.form_counts
        count_text = (
            "Aantal domeinen per ondersteuningsvorm: "
            + ", ".join(
                f"{SUPPORT_FORM_NAMES[f]} {counts.get(f, 0)}"
                for f in ("overnemen", "aanleren", "toezicht", "geen")
            )
            + "."
        )
        body: list[Flowable] = [
            pc.grid(rows, widths, zebra=True, align_right=(1, 3) if has_previous else (1,)),
            Spacer(1, 2 * mm),
            pc.para(count_text),
        ]
        if self.case.motivations.get("zrm", "").strip():
            body.append(
                pc.para(f"Toelichting van de consulent: {self.case.motivations['zrm'].strip()}")
            )
        if has_previous:
            since = f" sinds {format_date_nl(before_date)}" if before_date else ""
            body.append(
                KeepTogether(
                    [
                        pc.para(
                            f"Verandering per domein{since} (score nu min vorige score)",
                            self.st.subheading,
                        ),
                        change_chart(self.domain_names, self.a.zrm, before, pc.CONTENT_WIDTH),
                    ]
                )
            )
        return pc.section(self.heading("zrm"), *body)

    def criteria(self) -> list[Flowable]:
        crit = self.a.criteria
        answers = {
            "need_24_7": crit.need_24_7,
            "can_postpone": crit.can_postpone,
            "regular_ib_fits": crit.regular_ib_fits,
        }
        rows: list[list[str]] = [["Criterium", "Antwoord", "Motivering"]]
        for key, text in CRITERIA_TEXTS.items():
            rows.append(
                [
                    text,
                    "ja" if answers[key] else "nee",
                    self.case.motivations.get(key, "").strip() or "(geen motivering)",
                ]
            )
        table = pc.grid(rows, [60 * mm, 21 * mm, pc.CONTENT_WIDTH - 81 * mm])
        note = pc.para(
            "Voor individuele begeleiding Beschermd Wonen moeten de eerste twee criteria met ja "
            "en het derde met nee beantwoord zijn.",
            self.st.small,
        )
        return pc.section(self.heading("criteria"), table, Spacer(1, 1.5 * mm), note)

    def advice_part(self) -> list[Flowable]:
        adv = self.advice
        rows = [("Uitkomst", OUTCOME_NAMES[adv.outcome])]
        if adv.recommended_ib_level and self.internal:  # the engine's advice stays inside
            rows.append(
                (
                    "Aanbevolen niveau",
                    f"{adv.recommended_ib_level}: {IB_LEVEL_NAMES[adv.recommended_ib_level]}",
                )
            )
        if adv.ib_level:
            rows.append(("Besloten niveau", f"{adv.ib_level}: {IB_LEVEL_NAMES[adv.ib_level]}"))
        if self.a.ib_override is not None:
            rows.append(
                (
                    "Motivering afwijking" if self.internal else "Motivering niveau",
                    self.a.ib_override.motivation.strip(),
                )
            )
        rows.append(("Periode", format_period_nl(adv.period_start, adv.period_end)))
        if self.a.extension_motivation:
            rows.append(("Motivering verlenging", self.a.extension_motivation.strip()))
        if self.a.opslag is not None and adv.opslag_window is not None:
            rows.append(
                (
                    "Opslag",
                    f"{OPSLAG_REASONS[self.a.opslag.reason]}, "
                    f"{format_period_nl(*adv.opslag_window)}"
                    f"{'' if self.a.opslag.motivated_in_plan else ' (niet gemotiveerd in het plan)'}",
                )
            )
            if self.case.motivations.get("opslag", "").strip():
                rows.append(("Motivering opslag", self.case.motivations["opslag"].strip()))
        if self.a.huisvesting is not None:
            hv = self.a.huisvesting
            rows.append(
                (
                    "Huisvesting",
                    ("toegekend: " if hv.granted else "niet toegekend: ")
                    + f"kan nog niet zelfstandig huren: {_yes_no(hv.cannot_rent_independently)}; "
                    f"woonruimte via de aanbieder: {_yes_no(hv.housing_via_provider)}",
                )
            )
            if self.case.motivations.get("huisvesting", "").strip():
                rows.append(
                    ("Motivering huisvesting", self.case.motivations["huisvesting"].strip())
                )
        rows.append(("Schulden", "ja (budgetcoach)" if self.a.has_debts else "nee"))
        rows.append(("Leveringsvorm", DELIVERIES.get(self.case.delivery, self.case.delivery)))
        body: list[Flowable] = [self.kv(rows)]
        if not self.internal:
            return pc.section(self.heading("decision"), *body)
        if adv.explanation:
            body.append(pc.para(self.t("heading.explanation"), self.st.subheading))
            body.extend(pc.bullets(list(adv.explanation)))
        if adv.warnings:
            body.append(pc.para(self.t("heading.signals"), self.st.subheading))
            body.extend(pc.bullets([w.message for w in adv.warnings]))
        return pc.section(self.heading("advice"), *body)

    def arrangement(self) -> list[Flowable]:
        adv = self.advice
        heading = self.heading("arrangement" if self.internal else "components")
        if adv.outcome != "ib_bw" or not adv.lines:
            return pc.section(
                heading,
                pc.para(
                    "Deze uitkomst kent geen componenten Beschermd Wonen; er zijn geen kosten."
                ),
            )
        body = self.cost_table() if self.internal else self.component_table()
        return pc.section(heading, *body, *self.results())

    def spans(self, code: str) -> str:
        return "\n".join(
            f"{format_date_nl(s.start)} – {format_date_nl(s.end)}"
            for s in self.advice.segments
            if s.code == code
        )

    def component_table(self) -> list[Flowable]:
        """The provider's view: each component by name and when it runs, no amounts."""
        rows: list[list[str]] = [["Component", "Periode"]]
        for line in self.advice.lines:
            rows.append([COMPONENT_NAMES[line.code], self.spans(line.code)])
        table = pc.grid(rows, [90 * mm, pc.CONTENT_WIDTH - 90 * mm])
        return [table, Spacer(1, 1.5 * mm), pc.para(self.t("text.components"), self.st.small)]

    def cost_table(self) -> list[Flowable]:
        adv = self.advice
        rows: list[list[str]] = [["Component", "Periode", "Dagen", "Per week", "Periode totaal"]]
        for line in adv.lines:
            rows.append(
                [
                    COMPONENT_NAMES[line.code],
                    self.spans(line.code),
                    str(line.days),
                    format_euro(line.weekly),
                    format_euro(line.amount),
                ]
            )
        rows.append(
            ["Totaal", "", "", format_euro(adv.weekly_total), format_euro(adv.period_total)]
        )
        widths = [47 * mm, 56 * mm, 15 * mm, 21 * mm]
        widths.append(pc.CONTENT_WIDTH - sum(widths))
        table = pc.grid(
            rows,
            widths,
            align_right=(2, 3, 4),
            # The total never stands alone on a new page: it stays with the last line.
            extra_style=[
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, pc.ACCENT),
                ("NOSPLIT", (0, -2), (-1, -1)),
            ],
        )
        note = pc.para(
            "Per week: het tarief op de eerste dag van de component. Totaal per week: de tarieven "
            "die op de eerste dag van de periode gelden. Kosten per regel: per dag het weektarief "
            "dat die dag geldt, gedeeld door 7, eenmaal afgerond op centen.",
            self.st.small,
        )
        return [table, Spacer(1, 1.5 * mm), note]

    def results(self) -> list[Flowable]:
        if not self.case.results:
            return []
        # One row per result area (its name and development once), its results as lines:
        # no repeated area names, and an area never splits over two pages.
        res_rows: list[list[str]] = [
            ["Resultaatgebied", "Te bereiken resultaten (de cliënt ...)", "Ontwikkeling"]
        ]
        for area in RESULT_AREA_KEYS:
            results = [r for r in self.case.results if r.area == area]
            if results:
                res_rows.append(
                    [
                        self.catalogue.result_area(area).name,
                        "\n".join(f"• {r.result.strip()}" for r in results),
                        DEVELOPMENTS[results[0].development],
                    ]
                )
        # A CondPageBreak, not keepWithNext: that would move the whole table to a new page.
        return [
            CondPageBreak(30 * mm),
            pc.para(self.t("heading.results"), pc.derive(self.st.subheading, keepWithNext=False)),
            pc.grid(res_rows, [42 * mm, pc.CONTENT_WIDTH - 77 * mm, 35 * mm]),
        ]

    def tariff_tables(self) -> list[Flowable]:
        tables = list(self.tariffs)
        if not tables or not self.internal:
            return []
        header = ["Weektarief per component"] + [
            f"vanaf {format_date_nl(t.valid_from)}" for t in tables
        ]
        rows: list[list[str]] = [header]
        for code in COMPONENT_CODES:
            rows.append([COMPONENT_NAMES[code]] + [format_euro(t.rate(code)) for t in tables])
        rows.append(
            ["Hoge aftoppingsgrens huurtoeslag (per maand)"]
            + [format_euro(t.hoge_aftoppingsgrens_per_maand) for t in tables]
        )
        first = 90 * mm
        other = (pc.CONTENT_WIDTH - first) / len(tables)
        body: list[Flowable] = [
            pc.grid(
                rows,
                [first] + [other] * len(tables),
                zebra=True,
                align_right=tuple(range(1, len(tables) + 1)),
            ),
        ]
        sources = [f"vanaf {format_date_nl(t.valid_from)}: {t.source}" for t in tables if t.source]
        if sources:
            body.append(Spacer(1, 1.5 * mm))
            body.append(pc.para("Bron: " + "; ".join(sources) + ".", self.st.small))
        return pc.section(self.heading("tariffs"), *body, keep=True)

    def signature(self) -> list[Flowable]:
        day = self.case.decision_date or self.a.assessment_date
        return [
            Spacer(1, 6 * mm),
            KeepTogether(
                [
                    pc.para(f"{self.org.city}, {format_date_nl(day)}", self.st.body_tight),
                    pc.para(
                        f"{self.case.consultant_name}, {self.org.signature_role}",
                        self.st.body_tight,
                    ),
                    pc.para(self.org.name),
                ]
            ),
        ]

    def story(self) -> list[Flowable]:
        return [
            *self.head(),
            *self.conversation(),
            *self.zrm(),
            *self.criteria(),
            *self.advice_part(),
            *self.arrangement(),
            *self.tariff_tables(),
            *self.signature(),
        ]


def _draw_header(organisation: Organisation) -> pc.PageDrawer:
    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        canvas.saveState()
        canvas.setFillColor(pc.ACCENT)
        canvas.setFont(pc.FONT_BOLD, 11)
        y = pc.PAGE_HEIGHT - pc.MARGIN_TOP - 8
        canvas.drawString(pc.MARGIN_LEFT, y, organisation.name)
        if organisation.department:
            canvas.setFillColor(pc.GREY)
            canvas.setFont(pc.FONT, 8)
            canvas.drawRightString(pc.PAGE_WIDTH - pc.MARGIN_RIGHT, y, organisation.department)
        canvas.restoreState()

    return draw


def tables_for(case: Case, advice: Advice) -> list[TariffTable]:
    """The tariff tables to show: the ones the advice used, else those the case was decided with."""
    if advice.tariffs_used:
        return list(advice.tariffs_used)
    from bwo_desktop.core.tariffs import tariff_table_from_dict

    return [
        tariff_table_from_dict(t, f"tariffs_used[{i}]") for i, t in enumerate(case.tariffs_used)
    ]


def check_copy_allowed(case: Case, copy_for: str) -> None:
    if copy_for not in COPY_FOR:
        raise InputError(
            "copy_for", f"onbekend exemplaar {copy_for!r} (kies uit client, provider, internal)"
        )
    consent = case.conversation.consent_share_report
    if copy_for == "provider" and consent is not True:
        why = (
            "de cliënt heeft geen toestemming gegeven"
            if consent is False
            else "er is niet vastgelegd dat de cliënt toestemming geeft"
        )
        raise InputError(
            "conversation.consent_share_report",
            f"het exemplaar voor de zorgaanbieder wordt niet gemaakt: {why} om het "
            "onderzoeksverslag met de zorgaanbieder te delen. Zonder die toestemming mag het "
            "verslag niet naar de zorgaanbieder. Het exemplaar voor de cliënt kunt u wel maken",
        )


def render_onderzoeksverslag(
    case: Case,
    advice: Advice,
    organisation: Organisation,
    out_path: Path | str,
    *,
    previous: Case | None,
    copy_for: str,
    demo: bool = False,
    tariffs: Sequence[TariffTable] | None = None,
) -> Path:
    """Write one copy of the onderzoeksverslag to `out_path`: `copy_for` is "client" (the B1
    letter the client receives), "provider" (refused with an InputError unless the client's
    consent is recorded as true) or "internal" (the dossier copy). `previous` is the client's
    earlier case (its scores go beside the current ones in the provider and internal copies)."""
    check_copy_allowed(case, copy_for)
    assessment = parse_case_assessment(case)
    out = Path(out_path)
    reference = case.reference or "(nog geen kenmerk)"
    concept = case.status != "definitief"
    # Never a client name in the metadata: the kenmerk identifies the document.
    title = (
        f"{pc.DEMO_TITLE_PREFIX if demo else ''}{pc.CONCEPT_TITLE_PREFIX if concept else ''}"
        f"{TITLE} — {reference}"
    )
    if copy_for == "client":
        from bwo_desktop.exports.beschikking import FIRST_TOP, draw_letterhead
        from bwo_desktop.exports.verslag_client import client_story

        pc.build_document(
            out,
            client_story(case, advice, assessment, organisation),
            title=title,
            author=organisation.name,
            subject=TITLE,
            footer_left=f"Verslag van ons gesprek · kenmerk {reference}",
            demo=demo,
            concept=concept,
            first_page=draw_letterhead(organisation),
            first_top=FIRST_TOP,
        )
        return out
    texts = load_letter_texts("verslag_dossier")
    report = _Report(
        case,
        advice,
        assessment,
        organisation,
        previous,
        copy_for,
        tariffs if tariffs is not None else tables_for(case, advice),
        texts,
    )
    pc.build_document(
        out,
        report.story(),
        title=title,
        author=organisation.name,
        subject=TITLE,
        footer_left=f"Onderzoeksverslag · kenmerk {reference} · {report.t(f'footer.{copy_for}')}",
        demo=demo,
        concept=concept,
        first_page=_draw_header(organisation),
        first_top=pc.MARGIN_TOP + 10 * mm,
    )
    return out
