"""What the frozen app carries besides code: one source of truth for the spec and the tests.

`project_datas()` needs only the standard library (the tests import it without PyInstaller);
`third_party_datas()` and `hidden_imports()` use PyInstaller's hook helpers and are called
by `bwo-desktop.spec` only.

Destinations follow the one resolver (`bwo_desktop/core/resources.py`): `resources/` lands
at the bundle root (`sys._MEIPASS/resources`), the Alembic migrations beside the compiled
`bwo_desktop.models` package (`models/migrate.py` finds them next to its own `__file__`).
Alembic loads `env.py`, the revision files and `script.py.mako` from the file system, so
they travel as data files, not only as compiled modules.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES_DEST = "resources"
MIGRATIONS_DEST = "bwo_desktop/models/migrations"

# Never shipped: caches and editor leftovers.
_SKIP_DIRS = {"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"}
_SKIP_SUFFIXES = {".pyc", ".pyo", ".swp", ".orig", ".rej"}
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


def resources_source(root: Path = ROOT) -> Path:
    return root / "resources"


def migrations_source(root: Path = ROOT) -> Path:
    return root / "bwo_desktop" / "models" / "migrations"


def _shipped(path: Path, base: Path) -> bool:
    rel = path.relative_to(base)
    if any(part in _SKIP_DIRS for part in rel.parts[:-1]):
        return False
    return path.is_file() and path.suffix not in _SKIP_SUFFIXES and path.name not in _SKIP_NAMES


def _tree(source: Path, dest: str) -> list[tuple[str, str]]:
    """Every file under `source` as a PyInstaller data entry (file, destination folder)."""
    entries: list[tuple[str, str]] = []
    for path in sorted(source.rglob("*")):
        if not _shipped(path, source):
            continue
        parent = path.parent.relative_to(source).as_posix()
        entries.append((str(path), dest if parent == "." else f"{dest}/{parent}"))
    return entries


def project_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """Our own data files: all of resources/ and the whole Alembic migrations folder."""
    resources = resources_source(root)
    migrations = migrations_source(root)
    if not (resources / "zrm.toml").is_file():
        raise FileNotFoundError(f"resources/ niet gevonden in {root}")
    if not (migrations / "env.py").is_file():
        raise FileNotFoundError(f"Alembic-migraties niet gevonden in {migrations}")
    return _tree(resources, RESOURCES_DEST) + _tree(migrations, MIGRATIONS_DEST)


def bundled_paths(datas: list[tuple[str, str]]) -> set[str]:
    """Where each data entry ends up inside the bundle, as posix paths relative to its root."""
    return {f"{dest}/{Path(source).name}" for source, dest in datas}


def migration_imports(root: Path = ROOT) -> list[str]:
    """Modules the migration scripts import. Alembic runs them from source at start-up, so
    PyInstaller's analysis never sees them: they become hidden imports."""
    names: set[str] = set()
    for path in sorted(migrations_source(root).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                # `from alembic import op`: `alembic.op` is a module of its own.
                names.update(
                    f"{node.module}.{alias.name}"
                    for alias in node.names
                    if _is_module(f"{node.module}.{alias.name}")
                )
    names.discard("__future__")
    return sorted(names)


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def third_party_datas() -> list[tuple[str, str]]:
    """reportlab's fonts and data, and Qt's Dutch translations (spec only: needs PyInstaller)."""
    from PyInstaller.utils.hooks import collect_data_files

    datas = collect_data_files("reportlab")
    datas += collect_data_files(
        "PySide6",
        includes=["Qt/translations/qtbase_nl.qm", "Qt/translations/qt_nl.qm"],
    )
    return datas


def hidden_imports(root: Path = ROOT) -> list[str]:
    """Modules imported lazily (cli.py's subcommands, services, exports) or from files that
    PyInstaller does not analyse (the migrations). Spec only: needs PyInstaller."""
    from PyInstaller.utils.hooks import collect_submodules

    def ours(name: str) -> bool:
        # The migrations are no package; env.py runs Alembic on import, never import it here.
        # The office server (team mode) runs on the office's machine, not in the laptop app.
        return ".migrations" not in name and not name.startswith("bwo_desktop.server")

    names = collect_submodules("bwo_desktop", filter=ours)
    names += collect_submodules("alembic", filter=lambda n: not n.startswith("alembic.testing"))
    names += [
        "sqlcipher3",
        "sqlcipher3.dbapi2",
        "sqlalchemy.dialects.sqlite",
        "sqlalchemy.dialects.sqlite.pysqlite",
        "sqlalchemy.sql.default_comparator",
        "logging.config",
        "mako.template",
        "platformdirs",
    ]
    names += [n for n in migration_imports(root) if not n.startswith("bwo_desktop.")]
    return sorted(set(names))


# Binaries that the Qt hooks collect but a widgets app never loads. opengl32sw.dll is Qt's
# software OpenGL fallback on Windows (about 20 MB); we paint with the raster engine only.
DROP_BINARIES: frozenset[str] = frozenset({"opengl32sw.dll"})


def keep_binary(dest_name: str) -> bool:
    """Filter for the spec's `a.binaries` (entries are (dest_name, source, typecode))."""
    return dest_name.replace("\\", "/").rsplit("/", 1)[-1].lower() not in DROP_BINARIES


# Heavy or build-time-only modules the app never imports. The test and dev extras live in
# the same venv on CI, so they are excluded explicitly; the Qt modules are not in the app.
EXCLUDES: list[str] = [
    "bwo_desktop.server",  # the office's sync server (extra "server"), not the laptop's
    "starlette",
    "uvicorn",
    "httpx",
    "httpcore",
    "h11",
    "anyio",
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "pypdf",
    "psycopg",
    "psycopg_binary",
    "psycopg2",
    "MySQLdb",
    "pysqlite2",
    "mypy",
    "ruff",
    "IPython",
    "numpy",
    "PySide6.QtNetwork",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDBus",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
]
