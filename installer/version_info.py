"""The Windows version resource (Explorer → Eigenschappen → Details) built from __version__.

Used by `bwo-desktop.spec`; `python installer/version_info.py` prints the version (the Windows
workflow passes it to Inno Setup as /DMyAppVersion=...).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
COMPANY = "Sociale Dienst Drechtsteden"
DESCRIPTION = "BWO Herindicatie (Beschermd Wonen extramuraal)"
COPYRIGHT = "© Sociale Dienst Drechtsteden"


def app_version(root: Path = ROOT) -> str:
    """`__version__` read from the source, without importing the package."""
    text = (root / "bwo_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise ValueError("__version__ niet gevonden in bwo_desktop/__init__.py")
    return match.group(1)


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Windows wants four 16-bit numbers: "1.2.3rc1" → (1, 2, 3, 0)."""
    numbers = [int(part) for part in re.findall(r"\d+", version.split("+")[0])[:3]]
    numbers += [0] * (4 - len(numbers))
    if any(n > 0xFFFF for n in numbers):
        raise ValueError(f"versie {version!r} past niet in een Windows-versieresource")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def version_resource(version: str, original_filename: str = "bwo-desktop.exe") -> Any:
    """A PyInstaller `VSVersionInfo` (needs PyInstaller; ignored on Linux by EXE)."""
    from PyInstaller.utils.win32.versioninfo import (
        FixedFileInfo,
        StringFileInfo,
        StringStruct,
        StringTable,
        VarFileInfo,
        VarStruct,
        VSVersionInfo,
    )

    numbers = numeric_version(version)
    return VSVersionInfo(
        ffi=FixedFileInfo(
            filevers=numbers,
            prodvers=numbers,
            mask=0x3F,
            flags=0x0,
            OS=0x40004,  # VOS_NT_WINDOWS32
            fileType=0x1,  # VFT_APP
            subtype=0x0,
            date=(0, 0),
        ),
        kids=[
            StringFileInfo(
                [
                    # 0x0413 = Dutch (Netherlands), 0x04B0 = Unicode
                    StringTable(
                        "041304B0",
                        [
                            StringStruct("CompanyName", COMPANY),
                            StringStruct("FileDescription", DESCRIPTION),
                            StringStruct("FileVersion", version),
                            StringStruct("InternalName", original_filename.removesuffix(".exe")),
                            StringStruct("LegalCopyright", COPYRIGHT),
                            StringStruct("OriginalFilename", original_filename),
                            StringStruct("ProductName", "bwo-desktop"),
                            StringStruct("ProductVersion", version),
                        ],
                    )
                ]
            ),
            VarFileInfo([VarStruct("Translation", [0x0413, 0x04B0])]),
        ],
    )


if __name__ == "__main__":
    version = app_version()
    if "--numeric" in sys.argv:
        version = ".".join(map(str, numeric_version(version)))
    sys.stdout.write(version + "\n")
