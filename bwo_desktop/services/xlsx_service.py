"""Export use case: gather the cases for the Excel overview and write it (with an audit entry).

One query for the cases and one per small table (clients, providers), joined in Python:
10,000 cases load in well under a second, unlike an ORM object per case. A definitief case
shows its frozen decision and tariffs; a concept case the live advice of its assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from bwo_desktop.core.advice import Advice
from bwo_desktop.core.case import Client as CoreClient
from bwo_desktop.core.errors import InputError
from bwo_desktop.core.iwmo import IwmoSettings, load_iwmo_settings
from bwo_desktop.core.names import fold, sort_name
from bwo_desktop.core.rules import RuleConfig
from bwo_desktop.core.strict_json import iso_date_or_none
from bwo_desktop.core.tariffs import TariffBook, TariffTable, tariff_table_from_dict
from bwo_desktop.core.zrm import DOMAIN_KEYS
from bwo_desktop.exports.xlsx_export import (
    ExportCase,
    ExportLine,
    ExportSegment,
    OverviewCounts,
    Progress,
    check_file_name,
    default_file_name,
    write_overview,
)
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder
from bwo_desktop.services import audit
from bwo_desktop.services.database import Database

IB_CODES = ("IB1", "IB2", "IB3")


@dataclass(frozen=True)
class ExportReport:
    path: Path
    cases: int
    lines: int
    toewijzingen: int
    tariff_tables: int
    full_bsn: bool


# ------------------------------------------------------------------------------ pure helpers


def _money(value: Any) -> Decimal | None:
    if not isinstance(value, str):
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _scores(assessment: Any) -> dict[str, int | None]:
    zrm = assessment.get("zrm") if isinstance(assessment, Mapping) else None
    if not isinstance(zrm, Mapping):
        return {}
    return {
        k: (v if isinstance(v, int) and not isinstance(v, bool) else None)
        for k, v in zrm.items()
        if k in DOMAIN_KEYS
    }


def _has_scores(assessment: Any) -> bool:
    return any(v is not None for v in _scores(assessment).values())


def _opslag(assessment: Any, start: dt.date | None, end: dt.date | None) -> tuple[Any, Any, Any]:
    opslag = assessment.get("opslag") if isinstance(assessment, Mapping) else None
    if not isinstance(opslag, Mapping) or not isinstance(opslag.get("reason"), str):
        return None, None, None
    return (
        opslag["reason"],
        iso_date_or_none(opslag.get("start")) or start,
        iso_date_or_none(opslag.get("end")) or end,
    )


def segments_from_decision(
    lines: Sequence[ExportLine],
    period_start: dt.date,
    period_end: dt.date,
    opslag_window: tuple[dt.date, dt.date] | None,
) -> tuple[ExportSegment, ...]:
    """The date segments per component of a stored decision (the advise output has lines,
    not segments): the IB level runs outside the opslag window, IBn_opslag inside it, the
    other components the whole period (the same rule as the engine)."""
    codes = {line.code for line in lines if line.days > 0}
    segments: list[ExportSegment] = []
    has_opslag = any(code.endswith("_opslag") for code in codes)
    one_day = dt.timedelta(days=1)
    for code in codes:
        if code in IB_CODES and has_opslag and opslag_window is not None:
            w_start, w_end = opslag_window
            if w_start > period_start:
                segments.append(ExportSegment(code, period_start, w_start - one_day))
            if w_end < period_end:
                segments.append(ExportSegment(code, w_end + one_day, period_end))
        elif code.endswith("_opslag") and opslag_window is not None:
            segments.append(ExportSegment(code, *opslag_window))
        else:
            segments.append(ExportSegment(code, period_start, period_end))
    return tuple(segments)


def _from_decision(decision: Mapping[str, Any], assessment: Any) -> dict[str, Any]:
    raw_period = decision.get("period")
    period: Mapping[str, Any] = raw_period if isinstance(raw_period, Mapping) else {}
    start, end = iso_date_or_none(period.get("start")), iso_date_or_none(period.get("end"))
    lines = []
    for raw in decision.get("lines") or []:
        if not isinstance(raw, Mapping):
            continue
        weekly, amount = _money(raw.get("weekly")), _money(raw.get("amount"))
        days = raw.get("days")
        if weekly is None or amount is None or not isinstance(days, int):
            continue
        lines.append(ExportLine(str(raw.get("code")), days, weekly, amount))
    reason, o_start, o_end = _opslag(assessment, start, end)
    if not any(line.code.endswith("_opslag") for line in lines):
        reason = o_start = o_end = None
    segments: tuple[ExportSegment, ...] = ()
    if start is not None and end is not None:
        window = (o_start, o_end) if o_start is not None and o_end is not None else None
        segments = segments_from_decision(lines, start, end, window)
    warnings = tuple(
        str(w.get("code")) for w in decision.get("warnings") or [] if isinstance(w, Mapping)
    )
    return {
        "outcome": decision.get("outcome"),
        "ib_level_recommended": decision.get("recommended_ib_level"),
        "ib_level_decided": decision.get("ib_level"),
        "period_start": start,
        "period_end": end,
        "weekly_total": _money(decision.get("weekly_total")),
        "period_total": _money(decision.get("period_total")),
        "warnings": warnings,
        "lines": tuple(lines),
        "segments": segments,
        "opslag_reason": reason,
        "opslag_start": o_start,
        "opslag_end": o_end,
    }


def _from_advice(advice: Advice) -> dict[str, Any]:
    window = advice.opslag_window
    return {
        "outcome": advice.outcome,
        "ib_level_recommended": advice.recommended_ib_level,
        "ib_level_decided": None,  # a concept has no decision yet
        "period_start": advice.period_start,
        "period_end": advice.period_end,
        "weekly_total": advice.weekly_total,
        "period_total": advice.period_total,
        "warnings": advice.warning_codes,
        "lines": tuple(ExportLine(x.code, x.days, x.weekly, x.amount) for x in advice.lines),
        "segments": tuple(ExportSegment(x.code, x.start, x.end) for x in advice.segments),
        "opslag_reason": None,
        "opslag_start": window[0] if window else None,
        "opslag_end": window[1] if window else None,
    }


def _snapshot_client(snapshot: Any) -> tuple[str, dt.date | None, str | None, str | None] | None:
    """(sort name, birth date, provider name, AGB) as the decision named the client."""
    if not isinstance(snapshot, Mapping):
        return None
    birth = iso_date_or_none(snapshot.get("birth_date"))
    last = snapshot.get("last_name")
    if birth is None or not isinstance(last, str):
        return None
    client = CoreClient(
        bsn=str(snapshot.get("bsn") or ""),
        last_name=last,
        birth_date=birth,
        initials=snapshot.get("initials"),
        first_name=snapshot.get("first_name"),
        prefix=snapshot.get("prefix"),
    )
    provider = snapshot.get("provider")
    name = agb = None
    if isinstance(provider, Mapping):
        name, agb = provider.get("name"), provider.get("agb_code")
    return sort_name(client), birth, name, agb


# ------------------------------------------------------------------------------ gathering


_CASE_COLUMNS = (
    Herindicatie.id,
    Herindicatie.reference,
    Herindicatie.client_id,
    Herindicatie.provider_id,
    Herindicatie.status,
    Herindicatie.planned_date,
    Herindicatie.planned_time,
    Herindicatie.location,
    Herindicatie.consultant_name,
    Herindicatie.assessment,
    Herindicatie.decision,
    Herindicatie.tariffs_used,
    Herindicatie.client_snapshot,
    Herindicatie.current_indication_end,
    Herindicatie.decision_date,
    Herindicatie.superseded,
    Herindicatie.created_at,
    Herindicatie.revision,
)


def _load_rows(s: Session | Connection) -> tuple[list[Any], dict[Any, Any], dict[Any, Any]]:
    rows = list(s.execute(select(*_CASE_COLUMNS).where(Herindicatie.deleted_at.is_(None))).all())
    clients = {
        r[0]: r
        for r in s.execute(
            select(ClientRow.id, ClientRow.sort_name, ClientRow.bsn, ClientRow.birth_date)
        )
    }
    providers = {
        r[0]: (r[1], r[2])
        for r in s.execute(select(Zorgaanbieder.id, Zorgaanbieder.name, Zorgaanbieder.agb_code))
    }
    return rows, clients, providers


def _herindicatie_date(r: Any) -> dt.date | None:
    """The planned date; without one (an imported case is never planned) the conversation
    date of the assessment (`assessment_date`)."""
    planned: dt.date | None = r.planned_date
    if planned is not None:
        return planned
    if isinstance(r.assessment, Mapping):
        return iso_date_or_none(r.assessment.get("assessment_date"))
    return None


def gather_export_cases(
    db: Database | Session | Connection,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    location: str | None = None,
    tariffs: TariffBook | None = None,
    rules: RuleConfig | None = None,
) -> list[ExportCase]:
    """The current cases (not deleted, not superseded) whose herindicatie date (the planned
    date, else the assessment's conversation date) lies in [date_from, date_to] and whose location contains `location` (accents and
    case ignored), sorted by date, time and client.

    `db` is the laptop's Database, or an open Session or Connection (the office reads one
    team's rows inside its own transaction, with the team set for row-level security)."""
    if isinstance(db, Database):
        with db.session() as s:
            rows, clients, providers = _load_rows(s)
    else:
        rows, clients, providers = _load_rows(db)

    # Earlier cases with scores per client, for the "previous scores" columns.
    history: dict[Any, list[tuple[dt.date, Any, int, str | None, dict[str, int | None]]]] = {}
    for r in rows:
        when = r.decision_date or _herindicatie_date(r)
        if when is not None and _has_scores(r.assessment):
            history.setdefault(r.client_id, []).append(
                (when, r.created_at, r.revision, r.reference, _scores(r.assessment))
            )
    for entries in history.values():
        entries.sort(key=lambda e: (e[0], e[1], e[2]))

    wanted = fold(location).strip() if location else ""
    advice_engine: tuple[TariffBook, RuleConfig] | None = None
    table_cache: dict[str, TariffTable | None] = {}
    out: list[ExportCase] = []
    for r in rows:
        if r.superseded:
            continue
        day = _herindicatie_date(r)
        if date_from is not None and (day is None or day < date_from):
            continue
        if date_to is not None and (day is None or day > date_to):
            continue
        if wanted and wanted not in fold(r.location or ""):
            continue
        client = clients.get(r.client_id)
        if client is None:
            continue
        name: str = client[1]
        birth: dt.date | None = client[3]
        provider_name, agb = providers.get(r.provider_id, ("", None))
        if r.status == "definitief":
            snap = _snapshot_client(r.client_snapshot)
            if snap is not None:
                name, birth = snap[0], snap[1]
                provider_name = snap[2] or provider_name
                agb = snap[3] or agb

        details: dict[str, Any] = {}
        tables: tuple[TariffTable, ...] = ()
        if r.status == "definitief" and isinstance(r.decision, Mapping):
            details = _from_decision(r.decision, r.assessment)
            tables = _tables(r.tariffs_used, table_cache)
        elif isinstance(r.assessment, Mapping) and r.status == "concept":
            if advice_engine is None:
                advice_engine = _engine(tariffs, rules)
            advice = _live_advice(r.assessment, advice_engine)
            if advice is not None:
                details = _from_advice(advice)
                tables = advice.tariffs_used

        previous_ref = None
        previous: dict[str, int | None] | None = None
        when = r.decision_date or _herindicatie_date(r)
        for entry in reversed(history.get(r.client_id, [])):
            if entry[3] == r.reference:
                continue
            if when is not None and entry[0] >= when:
                continue
            previous_ref, previous = entry[3], entry[4]
            break

        codes = {line.code for line in details.get("lines", ())}
        out.append(
            ExportCase(
                reference=r.reference,
                client_name=name,
                birth_date=birth,
                bsn=client[2],
                provider_name=provider_name or "",
                provider_agb=agb,
                status=r.status,
                herindicatie_date=day,
                herindicatie_time=r.planned_time,
                location=r.location or "",
                consultant_name=r.consultant_name or "",
                bereikbaarheid="bereikbaarheid" in codes,
                huisvesting="huisvesting" in codes,
                zrm=_scores(r.assessment),
                previous_zrm=previous,
                previous_reference=previous_ref,
                current_indication_end=r.current_indication_end,
                tariffs_used=tables,
                **details,
            )
        )
    out.sort(
        key=lambda c: (
            c.herindicatie_date or dt.date.max,
            c.herindicatie_time or dt.time.max,
            c.client_name,
            c.reference or "",
        )
    )
    return out


