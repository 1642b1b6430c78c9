"""The onderzoeksverslag (assessment report) as an A4 PDF: a copy for the client, and one for
the provider only with the client's consent (recorded per case; since 1 July 2023).

Contents: the conversation, the ZRM (scores, level names, support forms, notes, previous
scores beside them and a chart of the change per domain), the criteria with motivations,
the advice with its explanation and warnings, the decided arrangement with weekly and
period cost per line, and the tariff tables used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
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
from bwo_desktop.exports.beschikking import parse_case_assessment
from bwo_desktop.exports.organisation import Organisation

COPY_FOR: tuple[str, ...] = ("client", "provider")
TITLE = "Onderzoeksverslag herindicatie Beschermd Wonen"


def _yes_no(value: bool | None) -> str:
    return "niet vastgelegd" if value is None else ("ja" if value else "nee")


def previous_scores(previous: Case | None) -> tuple[dict[str, int], dt.date | None]:
    """The earlier case's ZRM scores (read leniently: an old concept may be incomplete)."""
    if previous is None or not isinstance(previous.assessment, dict):
        return {}, None
    raw = previous.assessment.get("zrm")
    scores: dict[str, int] = {}
    if isinstance(raw, dict):
        for key in DOMAIN_KEYS:
            value = raw.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5:
                scores[key] = value
    day: dt.date | None = None
    text = previous.assessment.get("assessment_date")
    if isinstance(text, str):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            day = None
    return scores, day


