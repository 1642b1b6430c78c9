"""The organisation's ZRM anchor texts (per domain and level), loaded strictly from its own file.

The ZRM's per-cell anchor texts are (c) GGD Amsterdam and are not shipped with the app
(domain.md, "ZRM"). An organisation that holds a licence puts them in one TOML file in the
user's data folder, `<user data dir>/zrm_ankers.toml`; the ZRM screen shows them beside the
scores when the file is there, and works with the level names alone when it is not.

File format (UTF-8 TOML)::

    # optional: where the texts come from, shown under the texts on screen
    source = "ZRM, versie 2017, (c) GGD Amsterdam; licentie Sociale Dienst Drechtsteden"

    [financien]
    1 = "Groeiende, complexe schulden."
    2 = "..."
    3 = "..."
    4 = "..."
    5 = "..."

    [werk_opleiding]
    1 = "..."
    # ... one table per domain

Rules (anything else is refused with the file and key named):
- the only top-level keys are `source` (text, optional) and tables named by a ZRM domain key
  (financien, werk_opleiding, tijdsbesteding, huisvesting, huiselijke_relaties,
  geestelijke_gezondheid, lichamelijke_gezondheid, middelengebruik, basale_adl,
  instrumentele_adl, sociaal_netwerk, maatschappelijke_participatie, justitie);
- a domain table holds exactly the keys 1, 2, 3, 4 and 5, each a non-empty text;
- a domain may be left out (the screen then shows the level names for it); a domain table
  that is present must be complete, since a half-filled one is most likely a mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.zrm import DOMAIN_KEYS

ANCHOR_FILE_NAME = "zrm_ankers.toml"
LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ZrmAnchors:
    """Anchor texts per domain key and level (1..5); `source` names their origin."""

    texts: dict[str, dict[int, str]] = field(default_factory=dict)
    source: str | None = None
    origin: str = ""

    def text(self, domain: str, level: int | None) -> str | None:
        if level is None:
            return None
        return self.texts.get(domain, {}).get(level)

    def has_domain(self, domain: str) -> bool:
        return domain in self.texts

    def __bool__(self) -> bool:
        return bool(self.texts)


def parse_anchor_texts(path: Path | str, text: str | None = None) -> ZrmAnchors:
    """Read an anchor-text file; a DataFileError names file and key for every fault."""
    name = str(path)
    root = Section(name, load_toml(path, text=text))
    source = root.str("source", required=False)
    texts: dict[str, dict[int, str]] = {}
    for key in root.data:
        if key == "source":
            continue
        if key not in DOMAIN_KEYS:
            raise root.error(
                key, "onbekend ZRM-domein (gebruik de domeinsleutels, bijvoorbeeld 'financien')"
            )
        section = root.table(key)
        assert section is not None
        levels: dict[int, str] = {}
        for level in LEVELS:
            levels[level] = section.str(str(level))
        section.done()
        texts[key] = levels
    root.done()
    ordered = {key: texts[key] for key in DOMAIN_KEYS if key in texts}
    return ZrmAnchors(texts=ordered, source=source, origin=name)


def load_anchor_texts(folder: Path) -> ZrmAnchors | None:
    """The anchor texts in `folder`/zrm_ankers.toml, or None when the organisation has none."""
    path = folder / ANCHOR_FILE_NAME
    if not path.is_file():
        return None
    return parse_anchor_texts(path)
