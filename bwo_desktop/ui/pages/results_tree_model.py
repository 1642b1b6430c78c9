"""Qt tree model of the Bijlage 1 results: result areas with their checkable results, and per
area the expected development (toename zelfredzaamheid / stabilisatie).

Keyed by (area key, result text), never by row: the stored `Result` list is rebuilt from the
checked items in catalogue order."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from bwo_desktop.core.case import Result
from bwo_desktop.core.zrm import DEVELOPMENTS, ResultArea

COL_RESULT = 0
COL_DEVELOPMENT = 1
AREA_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
DEFAULT_DEVELOPMENT = "toename"

_Index = QModelIndex | QPersistentModelIndex


class ResultsTreeModel(QAbstractItemModel):
    changed = Signal()  # the selection or a development changed by the user

    def __init__(self, areas: Sequence[ResultArea], parent: Any = None) -> None:
        super().__init__(parent)
        self._areas = [a for a in areas if not a.free_text]
        self._selected: dict[str, set[str]] = {a.key: set() for a in self._areas}
        self._development: dict[str, str] = dict.fromkeys(
            (a.key for a in self._areas), DEFAULT_DEVELOPMENT
        )
        self._read_only = False
        # area key -> (lowest score, "Zelfzorg (Basale ADL 2)"): the areas the ZRM points to
        self._hints: dict[str, tuple[int, str]] = {}

    # -- structure ------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        area_id = index.internalId()
        if area_id == 0:
            return QModelIndex()
        return self.createIndex(area_id - 1, 0, 0)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._areas)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._areas[parent.row()].results)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 2

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ("Resultaat", "Ontwikkeling")[section] if section in (0, 1) else None
        return None

    def _area_of(self, index: _Index) -> ResultArea:
        area_id = index.internalId()
        return self._areas[index.row()] if area_id == 0 else self._areas[area_id - 1]

    def is_area(self, index: _Index) -> bool:
        return index.isValid() and index.internalId() == 0

    def area_key(self, index: _Index) -> str | None:
        return self._area_of(index).key if index.isValid() else None

    def area_index(self, key: str) -> QModelIndex:
        for row, area in enumerate(self._areas):
            if area.key == key:
                return self.index(row, 0)
        return QModelIndex()

    # -- data -----------------------------------------------------------------------------
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        area = self._area_of(index)
        if role == AREA_KEY_ROLE:
            return area.key
        if self.is_area(index):
            count = len(self._selected[area.key])
            if index.column() == COL_RESULT:
                lowest, hint = self._hints.get(area.key, (None, ""))
                if role == Qt.ItemDataRole.DisplayRole:
                    name = f"{area.name} ({count} gekozen)" if count else area.name
                    return f"{name} · ZRM {lowest}" if hint else name
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{area.aim}\nTe overwegen: {hint}" if hint else area.aim
                if role == Qt.ItemDataRole.FontRole:
                    font = QFont()
                    font.setBold(True)
                    return font
                if role == Qt.ItemDataRole.AccessibleTextRole:
                    text = f"Resultaatgebied {area.name}, {count} gekozen"
                    return f"{text}, te overwegen: {hint}" if hint else text
            elif index.column() == COL_DEVELOPMENT:
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                    return DEVELOPMENTS[self._development[area.key]]
                if role == Qt.ItemDataRole.EditRole:
                    return self._development[area.key]
                if role == Qt.ItemDataRole.ToolTipRole:
                    return "Toets T (toename) of S (stabilisatie) om te wijzigen"
            return None
        text = area.results[index.row()]
        if index.column() == COL_RESULT:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return f"De cliënt {text}"
            if role == Qt.ItemDataRole.CheckStateRole:
                checked = text in self._selected[area.key]
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                state = "gekozen" if text in self._selected[area.key] else "niet gekozen"
                return f"De cliënt {text}, {state}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.is_area(index) and index.column() == COL_RESULT and not self._read_only:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if not self.is_area(index):
            return base | Qt.ItemFlag.ItemNeverHasChildren
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        area = self._area_of(index)
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and not self.is_area(index)
            and index.column() == COL_RESULT
        ):
            checked = _is_checked(value)
            text = area.results[index.row()]
            selected = self._selected[area.key]
            if checked == (text in selected):
                return True
            if checked:
                selected.add(text)
            else:
                selected.discard(text)
            self.dataChanged.emit(index, index, [role])
            area_index = self.area_index(area.key)
            self.dataChanged.emit(area_index, area_index, [Qt.ItemDataRole.DisplayRole])
            self.changed.emit()
            return True
        if (
            role == Qt.ItemDataRole.EditRole
            and self.is_area(index)
            and index.column() == COL_DEVELOPMENT
        ):
            return self.set_development(area.key, str(value))
        return False

    # -- domain API -----------------------------------------------------------------------
    def set_hints(self, hints: dict[str, tuple[int, str]]) -> None:
        """The areas the ZRM points to (key -> lowest score, its domains and scores), their
        rows marked with the lowest score."""
        if hints == self._hints:
            return
        self._hints = dict(hints)
        if self._areas:
            self.dataChanged.emit(self.index(0, COL_RESULT), self.index(len(self._areas) - 1, 0))

    def set_read_only(self, read_only: bool) -> None:
        self.beginResetModel()
        self._read_only = read_only
        self.endResetModel()

    def development(self, area_key: str) -> str:
        return self._development.get(area_key, DEFAULT_DEVELOPMENT)

    def set_development(self, area_key: str, development: str) -> bool:
        if development not in DEVELOPMENTS or area_key not in self._development or self._read_only:
            return False
        if self._development[area_key] == development:
            return True
        self._development[area_key] = development
        index = self.area_index(area_key).siblingAtColumn(COL_DEVELOPMENT)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.changed.emit()
        return True

    def load(self, results: Iterable[Result]) -> None:
        """Show the stored results (unknown ones, e.g. from an older catalogue, are kept
        apart by the page, not dropped silently)."""
        self.beginResetModel()
        for key in self._selected:
            self._selected[key] = set()
            self._development[key] = DEFAULT_DEVELOPMENT
        for result in results:
            if result.area in self._selected:
                self._selected[result.area].add(result.result)
                if result.development in DEVELOPMENTS:
                    self._development[result.area] = result.development
        self.endResetModel()

    def results(self) -> list[Result]:
        """The checked results, in catalogue order."""
        chosen: list[Result] = []
        for area in self._areas:
            for text in area.results:
                if text in self._selected[area.key]:
                    chosen.append(
                        Result(area=area.key, result=text, development=self._development[area.key])
                    )
        return chosen


def _is_checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    try:
        return int(value) == Qt.CheckState.Checked.value
    except (TypeError, ValueError):
        return bool(value)
