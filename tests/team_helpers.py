"""The worked team-event example (docs/examples/team-event.json) for the tests of team entries."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLE = Path(__file__).parents[1] / "docs" / "examples" / "team-event.json"


def team_example() -> dict:
    """A fresh copy of the example: a two-person 育婴 team event, three teams, all marks given."""
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def import_locked_example(engine) -> tuple[int, dict]:
    """The example imported with its stage locked (ready for the reveal and publication): (id, raw)."""
    from scoring.services.transfer import import_document

    raw = team_example()
    raw["stages"][0]["state"] = "locked"
    return import_document(engine, raw), raw


def reveal_identities(engine, cid: int) -> None:
    """Seal the imported draw and reveal it (解密), as the organizer does after the lock."""
    from scoring.services.draw import reveal, seal

    seal(engine, cid, "t")
    reveal(engine, cid, "t")
