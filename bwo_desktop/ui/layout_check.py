"""What a consultant cannot read on a small or scaled screen (issue 14): labels and buttons
whose text is cut off, and scroll areas that hide content sideways. Used by
`scripts/screenshots.py` and the layout tests; vertical scrolling is allowed, clipping and
horizontal scrolling are not."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea, QWidget


def _button_text(widget: QAbstractButton) -> str:
    # "&&" is a literal ampersand, a single "&" marks the mnemonic and takes no room.
    return widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0


def clipped(root: QWidget) -> list[str]:
    """Shown labels and buttons under `root` narrower than their text, and shown scroll
    areas whose content is wider than their view (the rest is off to the side), one line
    each: "QLabel 'text': 80 < 120 px"."""
    found = []
    for widget in root.findChildren(QWidget):
        if not _shown(widget, root):
            continue
        if isinstance(widget, QScrollArea):
            content = widget.widget()
            view = widget.viewport().width()
            if content is not None and content.isVisibleTo(root) and content.width() > view + 1:
                name = widget.objectName() or type(content).__name__
                found.append(
                    f"QScrollArea {name!r} scrolls sideways: {view} < {content.width()} px"
                )
            continue
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text():
            need = widget.sizeHint().width()
        elif isinstance(widget, QAbstractButton) and widget.text():
            # The text itself (a style's minimum button width is no clipping).
            need = widget.fontMetrics().horizontalAdvance(_button_text(widget)) + 6
        else:
            continue
        if widget.width() + 1 < need:
            text = widget.text().replace("\n", " ")[:50]
            found.append(f"{type(widget).__name__} {text!r}: {widget.width()} < {need} px")
    return found