def _tables(raw: Any, cache: dict[str, TariffTable | None]) -> tuple[TariffTable, ...]:
    if not isinstance(raw, list):
        return ()
    found = []
    for i, item in enumerate(raw):
        key = repr(item)
        if key not in cache:
            try:
                cache[key] = tariff_table_from_dict(item, f"tariffs_used[{i}]")
            except InputError:
                cache[key] = None
        table = cache[key]
        if table is not None:
            found.append(table)
    return tuple(found)


def _engine(tariffs: TariffBook | None, rules: RuleConfig | None) -> tuple[TariffBook, RuleConfig]:
    from bwo_desktop import paths
    from bwo_desktop.core.rules import load_rules
    from bwo_desktop.core.tariffs import load_tariff_book

    if tariffs is None:
        tariffs = load_tariff_book(user_folder=paths.user_tariffs_dir())
    if rules is None:
        rules = load_rules(user_file=paths.user_rules_file())
    return tariffs, rules


def _live_advice(
    assessment: Mapping[str, Any], engine: tuple[TariffBook, RuleConfig]
) -> Advice | None:
    from bwo_desktop.core.assessment_json import advise_partial

    try:
        advice, _missing = advise_partial(assessment, *engine)
    except (InputError, ValueError, KeyError, TypeError):
        return None  # an incomplete or odd concept: no advice columns, never a failed export
    return advice


