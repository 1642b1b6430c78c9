"""The client's copy of the onderzoeksverslag: B1, "u", the Wmo 2015 art. 2.3.2 topics.

No internal signals, engine text, tariff codes or administrator warnings: those stay in the
internal file (`verslag.py`), which never leaves the organisation. Texts come from
resources/letters/verslag.toml.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from bwo_desktop.core.advice import Advice, Assessment
from bwo_desktop.core.case import Case
from bwo_desktop.core.formatting import format_date_nl
from bwo_desktop.core.zrm import DOMAIN_KEYS, load_catalogue
from bwo_desktop.exports import pdf_common as pc
from bwo_desktop.exports.beschikking import (
    FORM_LABELS,
    FORM_ORDER,
    _address_lines,
    letter_salutation,
    placeholder_values,
    second_person,
)
from bwo_desktop.exports.letters import LetterTexts, load_letter_texts
from bwo_desktop.exports.organisation import Organisation


def client_story(
    case: Case,
    advice: Advice,
    assessment: Assessment,
    organisation: Organisation,
    texts: LetterTexts | None = None,
) -> list[Flowable]:
    """The flowables of the client's copy, address block first."""
    tx = texts or load_letter_texts("verslag")
    values = placeholder_values(case, advice, assessment, organisation)
    st = pc.styles()
    catalogue = load_catalogue()
    names = {d.key: d.name for d in catalogue.domains}

    def t(key: str) -> str:
        return tx.get(key, values)

    story: list[Flowable] = [
        pc.address_window(_address_lines(case)),
        Spacer(1, 14 * mm),
        pc.para(t("title.text"), pc.derive(st.title, spaceAfter=2)),
        pc.para(t("copy.label"), pc.derive(st.body, textColor=pc.ACCENT)),
        pc.para(f"{letter_salutation(case)},"),
        pc.para(t("text.intro")),
    ]
    attended = case.conversation.attended_by
    conv = [t(f"text.attended_{attended}") if attended else ""]
    if case.representative is not None:
        conv.append(t("text.representative"))
    story += pc.section(t("heading.conversation"), *[pc.para(c) for c in conv if c])
    results = [second_person(r.result) for r in case.results]
    wishes: list[Flowable] = (
        [pc.para(t("text.wishes")), *pc.bullets(results)]
        if results
        else [pc.para(t("text.wishes_none"))]
    )
    story += pc.section(t("heading.wishes"), *wishes)
    forms = advice.support_forms
    items = []
    for form in FORM_ORDER:
        domains = [names[k] for k in DOMAIN_KEYS if forms.get(k) == form]
        if domains:
            items.append(f"{FORM_LABELS[form]} bij: {', '.join(domains)}.")
    story += pc.section(
        t("heading.eigen_kracht"), pc.para(t("text.eigen_kracht")), *pc.bullets(items)
    )
    netwerk = [pc.para(t("text.netwerk"))]
    note = case.zrm_notes.get("sociaal_netwerk", "").strip()
    if note:
        netwerk.append(pc.para(f"{t('text.consultant_note')} {note}"))
    story += pc.section(t("heading.netwerk"), *netwerk)
    voorliggend = [pc.para(t("text.voorliggend"))]
    motivation = case.motivations.get("regular_ib_fits", "").strip()
    if motivation:
        voorliggend.append(pc.para(f"“{motivation}”"))  # the consultant's words, quoted
    story += pc.section(t("heading.voorliggend"), *voorliggend)
    story += pc.section(t("heading.eigen_bijdrage"), pc.para(organisation.eigen_bijdrage))
    story += pc.section(t("heading.pgb"), pc.para(t(f"text.pgb_{case.delivery}")))
    story += pc.section(t("heading.clientondersteuning"), pc.para(organisation.clientondersteuning))
    story += pc.section(t("heading.check"), pc.para(t("text.check")), keep=True)
    day = case.decision_date or assessment.assessment_date
    story += [
        Spacer(1, 6 * mm),
        pc.para(f"{organisation.city}, {format_date_nl(day)}", st.body_tight),
        pc.para(f"{case.consultant_name}, {organisation.signature_role}", st.body_tight),
        pc.para(organisation.name),
    ]
    return story
