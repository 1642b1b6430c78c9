"""Qt's own texts in Dutch: the qtbase catalogue, and the dialog strings it lacks.

Qt 6.11 added mnemonics to some file-dialog labels ("Look in:" became "&Look in:", "Files of
type:" became "Files of &type:"), while the Dutch catalogue shipped with PySide6 still holds
only the old strings: the save dialog showed "Look in" and "Files of type" in English beside
"Bestandsnaam". `MnemonicFallback` answers such a string with the old translation and puts
the mnemonic back; whatever the catalogue knows itself always wins.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QObject, QTranslator

CATALOGUES = ("qtbase_nl",)


def _with_mnemonic(text: str, source: str) -> str:
    """`text` with an "&" before the letter the source marked (at a word start), else
    before its first letter."""
    if "&" in text:
        return text
    marked = source[source.index("&") + 1 : source.index("&") + 2].casefold()
    starts = [i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or text[i - 1] == " ")]
    at = next((i for i in starts if text[i].casefold() == marked), starts[0] if starts else 0)
    return f"{text[:at]}&{text[at:]}"


class MnemonicFallback(QTranslator):
    """Asks `catalogue` for a source string without its "&" when the string itself has no
    translation (installed after the catalogue, so it is asked first)."""

    def __init__(self, catalogue: QTranslator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._catalogue = catalogue

    def isEmpty(self) -> bool:  # an empty translator would never be asked
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None is Qt's null string, "ask the next translator"; "" would blank the text.
        if not source or "&" not in source or "&&" in source:
            return None
        own = self._catalogue.translate(context, source, disambiguation, n)
        if own:
            return own
        plain = self._catalogue.translate(context, source.replace("&", ""), disambiguation, n)
        return _with_mnemonic(plain, source) if plain else None


def install(app: QObject) -> list[QTranslator]:
    """Load the catalogues from Qt's translations folder (in the frozen app the bundled
    `PySide6/Qt/translations`) and install them on `app`; returns what was installed."""
    from PySide6.QtCore import QCoreApplication

    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    for name in CATALOGUES:
        catalogue = QTranslator(app)
        if not catalogue.load(name, folder):
            continue
        for translator in (catalogue, MnemonicFallback(catalogue, app)):
            QCoreApplication.installTranslator(translator)
            installed.append(translator)
    return installed
