"""The command line's shape: version, help with every subcommand, usage errors exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bwo_desktop import __version__
from bwo_desktop.cli import SUBCOMMANDS


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return run_env(*args, passphrase=None)


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


STRONG = "correct horse battery staple"


def run_env(*args: str, passphrase: str | None = STRONG) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BWO_PASSPHRASE"}
    if passphrase is not None:
        env["BWO_PASSPHRASE"] = passphrase
    return subprocess.run(
        [sys.executable, "-m", "bwo_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def _one_dutch_line(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_init_makes_an_empty_encrypted_database_an_import_can_use(tmp_path: Path) -> None:
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    path = tmp_path / "leeg.db"
    result = run_env("init", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "Lege database aangemaakt" in result.stdout and "import-planning" in result.stdout
    assert path.is_file() and path.with_name("leeg.db.key").is_file()
    assert b"SQLite format 3" not in path.read_bytes()[:16]  # encrypted, not plain SQLite
    with open_database(path, STRONG, backup_before_migrate=False) as db:
        assert not db.is_demo
        assert CaseService(db).list_summaries() == []


def test_init_refuses_an_existing_database_and_a_missing_or_read_only_folder(
    tmp_path: Path,
) -> None:
    existing = tmp_path / "bestaat.db"
    existing.write_bytes(b"iets")
    _one_dutch_line(run_env("init", "--db", str(existing)), "er bestaat al een bestand")
    assert existing.read_bytes() == b"iets"

    missing = tmp_path / "geen-map" / "nieuw.db"
    _one_dutch_line(run_env("init", "--db", str(missing)), "bestaat niet")
    assert not missing.parent.exists()

    _one_dutch_line(run_env("init"), "geef het pad van de nieuwe database")
    _one_dutch_line(
        run_env("init", "--db", str(tmp_path / "zwak.db"), passphrase="kort"),
        "te zwak",
    )
    # No passphrase and no terminal to ask it on: one line, nothing made.
    _one_dutch_line(
        run_env("init", "--db", str(tmp_path / "stil.db"), passphrase=None), "BWO_PASSPHRASE"
    )
    assert not (tmp_path / "zwak.db").exists() and not (tmp_path / "stil.db").exists()


def test_init_refuses_a_folder_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    from bwo_desktop.cli import main

    def read_only(*args: object, **kwargs: object) -> tuple[int, str]:
        # What a read-only folder gives (root ignores chmod, so the OS error is raised here).
        raise PermissionError(13, "Permission denied")

    monkeypatch.setenv("BWO_PASSPHRASE", STRONG)
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert main(["init", "--db", str(tmp_path / "nieuw.db")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "niet beschrijfbaar" in err
    assert list(tmp_path.iterdir()) == []


def test_init_asks_the_passphrase_twice_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import getpass

    from bwo_desktop.cli import main

    monkeypatch.delenv("BWO_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter([STRONG, STRONG + "!"])
    prompts: list[str] = []

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr(getpass, "getpass", ask)
    assert main(["init", "--db", str(tmp_path / "a.db")]) == 2
    assert "verschillen" in capsys.readouterr().err and not (tmp_path / "a.db").exists()
    assert prompts == ["Nieuwe wachtwoordzin: ", "Herhaal de wachtwoordzin: "]

    answers = iter([STRONG, STRONG])
    assert main(["init", "--db", str(tmp_path / "a.db")]) == 0
    assert (tmp_path / "a.db").is_file()


def test_an_import_still_refuses_a_database_that_does_not_exist(tmp_path: Path) -> None:
    path = tmp_path / "typfout.db"
    result = run_env("export-xlsx", "--db", str(path), "--out", str(tmp_path / "x.xlsx"))
    _one_dutch_line(result, "database niet gevonden")
    assert "bwo-desktop init" in result.stderr
    template = tmp_path / "sjabloon.xlsx"
    assert run_env("import-planning", "--template", str(template)).returncode == 0
    _one_dutch_line(
        run_env("import-planning", str(template), "--db", str(path)), "database niet gevonden"
    )
    assert not path.exists()


def test_audit_show_names_changed_fields_in_dutch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bwo_desktop.cli import main
    from bwo_desktop.services import audit
    from bwo_desktop.services.database import open_database

    path = tmp_path / "bwo.db"
    stored = {"fields": ["client.city", "decision_date", "zrm_notes"]}
    with open_database(path, STRONG, create=True, backup_before_migrate=False) as db:
        audit.record(db, "change", "BWO-2026-AB12-0001", details=stored)
        audit.record(db, "export", None, details={"kind": "xlsx", "full_bsn": False})
    monkeypatch.setenv("BWO_PASSPHRASE", STRONG)
    assert main(["audit", "show", "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "velden: woonplaats, besluitdatum, ZRM-toelichting" in out
    assert "soort: Excel-overzicht; volledig BSN: nee" in out
    assert "decision_date" not in out and "fields" not in out and "full_bsn" not in out
    with open_database(path, STRONG, backup_before_migrate=False) as db:
        assert audit.entries(db)[0].details == stored  # the log keeps its own names
        assert audit.verify(db) == []
