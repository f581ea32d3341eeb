"""From a loaded document to the engine's input.

Why so thin: the document already speaks the engine's types, so the conversion only drops
what the engine must not see (names, units, contact data, the draw) and leaves out withdrawn
contestants. The contestant ``code`` is the engine's contestant id.
"""
from __future__ import annotations

from scoring.rules.types import CompetitionInput, Contestant, Scheme

from scoring.document.model import Document


def to_engine_input(doc: Document) -> CompetitionInput:
    active = {c.code for c in doc.contestants if not c.withdrawn}
    return CompetitionInput(
        rules=doc.rules,
        scheme=Scheme(stages=doc.stages, aspects=doc.aspects),
        contestants=tuple(
            Contestant(code=c.code, group=c.group, params={k: dict(v) for k, v in c.params.items()})
            for c in doc.contestants if c.code in active
        ),
        panels=doc.panels,
        marks=tuple(m for m in doc.marks if m.contestant in active),
        recusals=frozenset((r.judge, r.contestant) for r in doc.recusals if r.contestant in active),
    )
