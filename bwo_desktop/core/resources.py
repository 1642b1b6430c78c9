"""The one resolver for bundled data files: checkout, installed wheel and frozen app alike."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """Frozen (PyInstaller): `<bundle>/resources`. Installed wheel: `bwo_desktop/resources`
    (force-included by hatchling). Checkout or editable install: top-level `resources/`."""
    candidates: list[Path] = []
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.append(Path(frozen_root) / "resources")
    package_dir = Path(__file__).resolve().parent.parent
    candidates.append(package_dir / "resources")
    candidates.append(package_dir.parent / "resources")
    for candidate in candidates:
        if (candidate / "zrm.toml").is_file():
            return candidate
    raise RuntimeError(
        "resources/ niet gevonden; installatie onvolledig: " + ", ".join(map(str, candidates))
    )


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
