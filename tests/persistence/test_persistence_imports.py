"""Start-up stays light: the CLI module and the package import nothing of the database."""

from __future__ import annotations

import subprocess
import sys


def test_cli_import_does_not_load_persistence() -> None:
    code = (
        "import sys, bwo_desktop, bwo_desktop.cli\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('bwo_desktop.models', "
        "'bwo_desktop.services', 'sqlalchemy', 'alembic', 'sqlcipher3', 'cryptography')))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
