"""Every bundled data file in resources/ is known, loads strictly, and is shipped."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bwo_desktop.core.resources import resources_dir


def _zrm(path: Path) -> None:
    from bwo_desktop.core.zrm import parse_catalogue

    catalogue = parse_catalogue(path)
    assert len(catalogue.domains) == 13


def _tariff(path: Path) -> None:
    from bwo_desktop.core.tariffs import parse_tariff_file

    table = parse_tariff_file(path)
    assert path.stem == table.valid_from.isoformat(), "file name must be its valid_from"


def _rules(path: Path) -> None:
    from bwo_desktop.core.rules import parse_rules_file

    rules = parse_rules_file(path)
    assert rules.ib3_min_overnemen >= 1


def _iwmo(path: Path) -> None:
    from bwo_desktop.core.iwmo import load_iwmo_settings

    load_iwmo_settings()


def _letters(path: Path) -> None:
    from bwo_desktop.exports.letters import load_letter_texts

    load_letter_texts(path.stem, use_user_dir=False)


def _organisation(path: Path) -> None:
    from bwo_desktop.exports.organisation import load_organisation

    organisation = load_organisation(use_settings=False)
    assert organisation.name


def _font(path: Path) -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    TTFont(path.stem, str(path))


def _selftest_example(path: Path) -> None:
    from bwo_desktop.selftest import EXAMPLE_RESOURCE, load_example

    assert path.relative_to(resources_dir()).parts == EXAMPLE_RESOURCE
    example = load_example()
    assert example["assessment"]["assessment_date"] and example["expected"]["outcome"]


def _licence(path: Path) -> None:
    assert "DejaVu" in path.read_text(encoding="utf-8")


# glob (relative to resources/) -> checker. A new kind of file needs a checker here.
CHECKERS: dict[str, Callable[[Path], None]] = {
    "zrm.toml": _zrm,
    "tariffs/*.toml": _tariff,
    "rules.toml": _rules,
    "iwmo.toml": _iwmo,
    "letters/*.toml": _letters,
    "organisation.toml": _organisation,
    "fonts/*.ttf": _font,
    "fonts/*LICENSE*": _licence,
    "selftest/*.json": _selftest_example,
}


def _all_files() -> list[Path]:
    root = resources_dir()
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _checker_for(path: Path) -> Callable[[Path], None] | None:
    relative = path.relative_to(resources_dir())
    for pattern, checker in CHECKERS.items():
        if relative.match(pattern):
            return checker
    return None


@pytest.mark.parametrize("path", _all_files(), ids=lambda p: str(p.relative_to(resources_dir())))
def test_every_resource_file_loads(path: Path) -> None:
    checker = _checker_for(path)
    assert checker is not None, f"{path.name}: no loader test for this resource file"
    checker(path)


def test_resources_are_packed_into_the_wheel() -> None:
    import tomllib

    pyproject = tomllib.loads((resources_dir().parent / "pyproject.toml").read_text("utf-8"))
    include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["resources"] == "bwo_desktop/resources"
