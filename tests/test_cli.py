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


# argparse's own English, as it would reach a consultant (usage, headings, errors).
ENGLISH_ARGPARSE = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message",
    "show program's version",
    "the following arguments are required",
    "invalid choice",
    "unrecognized arguments",
    "expected one argument",
    "error:",
)


def _no_english(text: str) -> None:
    found = [phrase for phrase in ENGLISH_ARGPARSE if phrase in text]
    assert not found, f"Engelse argparse-tekst: {found}\n{text}"


def test_help_of_the_top_level_and_subcommands_is_dutch() -> None:
    for args in (("--help",), ("export-xlsx", "--help"), ("audit", "--help")):
        result = run(*args)
        assert result.returncode == 0, result.stderr
        _no_english(result.stdout)
        assert result.stdout.startswith("gebruik: bwo-desktop")
        assert "deze hulptekst tonen en stoppen" in result.stdout
    assert "opties:" in run("--help").stdout


def test_a_missing_required_argument_is_one_dutch_line() -> None:
    result = run("passphrase")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    _no_english(result.stderr)
    assert "verplicht" in lines[0] and "action" in lines[0]


def test_an_unknown_option_and_a_missing_value_are_dutch() -> None:
    for args, expected in (
        (("export-xlsx", "--out", "x.xlsx", "--bestaat"), "onbekende argumenten: --bestaat"),
        (("demo", "--cases"), "verwacht één waarde"),
        (("passphrase", "wissen"), "ongeldige keuze"),
        (("bestaat-niet",), "ongeldige keuze"),
    ):
        result = run(*args)
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        _no_english(result.stderr)
        assert expected in result.stderr


def test_every_argparse_message_of_this_python_has_a_dutch_text() -> None:
    """argparse's messages go through gettext; the catalogue must cover every message id of
    the running Python (3.12 and 3.13 add a few), or the English one slips through."""
    import argparse
    import ast

    from bwo_desktop.commands._argparse_nl import MESSAGES, PLURALS

    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    singular: set[str] = set()
    plural: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_" and texts and isinstance(texts[0], str):
            singular.add(texts[0])
        elif node.func.id == "ngettext" and len(texts) >= 2:
            plural.add(texts[0])
    assert singular - set(MESSAGES) - {"%(heading)s:"} == set()
    assert plural - set(PLURALS) == set()
