"""The layering of STYLE.md, enforced: imports point downward only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bwo_desktop"

# layer -> top-level modules it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": (
        "PySide6",
        "sqlalchemy",
        "alembic",
        "openpyxl",
        "reportlab",
        "platformdirs",
        "bwo_desktop.ui",
        "bwo_desktop.models",
        "bwo_desktop.services",
        "bwo_desktop.exports",
        "bwo_desktop.app",
        "bwo_desktop.paths",
        "bwo_desktop.commands",
        "bwo_desktop.server",
    ),
    "models": (
        "PySide6",
        "bwo_desktop.ui",
        "bwo_desktop.services",
        "bwo_desktop.exports",
        "bwo_desktop.server",
    ),
    "services": ("PySide6", "bwo_desktop.ui", "bwo_desktop.server"),
    # Team mode's office side (issue 15): no Qt, no UI, no commands; only commands/ and the
    # cli import it (test_only_commands_import_the_server).
    "server": ("PySide6", "bwo_desktop.ui", "bwo_desktop.commands", "bwo_desktop.app"),
    "exports": (
        "PySide6",
        "sqlalchemy",
        "bwo_desktop.ui",
        "bwo_desktop.models",
        "bwo_desktop.services",
    ),
    "imports": (
        "PySide6",
        "sqlalchemy",
        "bwo_desktop.ui",
        "bwo_desktop.models",
        "bwo_desktop.services",
        "bwo_desktop.server",
    ),
}


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for module in _imported_modules(path):
            for forbidden in FORBIDDEN[layer]:
                if module == forbidden or module.startswith(forbidden + "."):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {module}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_downward(layer: str) -> None:
    if not (PACKAGE / layer).is_dir():
        pytest.skip(f"no {layer}/ layer yet")
    assert _violations(layer) == []


def test_only_commands_import_the_server() -> None:
    allowed = ("commands", "server")
    found = [
        f"{path.relative_to(PACKAGE.parent)} imports {module}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in allowed
        for module in _imported_modules(path)
        if module == "bwo_desktop.server" or module.startswith("bwo_desktop.server.")
    ]
    assert found == []


def test_the_check_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport sqlalchemy.orm\n", encoding="utf-8")
    assert {"PySide6.QtCore", "sqlalchemy.orm"} <= _imported_modules(bad)


def test_cli_import_stays_light() -> None:
    """`bwo-desktop --help` and the first window must not pay for heavy imports."""
    import subprocess
    import sys

    code = (
        "import sys, bwo_desktop.cli; "
        "heavy = [m for m in ('sqlalchemy', 'PySide6', 'openpyxl', 'reportlab', 'alembic') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


# The whole UI reaches files and the database through services only (issue 11): no ORM,
# no SQL, no PDF or workbook code in a window.
SERVICE_ONLY_UI = tuple(
    str(path.relative_to(PACKAGE)) for path in sorted((PACKAGE / "ui").rglob("*.py"))
)
SERVICE_ONLY_FORBIDDEN = (
    "sqlalchemy",
    "bwo_desktop.imports",
    "bwo_desktop.exports",
    "bwo_desktop.models",
)


@pytest.mark.parametrize("name", SERVICE_ONLY_UI)
def test_dialogs_go_through_services(name: str) -> None:
    modules = _imported_modules(PACKAGE / name)
    bad = [m for m in modules for f in SERVICE_ONLY_FORBIDDEN if m == f or m.startswith(f + ".")]
    assert bad == []
