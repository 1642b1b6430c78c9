"""The command line's shape: version, help with every subcommand, usage errors exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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


def test_documented_backup_restore_order_parses() -> None:
    """`backup restore --db PATH BACKUP` (the documented order) is not a usage error."""
    from bwo_desktop.cli import build_parser

    args = build_parser(only="backup").parse_args(
        ["backup", "restore", "--db", "x.db", "backups/x-1.db"]
    )
    assert (args.action, args.sub_db, args.backup) == ("restore", "x.db", "backups/x-1.db")


def test_planning_template_name_with_a_bsn_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "planning_999900006.xlsx"
    result = subprocess.run(
        [sys.executable, "-m", "bwo_desktop", "import-planning", "--template", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and "BSN" in result.stderr
    assert not out.exists()
