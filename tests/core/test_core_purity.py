"""The core stays pure: no Qt, no SQLAlchemy, no platformdirs."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_nothing_heavy() -> None:
    code = (
        "import sys, pkgutil, importlib, bwo_desktop.core as core\n"
        "for m in pkgutil.iter_modules(core.__path__):\n"
        "    importlib.import_module('bwo_desktop.core.' + m.name)\n"
        "import bwo_desktop.commands.advise\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "('PySide6', 'sqlalchemy', 'platformdirs', 'openpyxl', 'reportlab'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
