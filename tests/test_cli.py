"""The command line's shape: version, help with every subcommand, usage errors exit 2."""

from __future__ import annotations

import subprocess
import sys

from bwo_desktop import __version__
from bwo_desktop.cli import SUBCOMMANDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", *args], capture_output=True, text=True
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"bwo-desktop {__version__}"


def test_help_lists_every_subcommand() -> None:
    result = run("--help")
    assert result.returncode == 0
    for name in (
        "advise",
        "beschikking",
        "export-case",
        "import-case",
        "export-xlsx",
        "import-planning",
        "demo",
    ):
        assert name in SUBCOMMANDS
        assert name in result.stdout


def test_unknown_subcommand_is_a_usage_error() -> None:
    result = run("bestaat-niet")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