# ------------------------------------------------------------------------------ the use case


def export_file_name(today: dt.date | None = None) -> str:
    """The suggested file name of an overview export made on `today`."""
    return default_file_name(today)


def user_iwmo_settings(extra_files: Sequence[Path | str] = ()) -> IwmoSettings:
    """Built-in < the user's `iwmo.toml` in the data folder < `extra_files`."""
    from bwo_desktop import paths
    from bwo_desktop.core.iwmo import USER_FILE_NAME

    return load_iwmo_settings(extra_files, user_file=paths.user_data_dir() / USER_FILE_NAME)


def export_cases(
    db: Database,
    out_path: Path | str,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    location: str | None = None,
    full_bsn: bool = False,
    progress: Progress | None = None,
    iwmo: IwmoSettings | None = None,
    user: str | None = None,
) -> ExportReport:
    """Write the overview workbook and record the export (file name, row counts, full BSN)."""
    out = Path(out_path)
    check_file_name(out)
    if date_from is not None and date_to is not None and date_to < date_from:
        raise InputError("--to", "de einddatum ligt voor de begindatum")
    if iwmo is None:
        iwmo = user_iwmo_settings()
    cases = gather_export_cases(db, date_from=date_from, date_to=date_to, location=location)
    from bwo_desktop.services.witnesses import export_head

    counts: OverviewCounts = write_overview(
        out, cases, full_bsn=full_bsn, iwmo=iwmo, progress=progress, audit_head=export_head(db)
    )
    details: dict[str, Any] = {
        "kind": "xlsx",
        "file": out.name,
        "cases": counts.cases,
        "lines": counts.lines,
        "toewijzingen": counts.toewijzingen,
        "full_bsn": full_bsn,
    }
    if date_from is not None:
        details["from"] = date_from.isoformat()
    if date_to is not None:
        details["to"] = date_to.isoformat()
    if location:
        details["location_filter"] = True  # the text itself may name a person's address
    audit.record(db, "export", None, details=details, user=user)
    return ExportReport(
        path=out,
        cases=counts.cases,
        lines=counts.lines,
        toewijzingen=counts.toewijzingen,
        tariff_tables=counts.tariff_tables,
        full_bsn=full_bsn,
    )
