"""Rule thresholds as data (resources/rules.toml), layered: built-in < user file < explicit file.

The built-in file must be complete; an overriding file may set any subset of the keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.zrm import DOMAIN_KEYS, SUPPORT_FORMS

SCORE_KEYS: tuple[str, ...] = ("1", "2", "3", "4", "5", "unscored")


@dataclass(frozen=True)
class RuleConfig:
    ib3_min_overnemen: int
    # score (1..5, None = unscored) → default support form
    default_support_form: dict[int | None, str]
    origins: tuple[str, ...] = field(default=(), compare=False)
    # The shortest motivation of a deviation (IB level, opslag, longer period) that the
    # readiness checklist accepts. A check before definitief, not an advice threshold: it
    # is not frozen in `rules_used` (a decided case is not checked again).
    motivation_min_chars: int = field(default=10, compare=False)

    def default_form(self, score: int | None) -> str:
        return self.default_support_form[score]


def _score_of(key: str) -> int | None:
    return None if key == "unscored" else int(key)


def _parse_layer(path: Path | str, text: str | None = None) -> dict[str, Any]:
    """One rules file as a partial mapping of the values it sets."""
    name = str(path)
    root = Section(name, load_toml(path, text=text))
    values: dict[str, Any] = {}
    threshold = root.int("ib3_min_overnemen", required=False, minimum=1, maximum=len(DOMAIN_KEYS))
    if threshold is not None:
        values["ib3_min_overnemen"] = threshold
    min_chars = root.int("motivation_min_chars", required=False, minimum=1, maximum=1000)
    if min_chars is not None:
        values["motivation_min_chars"] = min_chars
    forms = root.table("default_support_form", required=False)
    if forms is not None:
        mapping: dict[int | None, str] = {}
        for key in SCORE_KEYS:
            form = forms.str(key, required=False)
            if form is None:
                continue
            if form not in SUPPORT_FORMS:
                raise forms.error(
                    key,
                    f"onbekende ondersteuningsvorm {form!r} (kies uit {', '.join(SUPPORT_FORMS)})",
                )
            mapping[_score_of(key)] = form
        forms.done()
        values["default_support_form"] = mapping
    root.done()
    return values


def parse_rules_file(path: Path | str, text: str | None = None) -> RuleConfig:
    """A complete rules file (like the built-in one) as a RuleConfig."""
    return _merge([(str(path), _parse_layer(path, text))])


def _merge(layers: list[tuple[str, dict[str, Any]]]) -> RuleConfig:
    threshold: int | None = None
    min_chars: int | None = None
    forms: dict[int | None, str] = {}
    for _name, values in layers:
        if "ib3_min_overnemen" in values:
            threshold = values["ib3_min_overnemen"]
        min_chars = values.get("motivation_min_chars", min_chars)
        forms.update(values.get("default_support_form", {}))
    first = layers[0][0]
    if threshold is None:
        raise DataFileError(first, "ib3_min_overnemen", "ontbreekt")
    for key in SCORE_KEYS:
        if _score_of(key) not in forms:
            raise DataFileError(first, f"default_support_form.{key}", "ontbreekt")
    if min_chars is None:
        raise DataFileError(first, "motivation_min_chars", "ontbreekt")
    ordered = {_score_of(k): forms[_score_of(k)] for k in SCORE_KEYS}
    return RuleConfig(
        ib3_min_overnemen=threshold,
        default_support_form=ordered,
        origins=tuple(name for name, _ in layers),
        motivation_min_chars=min_chars,
    )


def builtin_rules_file() -> Path:
    from bwo_desktop.core.resources import resource_path

    return resource_path("rules.toml")


def load_rules(
    explicit: Path | str | None = None,
    *,
    user_file: Path | None = None,
    builtin_file: Path | None = None,
) -> RuleConfig:
    """Built-in rules < `user_file` (when it exists; pass `paths.user_rules_file()`) <
    `explicit` (must exist). A malformed file is a DataFileError naming file and key."""
    builtin = builtin_rules_file() if builtin_file is None else builtin_file
    layers: list[tuple[str, dict[str, Any]]] = [(str(builtin), _parse_layer(builtin))]
    if user_file is not None and user_file.is_file():
        layers.append((str(user_file), _parse_layer(user_file)))
    if explicit is not None:
        layers.append((str(explicit), _parse_layer(explicit)))
    return _merge(layers)


def default_rules() -> RuleConfig:
    """The built-in rules only (tests, previews)."""
    return load_rules()


def rules_to_dict(rules: RuleConfig) -> dict[str, Any]:
    """The thresholds as JSON data (what a decision freezes as `rules_used`)."""
    return {
        "ib3_min_overnemen": rules.ib3_min_overnemen,
        "default_support_form": {
            ("unscored" if score is None else str(score)): form
            for score, form in rules.default_support_form.items()
        },
    }


def rules_from_dict(data: Any, where: str = "rules_used") -> RuleConfig:
    """A frozen `rules_used` back as a RuleConfig; it must be complete (a DataFileError
    names the key otherwise), like the built-in file."""
    if not isinstance(data, dict):
        raise DataFileError(where, "", "geen tabel")
    unknown = sorted(set(data) - {"ib3_min_overnemen", "default_support_form"})
    if unknown:
        raise DataFileError(where, unknown[0], "onbekende sleutel")
    threshold = data.get("ib3_min_overnemen")
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        raise DataFileError(where, "ib3_min_overnemen", "ontbreekt of is geen geheel getal")
    forms = data.get("default_support_form")
    if not isinstance(forms, dict) or set(forms) != set(SCORE_KEYS):
        raise DataFileError(where, "default_support_form", "onvolledig")
    mapping: dict[int | None, str] = {}
    for key in SCORE_KEYS:
        form = forms[key]
        if form not in SUPPORT_FORMS:
            raise DataFileError(where, f"default_support_form.{key}", f"onbekend: {form!r}")
        mapping[_score_of(key)] = form
    return RuleConfig(threshold, mapping, origins=(where,))


def builtin_rules_dict() -> dict[str, Any]:
    """The built-in thresholds as `rules_used` data (a decided case without frozen rules)."""
    return rules_to_dict(default_rules())
