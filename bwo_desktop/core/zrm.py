"""The ZRM catalogue: 13 domains, 5 levels, result areas and the Bijlage 1 results, loaded strictly."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bwo_desktop.core.datafile import Section, load_toml
from bwo_desktop.core.errors import DataFileError

# The keys are part of the JSON contracts (advice-json.md), so they are fixed here and the
# data file must match them exactly; names and texts come from the file.
DOMAIN_KEYS: tuple[str, ...] = (
    "financien",
    "werk_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid",
    "lichamelijke_gezondheid",
    "middelengebruik",
    "basale_adl",
    "instrumentele_adl",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
)

RESULT_AREA_KEYS: tuple[str, ...] = (
    "financien",
    "werk_opleiding",
    "tijdsbesteding",
    "huisvesting",
    "huiselijke_relaties",
    "geestelijke_gezondheid_middelengebruik",
    "zelfzorg",
    "sociaal_netwerk",
    "maatschappelijke_participatie",
    "justitie",
)

SUPPORT_FORMS: tuple[str, ...] = ("geen", "toezicht", "aanleren", "overnemen")
SUPPORT_FORM_NAMES: dict[str, str] = {
    "geen": "geen ondersteuning",
    "toezicht": "toezicht en stimuleren",
    "aanleren": "aanleren en oefenen",
    "overnemen": "helpen, overnemen en regie",
}
DEVELOPMENTS: dict[str, str] = {
    "toename": "toename zelfredzaamheid",
    "stabilisatie": "stabilisatie",
}


@dataclass(frozen=True)
class Domain:
    key: str
    name: str
    description: str
    result_area: str


@dataclass(frozen=True)
class ResultArea:
    key: str
    name: str
    aim: str
    results: tuple[str, ...]
    free_text: bool


@dataclass(frozen=True)
class ZrmCatalogue:
    levels: dict[int, str]
    domains: tuple[Domain, ...]
    result_areas: tuple[ResultArea, ...]

    def domain(self, key: str) -> Domain:
        for domain in self.domains:
            if domain.key == key:
                return domain
        raise KeyError(key)

    def result_area(self, key: str) -> ResultArea:
        for area in self.result_areas:
            if area.key == key:
                return area
        raise KeyError(key)

    def level_name(self, score: int | None) -> str:
        return "niet gescoord" if score is None else self.levels[score]


@dataclass(frozen=True)
class AreaHint:
    """A result area to consider: its ZRM domains that need more than toezicht."""

    area: ResultArea
    domains: tuple[tuple[Domain, int], ...]  # (domain, score), lowest score first

    @property
    def short_name(self) -> str:
        """The area's name without its explanation: "Zelfzorg"."""
        return self.area.name.split(" (")[0]

    @property
    def lowest(self) -> int:
        return self.domains[0][1]

    def describe(self) -> str:
        """ "Financiën 1" (the domain is the area), "Zelfzorg (Basale ADL 2, Instrumentele
        ADL 3)" otherwise."""
        same = self.domains[0][0].name.replace(" & ", " en ") == self.short_name
        if len(self.domains) == 1 and same:
            return f"{self.short_name} {self.lowest}"
        scores = ", ".join(f"{domain.name} {score}" for domain, score in self.domains)
        return f"{self.short_name} ({scores})"


# Support forms that point to working on a result: the client learns or is helped. With the
# default mapping these are the scores 1-3 (toezicht at 4 keeps what goes well).
_CONSIDER_FORMS = frozenset({"aanleren", "overnemen"})


def areas_to_consider(
    catalogue: ZrmCatalogue, scores: dict[str, int], forms: dict[str, str]
) -> tuple[AreaHint, ...]:
    """The result areas of the domains whose effective support form (`forms`, per domain
    key) is aanleren or overnemen, in catalogue order; unscored domains point nowhere."""
    by_area: dict[str, list[tuple[Domain, int]]] = {}
    for domain in catalogue.domains:
        score = scores.get(domain.key)
        if score is not None and forms.get(domain.key) in _CONSIDER_FORMS:
            by_area.setdefault(domain.result_area, []).append((domain, score))
    return tuple(
        AreaHint(area, tuple(sorted(by_area[area.key], key=lambda pair: pair[1])))
        for area in catalogue.result_areas
        if area.key in by_area
    )


def parse_catalogue(path: Path | str, text: str | None = None) -> ZrmCatalogue:
    name = str(path)
    root = Section(name, load_toml(path, text=text))
    levels_section = root.table("levels")
    assert levels_section is not None
    levels: dict[int, str] = {}
    for level in range(1, 6):
        levels[level] = levels_section.str(str(level))
    levels_section.done()

    domains: list[Domain] = []
    for section in root.tables("domains"):
        domain = Domain(
            key=section.str("key"),
            name=section.str("name"),
            description=section.str("description"),
            result_area=section.str("result_area"),
        )
        section.done()
        if domain.result_area not in RESULT_AREA_KEYS:
            raise section.error("result_area", f"onbekend resultaatgebied {domain.result_area!r}")
        domains.append(domain)
    keys = [d.key for d in domains]
    if tuple(keys) != DOMAIN_KEYS:
        for key in keys:
            if keys.count(key) > 1:
                raise DataFileError(name, "domains", f"domein {key!r} staat er dubbel in")
        raise DataFileError(
            name, "domains", "moet precies de 13 ZRM-domeinen in vaste volgorde bevatten"
        )

    areas: list[ResultArea] = []
    for section in root.tables("result_areas"):
        free_text = bool(section.bool("free_text", required=False))
        results = section.str_list("results")
        area = ResultArea(
            key=section.str("key"),
            name=section.str("name"),
            aim=section.str("aim"),
            results=tuple(results),
            free_text=free_text,
        )
        section.done()
        if len(set(results)) != len(results):
            raise section.error("results", "bevat een resultaat dubbel")
        if not free_text and not results:
            raise section.error(
                "results", "een resultaatgebied zonder vrije tekst heeft resultaten nodig"
            )
        areas.append(area)
    if tuple(a.key for a in areas) != RESULT_AREA_KEYS:
        raise DataFileError(
            name, "result_areas", "moet precies de 10 resultaatgebieden in vaste volgorde bevatten"
        )
    root.done()
    return ZrmCatalogue(levels=levels, domains=tuple(domains), result_areas=tuple(areas))


@cache
def load_catalogue(path: Path | None = None) -> ZrmCatalogue:
    """The bundled catalogue (or one at `path`)."""
    if path is None:
        from bwo_desktop.core.resources import resource_path

        path = resource_path("zrm.toml")
    return parse_catalogue(path)