def change_chart(
    names: Mapping[str, str], now: Mapping[str, int], before: Mapping[str, int], width: float
) -> Drawing:
    """Horizontal bars: score now minus the previous score per domain (right = more self-reliant)."""
    row = 12.5
    label_w = 120.0
    top_pad, bottom_pad = 16.0, 6.0
    height = top_pad + row * len(DOMAIN_KEYS) + bottom_pad
    drawing = Drawing(width, height)
    axis_x = label_w + (width - label_w - 60) / 2
    unit = (width - label_w - 60) / 8  # changes run from -4 to +4
    drawing.add(
        String(
            label_w,
            height - 10,
            "minder zelfredzaam",
            fontName=pc.FONT,
            fontSize=7,
            fillColor=pc.GREY,
        )
    )
    drawing.add(
        String(
            axis_x + 4 * unit,
            height - 10,
            "meer zelfredzaam",
            fontName=pc.FONT,
            fontSize=7,
            fillColor=pc.GREY,
            textAnchor="end",
        )
    )
    for i in range(-4, 5):
        x = axis_x + i * unit
        drawing.add(
            Line(
                x,
                bottom_pad,
                x,
                height - top_pad + 2,
                strokeColor=pc.ACCENT if i == 0 else colors.HexColor("#DDE3EA"),
                strokeWidth=0.8 if i == 0 else 0.4,
            )
        )
    for index, key in enumerate(DOMAIN_KEYS):
        y = height - top_pad - (index + 1) * row + 3
        drawing.add(String(0, y + 1.5, names[key], fontName=pc.FONT, fontSize=7.5))
        if key in now and key in before:
            change = now[key] - before[key]
            if change:
                color = colors.HexColor("#2E7D32") if change > 0 else colors.HexColor("#C62828")
                x0 = axis_x if change > 0 else axis_x + change * unit
                drawing.add(
                    Rect(x0, y, abs(change) * unit, row - 5, fillColor=color, strokeColor=None)
                )
            label = f"{change:+d}" if change else "0"
            drawing.add(
                String(axis_x + 4 * unit + 8, y + 1.5, label, fontName=pc.FONT, fontSize=7.5)
            )
        else:
            drawing.add(
                String(
                    axis_x + 4 * unit + 8,
                    y + 1.5,
                    "–",
                    fontName=pc.FONT,
                    fontSize=7.5,
                    fillColor=pc.GREY,
                )
            )
    return drawing


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
        copy_text = (
            "Exemplaar voor de cliënt"
            if self.copy_for == "client"
            else "Exemplaar voor de zorgaanbieder, gedeeld met toestemming van de cliënt"
        )
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
            pc.para(copy_text, pc.derive(self.st.body, textColor=pc.ACCENT)),
            self.kv(
                [
                    ("Cliënt", formal_name(client)),
                    ("Geboortedatum", format_date_nl(client.birth_date)),
                    ("BSN", client.bsn),
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
        return pc.section("1. Het gesprek", self.kv(rows))

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
        return pc.section("2. Zelfredzaamheid-Matrix (ZRM)", *body)

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
        return pc.section("3. Criteria", table, Spacer(1, 1.5 * mm), note)

    def advice_part(self) -> list[Flowable]:
        adv = self.advice
        rows = [("Uitkomst", OUTCOME_NAMES[adv.outcome])]
        if adv.recommended_ib_level:
            rows.append(
                (
                    "Aanbevolen niveau",
                    f"{adv.recommended_ib_level}: {IB_LEVEL_NAMES[adv.recommended_ib_level]}",
                )
            )
        if adv.ib_level:
            rows.append(("Besloten niveau", f"{adv.ib_level}: {IB_LEVEL_NAMES[adv.ib_level]}"))
        if self.a.ib_override is not None:
            rows.append(("Motivering afwijking", self.a.ib_override.motivation.strip()))
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
        if adv.explanation:
            body.append(pc.para("Uitleg bij het advies", self.st.subheading))
            body.extend(pc.bullets(list(adv.explanation)))
        if adv.warnings:
            body.append(pc.para("Signalen", self.st.subheading))
            body.extend(pc.bullets([w.message for w in adv.warnings]))
        return pc.section("4. Advies en besluit", *body)

    def arrangement(self) -> list[Flowable]:
        adv = self.advice
        if adv.outcome != "ib_bw" or not adv.lines:
            return pc.section(
                "5. Arrangement en kosten",
                pc.para(
                    "Deze uitkomst kent geen componenten Beschermd Wonen; er zijn geen kosten."
                ),
            )
        rows: list[list[str]] = [["Component", "Periode", "Dagen", "Per week", "Periode totaal"]]
        for line in adv.lines:
            spans = "\n".join(
                f"{format_date_nl(s.start)} – {format_date_nl(s.end)}"
                for s in adv.segments
                if s.code == line.code
            )
            rows.append(
                [
                    COMPONENT_NAMES[line.code],
                    spans,
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
        body: list[Flowable] = [table, Spacer(1, 1.5 * mm), note]
        if self.case.results:
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
            body.append(CondPageBreak(30 * mm))
            body.append(
                pc.para("Te bereiken resultaten", pc.derive(self.st.subheading, keepWithNext=False))
            )
            body.append(pc.grid(res_rows, [42 * mm, pc.CONTENT_WIDTH - 77 * mm, 35 * mm]))
        return pc.section("5. Arrangement en kosten", *body)

    def tariff_tables(self) -> list[Flowable]:
        tables = list(self.tariffs)
        if not tables:
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
        return pc.section("6. Gebruikte tarieven", *body, keep=True)

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
        raise InputError("copy_for", f"onbekend exemplaar {copy_for!r} (kies uit client, provider)")
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
    kind: str = "internal",
) -> Path:
    """Write the onderzoeksverslag to `out_path`. `copy_for` is "client" or "provider"; the
    provider copy is refused (InputError) unless the client's consent is recorded as true.
    `previous` is the client's earlier case (its scores go beside the current ones).

    `kind="client"` (with copy_for "client") writes the letter the client receives: B1, the
    Wmo 2.3.2 topics, no signals, tariffs or engine text. `kind="internal"` (the default,
    today's document) is the file that stays inside the organisation."""
    check_copy_allowed(case, copy_for)
    assessment = parse_case_assessment(case)
    if kind not in ("client", "internal"):
        raise InputError("kind", f"onbekende soort verslag: {kind}")
    if kind == "client":
        if copy_for != "client":
            raise InputError("kind", "het cliëntverslag is alleen voor de cliënt")
        from bwo_desktop.exports.beschikking import FIRST_TOP, draw_letterhead
        from bwo_desktop.exports.verslag_client import client_story

        out = Path(out_path)
        pc.build_document(
            out,
            client_story(case, advice, assessment, organisation),
            title=f"{pc.DEMO_TITLE_PREFIX if demo else ''}"
            f"{pc.CONCEPT_TITLE_PREFIX if case.status != 'definitief' else ''}{TITLE} — "
            f"{case.reference or '(nog geen kenmerk)'}",
            author=organisation.name,
            subject=TITLE,
            footer_left=f"Verslag van ons gesprek · kenmerk {case.reference or '(nog geen kenmerk)'}",
            demo=demo,
            concept=case.status != "definitief",
            first_page=draw_letterhead(organisation),
            first_top=FIRST_TOP,
        )
        return out
    report = _Report(
        case,
        advice,
        assessment,
        organisation,
        previous,
        copy_for,
        tariffs if tariffs is not None else tables_for(case, advice),
    )
    out = Path(out_path)
    footer = f"Onderzoeksverslag · kenmerk {case.reference or '(nog geen kenmerk)'}"
    if copy_for == "provider":
        footer += " · exemplaar zorgaanbieder"
    pc.build_document(
        out,
        report.story(),
        title=f"{pc.DEMO_TITLE_PREFIX if demo else ''}"
        f"{pc.CONCEPT_TITLE_PREFIX if case.status != 'definitief' else ''}{TITLE} — "
        f"{case.reference or '(nog geen kenmerk)'}",  # never a client name in metadata
        author=organisation.name,
        subject=TITLE,
        footer_left=footer,
        demo=demo,
        concept=case.status != "definitief",
        first_page=_draw_header(organisation),
        first_top=pc.MARGIN_TOP + 10 * mm,
    )
    return out
