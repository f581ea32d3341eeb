"""Audit events: written in the same transaction as the change they describe."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from scoring.models import AuditEvent


def record(
    s: Session,
    competition_id: int | None,
    actor: str,
    kind: str,
    subject: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(competition_id=competition_id, actor=actor, kind=kind, subject=subject, payload=payload or {})
    s.add(event)
    return event
