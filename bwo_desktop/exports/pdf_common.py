"""What both PDFs share: DejaVu Sans, styles, A4 page templates, "pagina X van Y", the DEMO
and CONCEPT marks.

Vera (reportlab's default) lacks Ş, ı, ğ, ś, ż, common in client names here, so both documents
use the bundled DejaVu Sans (resources/fonts, with its licence). reportlab is imported only
when this module is, and this module only when a document is made.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from bwo_desktop.core.resources import resource_path
from bwo_desktop.exports.headings import keep_headings
from bwo_desktop.exports.witness import audit_head_keywords, current_audit_head

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
LANG = "nl-NL"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = 25 * mm
MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
DEMO_TEXT = "DEMO — geen echt besluit"
DEMO_TITLE_PREFIX = "DEMO — "
# A letter of a case that is not definitief: never a decision, visibly so on every page.
CONCEPT_TEXT = "CONCEPT"
CONCEPT_BANNER = "CONCEPT — geen besluit; de zaak is nog niet definitief"
CONCEPT_TITLE_PREFIX = "CONCEPT — "

GREY = colors.HexColor("#555555")
LIGHT = colors.HexColor("#E8EEF4")
RULE = colors.HexColor("#9AA9B8")
ACCENT = colors.HexColor("#1F4E79")


@cache
def register_fonts() -> None:
    """Register DejaVu Sans regular and bold once per process, as one family (so <b> works)."""
    # ASCII85 wrapping of every stream dates from 7-bit mail; it makes files a quarter larger
    # and costs about a fifth of the rendering time. Binary streams are fine for every reader.
    rl_config.useA85 = 0
    fonts_dir = resource_path("fonts")
    pdfmetrics.registerFont(TTFont(FONT, str(fonts_dir / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(fonts_dir / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_tight: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    title: ParagraphStyle
    bullet: ParagraphStyle
    criterion: ParagraphStyle
    area: ParagraphStyle
    indented: ParagraphStyle


@cache
def styles() -> Styles:
    register_fonts()
    # allowWidows=0: a paragraph split over two pages never leaves its last line alone at the
    # top of the next page (a first line alone at the foot is refused by reportlab's default).
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        bulletFontName=FONT,
        fontSize=10,
        leading=14,
        spaceAfter=6,
        allowWidows=0,
    )
    return Styles(
        body=body,
        body_tight=ParagraphStyle("body_tight", parent=body, spaceAfter=0),
        small=ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10.5, textColor=GREY),
        small_right=ParagraphStyle(
            "small_right",
            fontName=FONT,
            fontSize=8,
            leading=10.5,
            textColor=GREY,
            alignment=TA_RIGHT,
        ),
        cell=ParagraphStyle("cell", fontName=FONT, fontSize=8.8, leading=11.5),
        cell_bold=ParagraphStyle("cell_bold", fontName=FONT_BOLD, fontSize=8.8, leading=11.5),
        heading=ParagraphStyle(
            "heading",
            fontName=FONT_BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            textColor=ACCENT,
        ),
        subheading=ParagraphStyle(
            "subheading",
            fontName=FONT_BOLD,
            fontSize=10,
            leading=14,
            spaceBefore=4,
            spaceAfter=2,
            keepWithNext=True,
        ),
        title=ParagraphStyle("title", fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=8),
        bullet=ParagraphStyle("bullet", parent=body, leftIndent=14, bulletIndent=3, spaceAfter=2),
        area=ParagraphStyle("area", parent=body, spaceBefore=3, spaceAfter=2),
        indented=ParagraphStyle("indented", parent=body, leftIndent=14),
        criterion=ParagraphStyle(
            "criterion", parent=body, leftIndent=10, borderPadding=(0, 0, 0, 0), spaceAfter=5
        ),
    )


def derive(style: ParagraphStyle, **changes: Any) -> ParagraphStyle:
    """A variant of `style` (e.g. indented)."""
    return ParagraphStyle(f"{style.name}_derived", parent=style, **changes)


def esc(text: str) -> str:
    """Text as Paragraph markup: &, < and > escaped (names and motivations are free text)."""
    return escape(text)


_TEMPLATE_FRAGS: weakref.WeakKeyDictionary[ParagraphStyle, Any] = weakref.WeakKeyDictionary()
_MARKUP_CHARS = frozenset("<>&\n")


def _plain_paragraph(text: str, style: ParagraphStyle, bullet_text: str | None = None) -> Paragraph:
    """A Paragraph of text without markup, built without reportlab's XML parser.

    Parsing is about a third of what a short paragraph costs, and most of a letter is plain
    sentences. The fragment is the one the parser itself makes for this style (parsed once per
    style), with the text put in; text with markup characters goes through the parser.
    """
    cleaned = " ".join(text.split())
    if not cleaned or not _MARKUP_CHARS.isdisjoint(text):
        return Paragraph(esc(text).replace("\n", "<br/>"), style, bulletText=bullet_text)
    template = _TEMPLATE_FRAGS.get(style)
    if template is None:
        template = Paragraph("x", style).frags[0]
        _TEMPLATE_FRAGS[style] = template
    return Paragraph(cleaned, style, bulletText=bullet_text, frags=[template.clone(text=cleaned)])


def para(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of plain text (escaped); newlines become line breaks."""
    return _plain_paragraph(text, style or styles().body)


