"""The engine's view of scheme rows, for checks on the write path (range and step of a mark)."""
from __future__ import annotations

from sqlmodel import Session

from scoring import models as m
from scoring.document.load import _Loader
from scoring.rules.types import Aspect
from scoring.services.transfer import aspect_doc


def rule_aspect(s: Session, row: m.Aspect) -> Aspect:
    """The engine Aspect for a stored aspect row, parsed by the document's own reader."""
    stage = s.get(m.Stage, row.stage_id)
    loader = _Loader({})
    return loader.aspect(aspect_doc(row), row.code, stage.code, ())
