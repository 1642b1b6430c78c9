"""SQLAlchemy 2.x models and the Alembic migrations (in `migrations/`, inside the package so
the frozen app carries them). Only the service layer imports this package."""

from bwo_desktop.models.base import Base, utcnow
from bwo_desktop.models.entities import (
    AuditEntry,
    Client,
    Herindicatie,
    Meta,
    SyncConflict,
    SyncLease,
    SyncOutbox,
    SyncShadow,
    Zorgaanbieder,
)

__all__ = [
    "AuditEntry",
    "Base",
    "Client",
    "Herindicatie",
    "Meta",
    "SyncConflict",
    "SyncLease",
    "SyncOutbox",
    "SyncShadow",
    "Zorgaanbieder",
    "utcnow",
]
