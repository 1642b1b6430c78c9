"""The change chart of the onderzoeksverslag: the previous ZRM scores and the bars of the
change per domain (score now minus the previous score)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from bwo_desktop.core.case import Case
from bwo_desktop.core.zrm import DOMAIN_KEYS
from bwo_desktop.exports import pdf_common as pc


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
