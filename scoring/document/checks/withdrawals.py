"""Cross-field checks of withdrawals (弃权/缺考): the kind, reason and stage of a withdrawal say
something only about a withdrawn contestant, and the stage must be one the document declares.

Why a check and not a default: a reason on a contestant who competes is a typing slip that would
otherwise be kept silently and printed nowhere."""

from __future__ import annotations

from scoring.document import declaration as d
from scoring.document.checks.index import Index, entries
from scoring.document.checks.scheme import UNKNOWN_STAGE
from scoring.document.tolerant import field_of
from scoring.i18n import N_

ONLY_WHEN_WITHDRAWN = N_("only for a withdrawn contestant (withdrawn: true)")


def check_withdrawals(doc: d.Document, ix: Index) -> None:
    for i, entry in enumerate(entries(doc.contestants)):
        p = f"contestants[{i}]"
        stage = field_of(entry, "withdrawn_stage")
        if not field_of(entry, "withdrawn"):
            for name in ("withdrawn_reason", "withdrawn_stage"):
                if field_of(entry, name):
                    ix.add(f"{p}.{name}", ONLY_WHEN_WITHDRAWN)
            if field_of(entry, "withdrawn_as") == "absent":
                ix.add(f"{p}.withdrawn_as", ONLY_WHEN_WITHDRAWN)
            continue
        ix.resolves(ix.stages, stage, f"{p}.withdrawn_stage", UNKNOWN_STAGE)
