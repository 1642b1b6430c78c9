"""`bwo-desktop --self-test`: a short check of an installation, without user input.

It runs what a consultant's day needs, end to end, in a temporary folder: the bundled data
files, the rules engine on the worked example of the specification, an encrypted database
created and migrated with a random passphrase, a case saved and read back after reopening,
one beschikking (PDF), one Excel overview, and Qt with its Dutch translation. Every check
prints one line (`OK` or `FOUT`); the report, with the details of any failure, is written
to `selftest.txt` in the user data folder. Exit status 0 when all checks pass, else 1.

In the frozen app a missing data file or hidden import shows up here, not at a consultant's
desk: CI builds the bundle and runs `bwo-desktop-cli --self-test` on it.

Heavy modules are imported inside the checks, so importing this module stays cheap.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from bwo_desktop import APP_NAME, __version__

REPORT_NAME = "selftest.txt"

# The worked example of spec/advice-json.md with the figures it must give: a bundled data
# file (resources/selftest/), so the check also proves that the bundle carries it.
EXAMPLE_RESOURCE: tuple[str, ...] = ("selftest", "spec-example.json")

# A fictional client (BSN from the test range 9999xxxxx); the surname needs DejaVu's glyphs.
# Its "assessment" is the worked example, filled in by `_example_case_file`.
EXAMPLE_CASE_FILE: dict[str, Any] = {
    "format": "bwo-case/1",
    "client": {
        "bsn": "999900018",
        "initials": "Ş.",
        "first_name": "Şule",
        "last_name": "Çelik-Wiśniewska",
        "birth_date": "1990-04-17",
        "address": {
            "street": "Voorstraat",
            "house_number": "12a",
            "postcode": "3311 AB",
            "city": "Dordrecht",
        },
        "provider": {"name": "Zelftest Zorgaanbieder", "agb_code": "12345678"},
    },
    "conversation": {
        "location": "Locatie aanbieder, Dordrecht",
        "attended_by": "client_and_begeleider",
        "consent_share_report": True,
    },
    "consultant": {"name": "Zelftest Consulent"},
    "motivations": {
        "need_24_7": "Zelftest: toezicht op afroep is dag en nacht nodig.",
        "can_postpone": "Zelftest: de ondersteuning kan worden uitgesteld.",
        "regular_ib_fits": "Zelftest: reguliere begeleiding past niet.",
    },
    "results": [
        {
            "area": "financien",
            "result": "heeft een geordende (financiële) administratie",
            "development": "toename",
        }
    ],
    "decision_date": "2026-12-08",
    "salutation": "mevrouw",
}


# What a check hands to later ones, named for the report.
_NEEDS: dict[str, str] = {
    "tariffs": "tarieven",
    "rules": "regels",
    "organisation": "organisatie",
    "iwmo": "iwmo-instellingen",
    "db": "database",
    "db_path": "database",
    "passphrase": "database",
    "case": "casus",
    "example": "voorbeeld uit de specificatie",
}


class SkippedCheck(Exception):
    """A check that could not run because an earlier one failed."""


@dataclass
class CheckResult:
    name: str
    ok: bool
    seconds: float
    detail: str = ""
    trace: str = ""

    def line(self) -> str:
        status = "OK  " if self.ok else "FOUT"
        detail = f": {self.detail}" if self.detail else ""
        return f"{status}  {self.name}{detail} ({self.seconds:.2f} s)"


@dataclass
class _Run:
    work_dir: Path
    out: TextIO | None
    results: list[CheckResult] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    def need(self, *keys: str) -> list[Any]:
        missing = list(dict.fromkeys(_NEEDS.get(k, k) for k in keys if k not in self.context))
        if missing:
            raise SkippedCheck(f"overgeslagen, want eerder mislukt: {', '.join(missing)}")
        return [self.context[k] for k in keys]

    def check(self, name: str, fn: Callable[[_Run], str | None]) -> None:
        started = time.perf_counter()
        try:
            detail = fn(self) or ""
            result = CheckResult(name, True, time.perf_counter() - started, detail)
        except SkippedCheck as exc:
            result = CheckResult(name, False, time.perf_counter() - started, str(exc))
        except Exception as exc:
            result = CheckResult(
                name,
                False,
                time.perf_counter() - started,
                f"{type(exc).__name__}: {exc}",
                traceback.format_exc(),
            )
        self.results.append(result)
        _say(self.out, result.line())


def _say(out: TextIO | None, line: str) -> None:
    """Print to the console when there is one (a windowed exe has none)."""
    if out is None:
        return
    try:
        out.write(line + "\n")
    except UnicodeEncodeError:
        out.write(line.encode("ascii", "replace").decode("ascii") + "\n")
    out.flush()


# -- the checks ---------------------------------------------------------------------------


def _check_resources(run: _Run) -> str:
    from bwo_desktop.core.iwmo import load_iwmo_settings
    from bwo_desktop.core.resources import resource_path, resources_dir
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.core.tariffs import load_tariff_book
    from bwo_desktop.core.zrm import load_catalogue
    from bwo_desktop.exports.letters import load_letter_texts
    from bwo_desktop.exports.organisation import load_organisation

    # Built-in data only: the user's own tariffs or texts must not change the figures.
    catalogue = load_catalogue()
    tariffs = load_tariff_book(user_folder=None)
    rules = load_rules()
    iwmo = load_iwmo_settings()  # built-in only without user_file
    organisation = load_organisation(use_settings=False)
    letters = sorted(p.stem for p in resource_path("letters").glob("*.toml"))
    if not letters:
        raise FileNotFoundError(f"geen brieven in {resource_path('letters')}")
    for name in letters:
        load_letter_texts(name, use_user_dir=False)
    for font in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        if not resource_path("fonts", font).is_file():
            raise FileNotFoundError(resource_path("fonts", font))
    run.context.update(tariffs=tariffs, rules=rules, organisation=organisation, iwmo=iwmo)
    run.context["example"] = load_example()
    run.context["resources_dir"] = resources_dir()
    tables = f"{len(tariffs)} tarieftabel" + ("" if len(tariffs) == 1 else "len")
    return f"{len(catalogue.domains)} ZRM-domeinen, {tables}, brieven: {', '.join(letters)}"


def load_example() -> dict[str, Any]:
    """The worked example: {"assessment": advise input, "expected": output keys it must give}."""
    from bwo_desktop.core.resources import resource_path
    from bwo_desktop.core.strict_json import read_json_file

    data = read_json_file(resource_path(*EXAMPLE_RESOURCE))
    if not isinstance(data.get("assessment"), dict) or not isinstance(data.get("expected"), dict):
        raise ValueError(f"{resource_path(*EXAMPLE_RESOURCE)}: assessment of expected ontbreekt")
    return {"assessment": data["assessment"], "expected": data["expected"]}


def _example_case_file(assessment: dict[str, Any]) -> dict[str, Any]:
    return {**EXAMPLE_CASE_FILE, "assessment": assessment}


def _check_advice(run: _Run) -> str:
    from bwo_desktop.core.advice import advise
    from bwo_desktop.core.assessment_json import advice_to_json, parse_assessment

    tariffs, rules, example = run.need("tariffs", "rules", "example")
    advice = advise(parse_assessment(example["assessment"]), tariffs, rules)
    got = advice_to_json(advice)
    wrong = [
        f"{key}: {got.get(key)!r} in plaats van {expected!r}"
        for key, expected in example["expected"].items()
        if got.get(key) != expected
    ]
    if wrong:
        raise AssertionError("; ".join(wrong))
    return f"periode-totaal € {_money_nl(got['period_total'])} zoals in de specificatie"


def _check_database(run: _Run) -> str:
    import secrets

    from bwo_desktop.models import migrate
    from bwo_desktop.services.database import open_database

    path = run.work_dir / "zelftest.db"
    passphrase = secrets.token_urlsafe(24)
    db = open_database(path, passphrase, create=True)
    run.context["db"] = db
    run.context.update(db_path=path, passphrase=passphrase)
    revision = db.schema_revision()
    head = migrate.head_revision()
    if revision != head:
        raise AssertionError(f"schema op revisie {revision}, verwacht {head}")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header.startswith(b"SQLite format 3"):
        raise AssertionError("het databasebestand is niet versleuteld")
    return f"SQLCipher, revisie {revision}"


def _check_case(run: _Run) -> str:
    from bwo_desktop.core.casefile import parse_case_file
    from bwo_desktop.services.cases import CaseService
    from bwo_desktop.services.database import open_database

    db, path, passphrase, example = run.need("db", "db_path", "passphrase", "example")
    case_file = _example_case_file(example["assessment"])
    created = CaseService(db, user="zelftest").create(parse_case_file(case_file))
    if created.id is None or not created.reference:
        raise AssertionError("de opgeslagen casus heeft geen id of kenmerk")
    # Close and reopen: the key file must unwrap with the passphrase, the case must be there.
    db.close()
    del run.context["db"]
    db = open_database(path, passphrase)
    run.context["db"] = db
    case = CaseService(db, user="zelftest").get(created.id)
    expected = case_file["client"]
    if (case.client.bsn, case.client.last_name) != (expected["bsn"], expected["last_name"]):
        raise AssertionError(f"teruggelezen cliënt wijkt af: {case.client.last_name}")
    if case.assessment != example["assessment"]:
        raise AssertionError("teruggelezen beoordeling wijkt af van wat is opgeslagen")
    run.context["case"] = case
    return f"kenmerk {case.reference}, na heropenen met de wachtwoordzin"


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _check_pdf(run: _Run) -> str:
    from bwo_desktop.core.advice import advise
    from bwo_desktop.core.assessment_json import parse_assessment
    from bwo_desktop.exports.beschikking import render_beschikking

    case, tariffs, rules, organisation = run.need("case", "tariffs", "rules", "organisation")
    advice = advise(parse_assessment(case.assessment), tariffs, rules)
    out = run.work_dir / "zelftest-beschikking.pdf"
    render_beschikking(case, advice, organisation, out, demo=True)
    data = out.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise AssertionError("het bestand begint niet met %PDF-")
    if b"%%EOF" not in data[-1024:]:
        raise AssertionError("het PDF-bestand is niet afgesloten (%%EOF ontbreekt)")
    pages = len(_PAGE.findall(data))
    if pages < 1:
        raise AssertionError("de PDF heeft geen pagina's")
    return f"{pages} pagina's, {len(data) // 1024} kB"


def _check_xlsx(run: _Run) -> str:
    from openpyxl import load_workbook

    from bwo_desktop.exports.xlsx_export import CASES_SHEET
    from bwo_desktop.services.xlsx_service import export_cases

    db, case, iwmo = run.need("db", "case", "iwmo")
    out = run.work_dir / "zelftest-overzicht.xlsx"
    export_cases(db, out, iwmo=iwmo, user="zelftest")
    workbook = load_workbook(out, read_only=True)
    try:
        if CASES_SHEET not in workbook.sheetnames:
            found = ", ".join(workbook.sheetnames)
            raise AssertionError(f"tabblad {CASES_SHEET} ontbreekt (wel: {found})")
        rows = workbook[CASES_SHEET].iter_rows(values_only=True)
        values = [cell for row in rows for cell in row]
        if case.reference not in values:
            raise AssertionError(
                f"kenmerk {case.reference} staat niet op het tabblad {CASES_SHEET}"
            )
        sheets = list(workbook.sheetnames)
    finally:
        workbook.close()
    return f"tabbladen: {', '.join(sheets)}"


_QT_APP: Any = None  # kept alive for the rest of the process once made here


def _check_qt(run: _Run) -> str:
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen: Qt would abort otherwise
    from PySide6.QtCore import QLibraryInfo, QTranslator
    from PySide6.QtGui import QFontDatabase, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    global _QT_APP
    app = QApplication.instance()
    if app is None:
        _QT_APP = app = QApplication([APP_NAME, "--self-test"])
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator()
    if not translator.load("qtbase_nl", translations):
        raise FileNotFoundError(f"qtbase_nl.qm niet gevonden in {translations}")
    if not QFontDatabase.families():
        raise AssertionError("Qt vindt geen lettertypen")
    image = QImage(120, 40, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    painter.drawText(4, 24, "Çelik € 1.234,56")
    painter.end()
    return f"Qt {_qt_version()}, platform {QApplication.platformName()}, vertaling nl"


def _check_screens(run: _Run) -> str:
    """Import the composition root and every screen module: the GUI imports them lazily, so
    a module or Qt class missing from the bundle would otherwise show up only on screen."""
    import importlib
    import pkgutil

    app_module = importlib.import_module("bwo_desktop.app")
    if not callable(getattr(app_module, "run_gui", None)):
        raise AssertionError("bwo_desktop.app.run_gui ontbreekt")
    ui = importlib.import_module("bwo_desktop.ui")
    names = [info.name for info in pkgutil.walk_packages(ui.__path__, "bwo_desktop.ui.")]
    if not names:
        raise AssertionError("geen schermmodules gevonden in bwo_desktop.ui")
    for name in names:
        importlib.import_module(name)
    return f"app en {len(names)} modules van bwo_desktop.ui"


CHECKS: tuple[tuple[str, Callable[[_Run], str | None]], ...] = (
    ("bronbestanden geladen", _check_resources),
    ("advies berekend en nagerekend", _check_advice),
    ("database versleuteld en gemigreerd", _check_database),
    ("casus opgeslagen en teruggelezen", _check_case),
    ("beschikking (PDF) gemaakt", _check_pdf),
    ("Excel-overzicht gemaakt en heropend", _check_xlsx),
    ("Qt en Nederlandse vertaling geladen", _check_qt),
    ("schermen geladen", _check_screens),
)


# -- helpers ------------------------------------------------------------------------------


def _money_nl(text: str) -> str:
    whole, _, cents = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ".".join(groups) + "," + (cents or "00")


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return str(qVersion())


def default_report_path() -> Path:
    from bwo_desktop.paths import user_data_dir

    return user_data_dir() / REPORT_NAME


def _header(started: dt.datetime) -> list[str]:
    frozen = bool(getattr(sys, "frozen", False))
    return [
        f"Zelftest {APP_NAME} {__version__}",
        f"Datum:       {started.strftime('%Y-%m-%d %H:%M:%S')}",
        f"Systeem:     {platform.platform()}",
        f"Python:      {platform.python_version()} ({'gebundeld' if frozen else 'broncode'}"
        f"{', UTF-8-modus' if sys.flags.utf8_mode else ''})",
        f"Programma:   {sys.executable}",
    ]


def _write_report(path: Path, lines: list[str]) -> Path:
    """Write the report; when the user data folder is not writable, use the temp folder."""
    text = "\n".join(lines) + "\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    except OSError:
        fallback = Path(tempfile.gettempdir()) / REPORT_NAME
        fallback.write_text(text, encoding="utf-8")
        return fallback


def run_self_test(report_path: Path | None = None, *, out: TextIO | None = None) -> int:
    """Run every check, print one line each, write the report; 0 when all passed, else 1."""
    stream = out if out is not None else sys.stdout
    started_at = dt.datetime.now()
    started = time.perf_counter()
    header = _header(started_at)
    for line in header[:1]:
        _say(stream, line)
    with tempfile.TemporaryDirectory(prefix="bwo-zelftest-", ignore_cleanup_errors=True) as tmp:
        run = _Run(work_dir=Path(tmp), out=stream)
        try:
            for name, fn in CHECKS:
                run.check(name, fn)
        finally:
            db = run.context.pop("db", None)
            if db is not None:
                db.close()
    total = time.perf_counter() - started
    failed = [r for r in run.results if not r.ok]
    if failed:
        final = (
            f"ZELFTEST MISLUKT: {len(failed)} van {len(run.results)} controles niet in orde "
            f"({total:.2f} s)"
        )
    else:
        final = f"ZELFTEST GESLAAGD: alle {len(run.results)} controles in orde ({total:.2f} s)"
    _say(stream, final)

    lines = [*header]
    if "resources_dir" in run.context:
        lines.append(f"Bronbestanden: {run.context['resources_dir']}")
    lines += ["", *(r.line() for r in run.results), "", final]
    for result in failed:
        if result.trace:
            lines += ["", f"Details bij '{result.name}':", result.trace.rstrip()]
    try:
        target = report_path if report_path is not None else default_report_path()
    except Exception:  # platformdirs missing or broken: still leave a report somewhere
        target = Path(tempfile.gettempdir()) / REPORT_NAME
    written = _write_report(target, lines)
    _say(stream, f"Rapport: {written}")
    return 1 if failed else 0