def markup(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """A paragraph of trusted markup (already escaped by the caller)."""
    return Paragraph(text, style or styles().body)


ADDRESS_WINDOW_WIDTH = 85 * mm  # the envelope window: the address block wraps inside it


def address_window(lines: Sequence[str]) -> Flowable:
    """The addressee block, wrapped to the envelope window's width (a long name or street
    breaks inside the window instead of running under the letterhead's right column)."""
    text = "<br/>".join(esc(line) for line in lines)
    block = Table(
        [[Paragraph(text, styles().body)]], colWidths=[ADDRESS_WINDOW_WIDTH], hAlign="LEFT"
    )
    block.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return block


def bullets(items: Sequence[str], style: ParagraphStyle | None = None) -> list[Flowable]:
    st = style or styles().bullet
    return [_plain_paragraph(item, st, "•") for item in items]


def section(
    heading: str, *flowables: Flowable, room: float = 38 * mm, keep: bool = False
) -> list[Flowable]:
    """A heading that starts a new page when less than `room` is left, so it never stands
    alone at the foot of a page (a KeepTogether would push a long table whole to the next
    page). `keep=True` keeps a short section whole instead."""
    head = Paragraph(esc(heading), styles().heading)
    if keep:
        return [CondPageBreak(room), KeepTogether([head, *flowables])]
    return [CondPageBreak(room), head, *flowables]


def room_for(
    texts: Sequence[str],
    *,
    width: float = CONTENT_WIDTH,
    font_size: float = 10.0,
    leading: float = 14.0,
    extra: float = 0.0,
) -> CondPageBreak:
    """A page break unless there is room for `texts` (one paragraph each) plus `extra` points.

    Keeps a short block (a list, a signature) on one page the cheap way: the height is
    estimated from the text length, generously (0.6 em per character; DejaVu Sans averages
    about 0.52 on Dutch text), never measured. A KeepTogether lays its content out twice,
    which costs a beschikking about a tenth of its rendering time.
    """
    per_line = max(20, int(width / (font_size * 0.6)))
    lines = sum(max(1, -(-len(text) // per_line)) for text in texts)
    return CondPageBreak(lines * leading + extra)


def grid(
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float],
    *,
    header: bool = True,
    zebra: bool = False,
    align_right: Sequence[int] = (),
    extra_style: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A table of text cells; long tables split with the header repeated.

    A cell whose text fits on one line is drawn as a plain string; only longer text becomes
    a wrapping Paragraph. Paragraphs cost several times more to lay out, and most cells
    (dates, amounts, scores, short names) never wrap.
    """
    st = styles()
    size = st.cell.fontSize
    padding = 8.0
    data: list[list[Any]] = []
    for r, row in enumerate(rows):
        bold = header and r == 0
        font = FONT_BOLD if bold else FONT
        cells: list[Any] = []
        for c, value in enumerate(row):
            if not isinstance(value, str) or (
                "\n" not in value
                and (pdfmetrics.stringWidth(value, font, size) <= col_widths[c] - padding)
            ):
                cells.append(value)
            else:
                style = st.cell_bold if bold else st.cell
                if c in align_right:
                    style = _right(style)
                cells.append(_plain_paragraph(value, style))
        data.append(cells)
    table = Table(data, colWidths=list(col_widths), repeatRows=1 if header else 0, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, size, st.cell.leading),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ]
    for c in align_right:
        commands.append(("ALIGN", (c, 0), (c, -1), "RIGHT"))
    if header:
        commands += [
            ("FONT", (0, 0), (-1, 0), FONT_BOLD, size, st.cell.leading),
            ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    if zebra:
        start = 1 if header else 0
        for r in range(start, len(data)):
            if (r - start) % 2 == 1:
                commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F6F8FA")))
    commands.extend(extra_style)
    table.setStyle(TableStyle(commands))
    return table


@cache
def _right(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}_right", parent=style, alignment=TA_RIGHT)


# --- pages -----------------------------------------------------------------------------------


def _draw_mark(
    canvas: Canvas, text: str, size: int, tint: Any, banner: str, banner_colour: str, top: bool
) -> None:
    """A diagonal watermark over the page and a banner across its top or bottom edge."""
    canvas.saveState()
    canvas.setFillColor(tint)
    canvas.setFont(FONT_BOLD, size)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(50)
    canvas.drawCentredString(0, 0, text)
    canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(colors.HexColor(banner_colour))
    y = PAGE_HEIGHT - 7 * mm if top else 0
    canvas.rect(0, y, PAGE_WIDTH, 7 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(FONT_BOLD, 9)
    canvas.drawCentredString(PAGE_WIDTH / 2, y + 2.2 * mm, banner)
    canvas.restoreState()


def _draw_demo(canvas: Canvas) -> None:
    _draw_mark(canvas, DEMO_TEXT, 50, colors.Color(0.8, 0.1, 0.1, alpha=0.13),
               f"{DEMO_TEXT} — fictieve gegevens", "#B00020", top=True)  # fmt: skip


def _draw_concept(canvas: Canvas) -> None:
    # At the bottom edge: a concept of a demo database carries both banners.
    _draw_mark(canvas, CONCEPT_TEXT, 96, colors.Color(0.1, 0.2, 0.6, alpha=0.15),
               CONCEPT_BANNER, "#1A3A8A", top=False)  # fmt: skip


def numbered_canvas(footer_left: str, *, demo: bool, concept: bool = False) -> type[Canvas]:
    """A Canvas class that writes "pagina X van Y" (two passes: pages are kept until save)
    and the footer text on every page, the DEMO marking when `demo` and the CONCEPT marking
    when `concept`."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved_pages)
            for number, state in enumerate(self._saved_pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                if demo:
                    _draw_demo(self)
                if concept:
                    _draw_concept(self)
                Canvas.showPage(self)
            Canvas.save(self)

        def _draw_footer(self, number: int, total: int) -> None:
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.4)
            y = MARGIN_BOTTOM - 9 * mm
            self.line(MARGIN_LEFT, y + 9, PAGE_WIDTH - MARGIN_RIGHT, y + 9)
            self.setFont(FONT, 7.5)
            self.setFillColor(GREY)
            self.drawString(MARGIN_LEFT, y, footer_left)
            self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, y, f"pagina {number} van {total}")
            self.restoreState()

    return NumberedCanvas


PageDrawer = Callable[[Canvas, BaseDocTemplate], None]


def build_document(
    out_path: Path | str,
    story: list[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    footer_left: str,
    demo: bool,
    concept: bool = False,
    first_page: PageDrawer | None = None,
    first_top: float = MARGIN_TOP,
    audit_head: Mapping[str, Any] | None = None,
) -> int:
    """Lay out `story` on A4 and write the PDF; returns the number of pages.

    `first_page` draws on page 1 (the letterhead) and `first_top` is where page 1's text
    frame starts, measured from the top edge. `concept` marks every page CONCEPT.
    """
    register_fonts()
    out = Path(out_path)
    # Written beside the target and renamed at the end: a failed run leaves no half PDF.
    tmp = out.with_name(out.name + ".tmp")
    doc = BaseDocTemplate(
        str(tmp),
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=title,
        author=author,
        subject=subject,
        creator="bwo-desktop",
        keywords=audit_head_keywords(audit_head or current_audit_head()),
        lang=LANG,
        displayDocTitle=True,
        initialFontName=FONT,
    )
    height_later = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    first = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - first_top - MARGIN_BOTTOM,
        id="first",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    later = Frame(
        MARGIN_LEFT,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        height_later,
        id="later",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )

    def on_first(canvas: Canvas, document: BaseDocTemplate) -> None:
        if first_page is not None:
            first_page(canvas, document)

    doc.addPageTemplates(
        [
            PageTemplate(id="First", frames=[first], onPage=on_first, autoNextPageTemplate="Later"),
            PageTemplate(id="Later", frames=[later]),
        ]
    )
    try:
        doc.build(
            keep_headings(story),
            canvasmaker=numbered_canvas(footer_left, demo=demo, concept=concept),
        )
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return int(doc.page)
