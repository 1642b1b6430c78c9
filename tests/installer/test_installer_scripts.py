"""Static checks of what cannot run here: the Inno Setup script, the Windows workflow, the
icon and the version resource."""

from __future__ import annotations

import importlib.util
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from bwo_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
ISS = ROOT / "installer" / "bwo-desktop.iss"
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"


def _load_installer_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"bwo_installer_{name}", ROOT / "installer" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sections(text: str) -> dict[str, list[str]]:
    """Inno Setup sections -> their non-comment lines."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(";") or line.startswith("//"):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1).lower()
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def _setup(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in _sections(text)["setup"] if "=" in line)


def test_installs_per_user_without_admin_rights() -> None:
    setup = _setup(ISS.read_text(encoding="utf-8"))
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"].startswith(("{autopf}", "{localappdata}", "{userpf}"))


def test_upgrades_in_place_with_a_fixed_app_id_and_versioned_file_name() -> None:
    setup = _setup(ISS.read_text(encoding="utf-8"))
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["OutputBaseFilename"] == "bwo-desktop-{#MyAppVersion}-setup"
    assert setup["AppVersion"] == "{#MyAppVersion}"


def test_dutch_start_menu_and_optional_desktop_icon() -> None:
    sections = _sections(ISS.read_text(encoding="utf-8"))
    assert any("Dutch.isl" in line for line in sections["languages"])
    icons = sections["icons"]
    assert any(line.startswith('Name: "{autoprograms}') for line in icons)
    desktop = [line for line in icons if "{autodesktop}" in line]
    assert desktop and all("Tasks: desktopicon" in line for line in desktop)
    assert any("unchecked" in line for line in sections["tasks"])


def test_never_deletes_the_users_data() -> None:
    """The data lives in %LOCALAPPDATA%\\SDD\\bwo-desktop: no delete entry may touch it."""
    sections = _sections(ISS.read_text(encoding="utf-8"))
    for name in ("installdelete", "uninstalldelete"):
        for line in sections.get(name, []):
            lowered = line.lower()
            assert "{app}" in lowered, line
            for forbidden in ("{localappdata}", "{userappdata}", "{appdata}", "sdd", "{%"):
                assert forbidden not in lowered, line
    code = "\n".join(sections.get("code", []))
    for call in ("DelTree", "DeleteFile", "RemoveDir", "DelayDeleteFile"):
        assert call not in code


def test_bundle_folder_is_what_the_spec_builds() -> None:
    text = ISS.read_text(encoding="utf-8")
    assert '#define BundleDir "..\\dist\\bwo-desktop"' in text
    assert "bwo-desktop.exe" in text


def test_workflow_builds_tests_and_packages_on_windows() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in text
    assert 'python-version: "3.11"' in text
    assert ".[test,dev,build]" in text
    assert re.search(r"BWO_REQUIRE_PG\s*[:=]", text) is None  # PostgreSQL tests skip there
    for step in ("ruff check", "mypy", "pytest", "installer/bwo-desktop.spec"):
        assert step in text
    assert "bwo-desktop-cli.exe --self-test" in text
    assert "/DMyAppVersion=" in text
    assert "actions/upload-artifact" in text


def test_icon_files_hold_every_size_windows_asks_for() -> None:
    ico = (ROOT / "installer" / "bwo-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", ico)
    assert (reserved, kind) == (0, 1)
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sizes
    assert (ROOT / "installer" / "bwo-desktop.png").read_bytes().startswith(b"\x89PNG")


def test_version_resource_follows_the_package_version() -> None:
    version_info = _load_installer_module("version_info")
    assert version_info.app_version() == __version__
    assert version_info.numeric_version("1.2.3rc1") == (1, 2, 3, 0)
    assert version_info.numeric_version("2027.1") == (2027, 1, 0, 0)
    with pytest.raises(ValueError):
        version_info.numeric_version("70000.0")


@pytest.mark.skipif(
    sys.platform == "win32" or shutil.which("bash") is None, reason="alleen met bash (Linux)"
)
def test_build_script_is_valid_bash() -> None:
    subprocess.run(["bash", "-n", str(ROOT / "scripts" / "build-frozen.sh")], check=True)
