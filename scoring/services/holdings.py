"""What a competition holds, counted: what an organizer must see before replacing it.

Why apart: the console's "replace a competition" confirmation names these counts, and they are
read in one read transaction whatever else the import does to them.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from scoring import models as m
from scoring.db import reading


def holdings(engine: Engine, cid: int) -> dict[str, int]:
    """Contestants, marks (versions stored), published result versions and valid certificates."""

    def count(model, *where) -> int:  # noqa: ANN001
        return s.exec(select(func.count()).select_from(model).where(model.competition_id == cid, *where)).one()

    with reading(engine) as s:
        return {
            "contestants": count(m.Contestant),
            "marks": count(m.Mark),
            "versions": count(m.ResultVersion),
            "certificates": count(m.Certificate, m.Certificate.state == "valid"),
        }
