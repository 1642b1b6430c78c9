"""The mapping between plain `core.case` objects and their stored form: ORM rows
(`to_case`, `apply_case`) and the JSON pieces kept in columns (client snapshot, address,
representative). No session handling and no audit: `services.cases` does those."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from bwo_desktop.core.case import (
    Address,
    Begeleider,
    Case,
    Client,
    Conversation,
    CurrentIndication,
    Planned,
    Provider,
    Representative,
    Result,
)
from bwo_desktop.core.strict_json import iso_date_or_none
from bwo_desktop.models import Client as ClientRow
from bwo_desktop.models import Herindicatie, Zorgaanbieder


def address_json(a: Address | None) -> dict[str, str] | None:
    return None if a is None else asdict(a)


def address_from(d: Any) -> Address | None:
    if not isinstance(d, dict):
        return None
    return Address(
        **{k: str(d.get(k) or "") for k in ("street", "house_number", "postcode", "city")}
    )


def client_json(client: Client) -> dict[str, Any]:
    return {
        "bsn": client.bsn,
        "initials": client.initials,
        "first_name": client.first_name,
        "prefix": client.prefix,
        "last_name": client.last_name,
        "birth_date": client.birth_date.isoformat(),
        "address": address_json(client.address),
        "provider": None if client.provider is None else asdict(client.provider),
        "begeleider": None if client.begeleider is None else asdict(client.begeleider),
    }


def client_from_json(d: dict[str, Any]) -> Client:
    provider = d.get("provider")
    begeleider = d.get("begeleider")
    return Client(
        bsn=d["bsn"],
        last_name=d["last_name"],
        birth_date=dt.date.fromisoformat(d["birth_date"]),
        initials=d.get("initials"),
        first_name=d.get("first_name"),
        prefix=d.get("prefix"),
        address=address_from(d.get("address")),
        provider=Provider(**provider) if isinstance(provider, dict) else None,
        begeleider=Begeleider(**begeleider) if isinstance(begeleider, dict) else None,
    )


def representative_json(r: Representative | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {"name": r.name, "role": r.role, "address": address_json(r.address)}


def representative_from(d: Any) -> Representative | None:
    if not isinstance(d, dict):
        return None
    return Representative(
        name=d["name"], role=d.get("role"), address=address_from(d.get("address"))
    )


def has_scores(assessment: Any) -> bool:
    if not isinstance(assessment, dict):
        return False
    zrm = assessment.get("zrm")
    return isinstance(zrm, dict) and any(isinstance(v, int) for v in zrm.values())


def apply_case(
    row: Herindicatie, case: Case, client_row: ClientRow, provider_row: Zorgaanbieder | None
) -> None:
    conv = case.conversation
    ci = case.current_indication
    assessment = copy.deepcopy(case.assessment)
    row.status = case.status
    row.client_id = client_row.id
    row.provider_id = provider_row.id if provider_row is not None else None
    row.planned_date = case.planned.date if case.planned else None
    row.planned_time = case.planned.time if case.planned else None
    row.location = conv.location
    row.attended_by = conv.attended_by
    row.absence_reason = conv.absence_reason
    row.consent_share_report = conv.consent_share_report
    row.previous_arrangement = conv.previous_arrangement
    row.support_plan_date = iso_date_or_none((assessment or {}).get("support_plan_date"))
    row.assessment = assessment
    row.motivations = dict(case.motivations)
    row.results = [asdict(r) for r in case.results]
    row.zrm_notes = dict(case.zrm_notes)
    row.unscored_reasons = dict(case.unscored_reasons)
    row.salutation = case.salutation
    row.representative = representative_json(case.representative)
    row.delivery = case.delivery
    row.current_indication_description = ci.description if ci else None
    row.current_indication_end = ci.end_date if ci else None
    row.consultant_name = case.consultant_name
    row.decision_date = case.decision_date


def client_of(client_row: ClientRow, provider_row: Zorgaanbieder | None) -> Client:
    """The client as stored now (a definitief case keeps its own snapshot instead)."""
    return Client(
        bsn=client_row.bsn,
        last_name=client_row.last_name,
        birth_date=client_row.birth_date,
        initials=client_row.initials,
        first_name=client_row.first_name,
        prefix=client_row.prefix,
        address=None
        if all(
            v is None
            for v in (
                client_row.street,
                client_row.house_number,
                client_row.postcode,
                client_row.city,
            )
        )
        else Address(
            street=client_row.street or "",
            house_number=client_row.house_number or "",
            postcode=client_row.postcode or "",
            city=client_row.city or "",
        ),
        provider=None
        if provider_row is None
        else Provider(name=provider_row.name, agb_code=provider_row.agb_code),
        begeleider=None
        if client_row.begeleider_name is None
        and client_row.begeleider_phone is None
        and client_row.begeleider_email is None
        else Begeleider(
            name=client_row.begeleider_name,
            phone=client_row.begeleider_phone,
            email=client_row.begeleider_email,
        ),
    )


def to_case(s: Session, row: Herindicatie) -> Case:
    if row.status == "definitief" and row.client_snapshot:
        client = client_from_json(row.client_snapshot)
    else:
        client_row = s.get(ClientRow, row.client_id)
        assert client_row is not None
        provider_row = s.get(Zorgaanbieder, row.provider_id) if row.provider_id else None
        client = client_of(client_row, provider_row)
    ci = None
    if row.current_indication_description is not None or row.current_indication_end is not None:
        ci = CurrentIndication(row.current_indication_description, row.current_indication_end)
    return Case(
        client=client,
        consultant_name=row.consultant_name,
        conversation=Conversation(
            location=row.location,
            attended_by=row.attended_by,
            absence_reason=row.absence_reason,
            consent_share_report=row.consent_share_report,
            previous_arrangement=row.previous_arrangement,
        ),
        assessment=copy.deepcopy(row.assessment),
        motivations=dict(row.motivations or {}),
        results=[Result(**r) for r in (row.results or [])],
        reference=row.reference,
        decision_date=row.decision_date,
        status=row.status,
        planned=Planned(row.planned_date, row.planned_time) if row.planned_date else None,
        salutation=row.salutation,
        representative=representative_from(row.representative),
        delivery=row.delivery,
        current_indication=ci,
        zrm_notes=dict(row.zrm_notes or {}),
        unscored_reasons=dict(row.unscored_reasons or {}),
        tariffs_used=copy.deepcopy(row.tariffs_used or []),
        rules_used=copy.deepcopy(row.rules_used),
        id=str(row.id),
        version=row.version,
        updated_at=row.updated_at,
        decision=copy.deepcopy(row.decision),
    )
