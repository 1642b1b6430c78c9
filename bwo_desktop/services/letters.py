"""Letters of stored cases: the beschikking, the onderzoeksverslag and the day batch. A
definitief case prints from its frozen decision (`exports.case_advice.advice_for_case`:
frozen tariffs and frozen rules, never today's files); a concept prints marked CONCEPT on
every page. Each file is audited (record_export) once it is complete; when the audit entry
cannot be written the file is removed and the error raised: no letter without a trace."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bwo_desktop.core.advice import Advice
from bwo_desktop.core.case import Case, CaseSummary
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.names import fold
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.services.errors import ConsentMissing

if TYPE_CHECKING:
    from bwo_desktop.exports.beschikking import LetterHistory

Progress = Callable[[int, int], None]


def same_location(a: str | None, b: str | None) -> bool:
    return fold((a or "").strip()) == fold((b or "").strip())


def definitief_of_day(
    summaries: Sequence[CaseSummary], day: dt.date, location: str | None
) -> list[CaseSummary]:
    """The definitief cases planned on `day` at `location` (None: every location)."""
    return [
        s
        for s in summaries
        if s.status == "definitief"
        and s.planned_date == day
        and (location is None or same_location(s.location, location))
    ]


@dataclass
class DayBatchReport:
    """What a day batch wrote: one beschikking per definitief case, in planned order
    (`files`); with verslagen, the client's onderzoeksverslag of each case and the
    provider's where the client consented (`verslagen`), and per case without that consent
    its kenmerk and the reason (`skipped`)."""

    day: dt.date
    location: str | None
    files: list[Path] = field(default_factory=list)
    verslagen: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def no_consent_reason(consent: bool | None) -> str:
    """Why the provider's copy of a case is not made (in the day batch's list)."""
    if consent is False:
        return "geen verslag voor de zorgaanbieder: de cliënt heeft geen toestemming gegeven"
    return "geen verslag voor de zorgaanbieder: de toestemming van de cliënt is niet vastgelegd"


class LetterService:
    """`rules` gives the rules in force (for a concept only); `organisation` the letterhead
    (default: settings, else built-in); `user_tariffs` the user's tariff folder (for a
    concept only); `demo` marks every page DEMO (default: the database's demo flag)."""

    def __init__(
        self,
        cases: Any,
        *,
        rules: Callable[[], RuleConfig] | None = None,
        organisation: Callable[[], Any] | None = None,
        user_tariffs: Path | None = None,
        demo: bool | None = None,
    ) -> None:
        from bwo_desktop import paths

        self.cases = cases
        self._rules = rules or self._default_rules
        self._organisation = organisation or self._default_organisation
        self._user_tariffs = user_tariffs if user_tariffs is not None else paths.user_tariffs_dir()
        self._demo = demo

    @staticmethod
    def _default_rules() -> RuleConfig:
        from bwo_desktop import paths
        from bwo_desktop.core.rules import load_rules

        return load_rules(user_file=paths.user_rules_file())

    @staticmethod
    def _default_organisation() -> Any:
        from bwo_desktop.exports.organisation import load_organisation

        return load_organisation()

    @property
    def demo(self) -> bool:
        if self._demo is not None:
            return self._demo
        return bool(getattr(getattr(self.cases, "db", None), "is_demo", False))

    def advice(self, case: Case) -> Advice:
        """The advice the case's letters print (its frozen decision when definitief)."""
        from bwo_desktop.exports.case_advice import advice_for_case

        return advice_for_case(case, self._rules(), user_tariffs=self._user_tariffs)

    @staticmethod
    def _day(case: Case) -> dt.date:
        if case.decision_date is not None:
            return case.decision_date
        return case.planned.date if case.planned else dt.date.today()

    def _audited(self, case: Case, path: Path, kind: str) -> Path:
        assert case.id is not None
        try:
            self.cases.record_export(case.id, path.name, kind)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path

    def beschikking(self, case_id: str, folder: Path) -> Path:
        from bwo_desktop.exports.beschikking import render_beschikking
        from bwo_desktop.exports.filenames import beschikking_filename

        case = self.cases.get(case_id)
        advice = self.advice(case)
        organisation = self._organisation()
        if not case.reference:
            raise InputError("reference", "het kenmerk ontbreekt")
        out = Path(folder) / beschikking_filename(case.reference, self._day(case))
        out.parent.mkdir(parents=True, exist_ok=True)
        render_beschikking(
            case, advice, organisation, out, demo=self.demo, history=self.history(case)
        )
        return self._audited(case, out, "beschikking")

    def history(self, case: Case) -> LetterHistory:
        """What the letter names around the case: the earlier decision of the client (when
        it is in this database and definitief) and the day the client's verslag was made."""
        from bwo_desktop.exports.beschikking import LetterHistory

        earlier = self.cases.previous_case(case)
        decided = earlier is not None and earlier.status == "definitief"
        sent = self.cases.documents_made(case.id).get("verslag-client") if case.id else None
        return LetterHistory(
            earlier_reference=earlier.reference if decided and earlier else None,
            earlier_date=earlier.decision_date if decided and earlier else None,
            verslag_sent=sent,
        )

    def verslag(self, case_id: str, folder: Path, *, copy: str) -> Path:
        """`copy` is "client", "provider" or "internal" (the dossier copy, never sent); the
        provider copy needs the client's consent (ConsentMissing otherwise)."""
        from bwo_desktop.exports.verslag import COPY_FOR

        if copy not in COPY_FOR:
            raise InputError(
                "copy", f"onbekend exemplaar {copy!r} (kies uit client, provider, internal)"
            )
        case = self.cases.get(case_id)
        if copy == "provider" and case.conversation.consent_share_report is not True:
            raise ConsentMissing(case.reference)
        return self._verslag(case, self.advice(case), Path(folder), copy, self._organisation())

    def _verslag(
        self, case: Case, advice: Advice, folder: Path, copy: str, organisation: Any
    ) -> Path:
        from bwo_desktop.exports.filenames import verslag_filename
        from bwo_desktop.exports.verslag import render_onderzoeksverslag

        if not case.reference:
            raise InputError("reference", "het kenmerk ontbreekt")
        previous = self.cases.previous_case(case)
        out = folder / verslag_filename(case.reference, self._day(case), copy)
        out.parent.mkdir(parents=True, exist_ok=True)
        render_onderzoeksverslag(
            case,
            advice,
            organisation,
            out,
            previous=previous,
            copy_for=copy,
            demo=self.demo,
        )
        return self._audited(case, out, f"verslag-{copy}")

    def day_batch(
        self,
        day: dt.date,
        folder: Path,
        progress: Progress | None = None,
        *,
        location: str | None = None,
        verslagen: bool = False,
    ) -> DayBatchReport:
        """The beschikkingen of every definitief case planned on `day` (at `location`; None:
        every location) into `folder`. Every case is checked before anything is written.

        `verslagen`: also the client's onderzoeksverslag of each case, and the provider's
        only where the client consented (the others are in `skipped` with the reason);
        `progress` then counts every file."""
        from bwo_desktop.exports.batch import render_day

        chosen = definitief_of_day(self.cases.list_summaries(), day, location)
        pairs: list[tuple[Case, Advice]] = []
        for summary in sorted(chosen, key=lambda s: (s.planned_time or dt.time.min, s.client_name)):
            case = self.cases.get(summary.id)
            try:
                pairs.append((case, self.advice(case)))
            except InputError as exc:
                who = case.reference or "casus zonder kenmerk"
                raise InputError(f"{who}: {exc.field}", exc.problem) from exc
        organisation = self._organisation()
        copies = [self._copies(case) if verslagen else [] for case, _advice in pairs]
        total = len(pairs) + sum(len(c) for c in copies)

        def overall(done: int, _total: int) -> None:
            if progress is not None:
                progress(done, total)

        histories = {case.reference or "": self.history(case) for case, _advice in pairs}
        written = render_day(
            pairs, folder, organisation, overall, demo=self.demo, histories=histories
        )
        report = DayBatchReport(day, location)
        for n, ((case, _advice), path) in enumerate(zip(pairs, written, strict=True)):
            try:
                report.files.append(self._audited(case, path, "beschikking"))
            except BaseException:
                for unaudited in written[n:]:  # no letter without its audit entry
                    unaudited.unlink(missing_ok=True)
                raise
        done = len(written)
        for (case, advice), wanted in zip(pairs, copies, strict=True):
            if wanted and "provider" not in wanted:
                consent = case.conversation.consent_share_report
                report.skipped.append((case.reference or "", no_consent_reason(consent)))
            for copy in wanted:
                report.verslagen.append(
                    self._verslag(case, advice, Path(folder), copy, organisation)
                )
                done += 1
                overall(done, total)
        return report

    @staticmethod
    def _copies(case: Case) -> list[str]:
        """The verslagen the day batch makes of a case: the provider's only with consent."""
        if case.conversation.consent_share_report is True:
            return ["client", "provider"]
        return ["client"]
