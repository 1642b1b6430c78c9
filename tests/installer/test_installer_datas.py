"""The frozen bundle carries every data file: checked through installer/datas.py, the module
the PyInstaller spec itself uses, so the test and the build cannot drift apart."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "bwo-desktop.spec"


def load_installer_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bwo_installer_{name}", INSTALLER / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def datas_mod() -> ModuleType:
    return load_installer_module("datas")


def _files(folder: Path) -> list[Path]:
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    ]


def test_every_resource_file_is_bundled_under_resources(datas_mod: ModuleType) -> None:
    bundled = datas_mod.bundled_paths(datas_mod.project_datas(ROOT))
    expected = {
        f"resources/{p.relative_to(ROOT / 'resources').as_posix()}"
        for p in _files(ROOT / "resources")
    }
    assert expected, "resources/ is leeg"
    assert expected - bundled == set()


def test_every_migration_file_is_bundled_beside_the_models_package(datas_mod: ModuleType) -> None:
    migrations = ROOT / "bwo_desktop" / "models" / "migrations"
    bundled = datas_mod.bundled_paths(datas_mod.project_datas(ROOT))
    expected = {
        f"bwo_desktop/models/migrations/{p.relative_to(migrations).as_posix()}"
        for p in _files(migrations)
    }
    revisions = {p for p in expected if "/versions/" in p and p.endswith(".py")}
    assert revisions, "geen migratierevisies gevonden"
    assert {
        "bwo_desktop/models/migrations/env.py",
        "bwo_desktop/models/migrations/script.py.mako",
    } <= expected
    assert expected - bundled == set()


def test_every_known_revision_has_its_file_bundled(datas_mod: ModuleType) -> None:
    from bwo_desktop.models import migrate

    bundled = datas_mod.bundled_paths(datas_mod.project_datas(ROOT))
    script = migrate.script_directory()
    for revision in migrate.known_revisions():
        path = Path(script.get_revision(revision).path)
        rel = path.relative_to(migrate.MIGRATIONS_DIR).as_posix()
        assert f"bwo_desktop/models/migrations/{rel}" in bundled


def test_no_caches_are_bundled(datas_mod: ModuleType) -> None:
    for source, dest in datas_mod.project_datas(ROOT):
        assert "__pycache__" not in source and "__pycache__" not in dest
        assert not source.endswith(".pyc")


def test_destinations_match_the_resolver_and_the_migration_runner(
    datas_mod: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Frozen, `core.resources` looks in `sys._MEIPASS/resources` and `models.migrate` next
    to the compiled `bwo_desktop/models` package: exactly where the spec puts the files."""
    from bwo_desktop.core import resources
    from bwo_desktop.models import migrate

    bundle = tmp_path / "_internal"
    (bundle / datas_mod.RESOURCES_DEST).mkdir(parents=True)
    (bundle / datas_mod.RESOURCES_DEST / "zrm.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert resources.resources_dir.__wrapped__() == bundle / "resources"

    package_root = Path(migrate.__file__).resolve().parents[2]
    assert migrate.MIGRATIONS_DIR.relative_to(package_root).as_posix() == datas_mod.MIGRATIONS_DEST


def test_migration_imports_become_hidden_imports(datas_mod: ModuleType) -> None:
    names = datas_mod.migration_imports(ROOT)
    assert {"alembic.op", "sqlalchemy"} <= set(names)
    assert "__future__" not in names


def test_the_spec_parses_and_uses_the_shared_datas() -> None:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    calls = {
        node.func.id: node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= set(calls)
    analysis = calls["Analysis"]
    keywords = {kw.arg: ast.unparse(kw.value) for kw in analysis.keywords}
    assert "project_datas" in keywords["datas"]  # resources/ and the migrations
    assert "third_party_datas" in keywords["datas"]  # reportlab, Qt's Dutch translations
    assert "hidden_imports" in keywords["hiddenimports"]
    assert "EXCLUDES" in keywords["excludes"]


def test_the_spec_makes_two_executables_in_one_folder() -> None:
    tree = ast.parse(SPEC.read_text(encoding="utf-8"), filename=str(SPEC))
    exes = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "EXE"
    ]
    found = {}
    for exe in exes:
        kw = {k.arg: k.value for k in exe.keywords if k.arg}
        found[ast.literal_eval(kw["name"])] = ast.literal_eval(kw["console"])
    assert found == {"bwo-desktop": False, "bwo-desktop-cli": True}
    collect = next(
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "COLLECT"
    )
    assert [ast.unparse(a) for a in collect.args[:2]] == ["gui", "cli"]


def test_third_party_datas_include_reportlab_and_dutch_qt() -> None:
    pytest.importorskip("PyInstaller", reason="PyInstaller zit in de extra 'build'")
    datas_mod = load_installer_module("datas")
    datas = datas_mod.third_party_datas()
    names = {Path(src).name for src, _dest in datas}
    assert "qtbase_nl.qm" in names
    assert any(dest.startswith("reportlab") for _src, dest in datas)


def test_only_the_software_opengl_fallback_is_dropped(datas_mod: ModuleType) -> None:
    assert not datas_mod.keep_binary("PySide6/opengl32sw.dll")
    assert not datas_mod.keep_binary("PySide6\\OPENGL32SW.DLL")
    assert datas_mod.keep_binary("PySide6/Qt6Gui.dll")
    assert datas_mod.keep_binary("sqlcipher3/_sqlite3.cp311-win_amd64.pyd")
