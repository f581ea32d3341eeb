"""The engine's view of scheme rows, for checks on the write path (range and step of a mark)."""
from __future__ import annotations

from sqlmodel import Session

from scoring import models as m
from scoring.document.typed import engine_aspect
from scoring.rules.types import Aspect
from scoring.services.transfer import aspect_doc


def rule_aspect(s: Session, row: m.Aspect) -> Aspect:
    """The engine Aspect for a stored aspect row, read through the document's declaration."""
    stage = s.get(m.Stage, row.stage_id)
    return engine_aspect(aspect_doc(row), stage.code)
