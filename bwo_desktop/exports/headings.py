"""Headings that keep with what follows: a heading never ends a page (issue 13).

`keep_headings` binds each heading paragraph (the "heading" and "subheading" styles of
`pdf_common` and styles derived from them) to the flowable after it; `build_document`
applies it to every story.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Paragraph, Spacer
from reportlab.platypus.doctemplate import ActionFlowable

HEADING_STYLES = ("heading", "subheading")


def is_heading(flowable: Flowable) -> bool:
    """A paragraph in the heading or subheading style (or a style derived from them)."""
    style = getattr(flowable, "style", None)
    name = getattr(style, "name", "")
    return isinstance(flowable, Paragraph) and name.split("_")[0] in HEADING_STYLES


class HeadingWith(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A heading and the flowable after it: the heading never ends a page. It goes with the
    first part of what follows (a table's first rows, a paragraph's first lines) or, when
    nothing of that fits under it, to the next page with it.

    Unlike a KeepTogether, a long table is not moved whole to the next page, and unlike a
    CondPageBreak it holds when what follows cannot be split (a tall first table row, a
    paragraph that would leave one line). Like a KeepTogether it is always split by the
    frame (its wrap asks for more than any page has); the parts are then laid out normally.
    """

    def __init__(self, heading: Flowable, body: Flowable) -> None:
        super().__init__()
        self.heading = heading
        self.body = body

    def getSpaceBefore(self) -> float:
        return float(self.heading.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.body.getSpaceAfter())

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return avail_width, 0xFFFFFF  # always split (see the class docstring)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        return self.parts(avail_width, avail_height, bool(getattr(frame, "_atTop", True)))

    def parts(self, avail_width: float, avail_height: float, at_top: bool) -> list[Flowable]:
        """The heading and what fits of the body under it; [] (next page) when nothing
        fits, except at the top of a page, where the layout goes on as it is."""
        self.heading.__dict__["keepWithNext"] = 0  # this flowable does that work
        _w, head = self.heading.wrap(avail_width, avail_height)
        room = avail_height - head - self.heading.getSpaceAfter() - self.body.getSpaceBefore()
        if room > 0:
            if isinstance(self.body, Paragraph) and room >= 3 * self.body.style.leading:
                # Room for three lines: a paragraph always puts two there (no orphan, no
                # widow), so it need not be laid out twice to know that.
                return [self.heading, self.body]
            if isinstance(self.body, HeadingWith):
                rest = self.body.parts(avail_width, room, False)
            else:
                _w, height = self.body.wrap(avail_width, room)
                rest = [self.body] if height <= room else list(self.body.split(avail_width, room))
            if rest and not isinstance(rest[0], ActionFlowable):
                _w, first = rest[0].wrap(avail_width, room)
                if first <= room:
                    return [self.heading, *rest]
        return [self.heading, self.body] if at_top else []


def keep_headings(story: Sequence[Flowable]) -> list[Flowable]:
    """The story with every heading bound to the flowable after it (`HeadingWith`); a
    heading followed by another heading is bound to that pair."""
    out: list[Flowable] = []
    for flowable in reversed(story):
        nxt = out[-1] if out else None
        if (
            is_heading(flowable)
            and nxt is not None
            and not isinstance(nxt, (ActionFlowable, Spacer))
        ):
            out[-1] = HeadingWith(flowable, nxt)
        else:
            out.append(flowable)
    out.reverse()
    return out
