"""Benchmark: one beschikking against a bare two-page reportlab letter with the same font
(target: at most 3x, measured in the same run), and a herindicatie day of 21 beschikkingen
(target: under 1 second of work in total).

    .venv/bin/python benchmarks/bench_beschikking.py
"""

from __future__ import annotations

import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bwo_desktop.commands.beschikking import tariff_book_for_case  # noqa: E402
from bwo_desktop.core.advice import Advice, advise  # noqa: E402
from bwo_desktop.core.case import Case  # noqa: E402
from bwo_desktop.core.casefile import load_case_file  # noqa: E402
from bwo_desktop.core.rules import default_rules  # noqa: E402
from bwo_desktop.exports.batch import render_day  # noqa: E402
from bwo_desktop.exports.beschikking import parse_case_assessment, render_beschikking  # noqa: E402
from bwo_desktop.exports.letters import load_letter_texts  # noqa: E402
from bwo_desktop.exports.organisation import load_organisation  # noqa: E402
from bwo_desktop.exports.pdf_common import FONT, register_fonts  # noqa: E402

CASEFILES = ROOT / "tests" / "cases" / "casefiles"


def bare_letter(path: Path) -> None:
    """The baseline: two pages of plain paragraphs in DejaVu Sans, nothing else."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    style = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=14, spaceAfter=6)
    text = (
        "Op 8 december 2026 hebben wij met u gesproken over uw ondersteuning. "
        "Geachte heer Yılmaz-Doğan, dit is een voorbeeldalinea. "
    ) * 6
    story = [Paragraph(text, style) for _ in range(9)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def paired_cpu_seconds(
    a: Callable[[], object], b: Callable[[], object], repeat: int
) -> tuple[float, float]:
    """Median CPU seconds per call of `a` and of `b`, run alternately so that both see the
    same machine. CPU time, not wall time: the figure should not depend on what else the
    machine runs (CI, colleagues' test runs)."""
    a()
    b()  # warm-up: fonts parsed, modules imported
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(repeat):
        for fn, times in ((a, times_a), (b, times_b)):
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
    return statistics.median(times_a), statistics.median(times_b)


def advice_for(case: Case) -> Advice:
    return advise(
        parse_case_assessment(case),
        tariff_book_for_case(case.tariffs_used, [], None),
        default_rules(),
    )


def main() -> int:
    register_fonts()
    organisation = load_organisation(use_settings=False)
    texts = load_letter_texts("beschikking", use_user_dir=False)
    full = load_case_file(CASEFILES / "ib_bw_full.json")
    full_advice = advice_for(full)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from pypdf import PdfReader

        bare_letter(folder / "bare.pdf")
        bare_pages = len(PdfReader(str(folder / "bare.pdf")).pages)
        bare, one = paired_cpu_seconds(
            lambda: bare_letter(folder / "bare.pdf"),
            lambda: render_beschikking(
                full, full_advice, organisation, folder / "one.pdf", texts=texts
            ),
            31,
        )
        pages = len(PdfReader(str(folder / "one.pdf")).pages)

        day: list[tuple[Case, Advice]] = []
        start = time.process_time()
        names = ("ib_bw_full", "regular_ib", "intramural")
        for i in range(21):
            case = copy.deepcopy(load_case_file(CASEFILES / f"{names[i % 3]}.json"))
            case.reference = f"BWO-2026-B1-{i + 1:06d}"
            day.append((case, advice_for(case)))
        prepare = time.process_time() - start
        start = time.process_time()
        wall = time.perf_counter()
        files = render_day(day, folder / "dag", organisation, None)
        render = time.process_time() - start
        wall = time.perf_counter() - wall

    ratio = one / bare
    print(
        f"bare reportlab letter ({bare_pages} pages, DejaVu Sans): {bare * 1000:6.1f} ms CPU (median)"
    )
    print(
        f"one beschikking ({pages} pages, full ib_bw case):      {one * 1000:6.1f} ms CPU (median)"
    )
    print(f"ratio: {ratio:.2f}x (target <= 3x)")
    print(
        f"day of {len(files)} beschikkingen: {render:.3f} s CPU rendering ({wall:.3f} s wall) "
        f"+ {prepare:.3f} s reading case files and computing advice (target < 1 s)"
    )
    ok = ratio <= 3 and render + prepare < 1
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
