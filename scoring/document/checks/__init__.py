"""The checks that need more than one field: codes unique, references resolve, weights add up to
100, the scheme sums, panels fit their aggregation, marks in range and on step, ID check digits.

Why plain functions over the declared document: the declaration says what one value may be;
these say how the values fit together, in the order a reader fixes them (scheme, rules, people,
panels, draw, marks, totals). They run on whatever validated, so one pass reports every problem;
a broken entry is known by its code and skipped where its values would be needed.
"""

from __future__ import annotations

from scoring.document import declaration as d
from scoring.document.checks.index import Index
from scoring.document.checks.people import (
    check_draw,
    check_marks,
    check_panels,
    check_people,
    check_recusals,
    id_check_digit,
)
from scoring.document.checks.scheme import check_rules, check_scheme, check_stages
from scoring.document.checks.team_entries import check_teams
from scoring.document.checks.timetable import check_sessions, check_withdrawals
from scoring.document.checks.totals import check_groups, check_weights
from scoring.errors import Problem

__all__ = ["cross_checks", "id_check_digit"]


def cross_checks(doc: d.Document, strict: bool = True) -> list[Problem]:
    """Every cross-field problem of a declared document (``strict``: see ``load_document``)."""
    ix = Index()
    ix.groups = ix.codes(doc.groups, "groups")
    ix.stages = ix.codes(doc.stages, "stages")
    check_stages(doc, ix)
    check_scheme(doc, ix)
    check_rules(doc, ix)
    ix.contestants = ix.codes(doc.contestants, "contestants")
    ix.judges = ix.codes(doc.judges, "judges")
    check_people(doc, ix)
    check_withdrawals(doc, ix)
    check_teams(doc, ix)
    check_panels(doc, ix)
    recused = check_recusals(doc, ix)
    check_sessions(doc, ix)
    check_draw(doc, ix)
    check_marks(doc, ix, recused, strict)
    check_weights(doc, ix)
    check_groups(doc, ix)
    return ix.problems
