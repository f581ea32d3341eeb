"""From a loaded document to the engine's input, and a recompute that respects group schemes.

Why so thin: the document already speaks the engine's types, so the conversion only drops
what the engine must not see (names, units, contact data, the draw) and leaves out withdrawn
contestants. The contestant ``code`` is the engine's contestant id.

Groups may be marked on different aspects of the same stage (托育 and 美发 share a practical
stage but not its criteria): a group's aspects are those its panels cover. ``to_engine_input(doc,
group)`` builds the input for one group with only its aspects, and ``recompute`` runs the engine
per group whenever the groups' aspect sets differ, so no contestant is ever "missing" an aspect
that was never theirs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from scoring.document.model import ContestantRecord, Document
from scoring.rules.cells import Trainees
from scoring.rules.overall import award_across_groups, without_overall
from scoring.rules.standardise import standardise, standardised_rules, without_standardised
from scoring.rules.types import CompetitionInput, Contestant, Rules, Scheme, Standings, TieBreakKind


def _contestant(c: ContestantRecord, sessions: dict[str, str | None]) -> Contestant:
    params = {k: dict(v) for k, v in c.params.items()}
    return Contestant(code=c.code, group=c.group, params=params, session=sessions.get(c.code))


def group_aspect_codes(doc: Document, group: str) -> set[str]:
    return {a.code for s in doc.stages for a in doc.group_aspects(group, s.code)}


def uniform_scheme(doc: Document) -> bool:
    """True when every group is marked on every aspect (one engine run fits all groups)."""
    every = {a.code for a in doc.aspects}
    return all(group_aspect_codes(doc, g.code) == every for g in doc.groups)


def rules_for(rules: Rules, aspects: set[str], criteria: set[str]) -> Rules:
    """The rules with the tie-breaks that name an aspect or criterion outside ``aspects`` left out."""
    keep = tuple(
        tb
        for tb in rules.tie_breaks
        if tb.kind == TieBreakKind.STAGE
        or (tb.kind in (TieBreakKind.ASPECT, TieBreakKind.TIME) and tb.ref in aspects)
        or (tb.kind == TieBreakKind.CRITERION and tb.ref in criteria)
    )
    return rules if keep == rules.tie_breaks else dataclasses.replace(rules, tie_breaks=keep)


def to_engine_input(doc: Document, group: str | None = None) -> CompetitionInput:
    """The engine's input: the whole competition, or one group with only the aspects it is marked on."""
    active = {c.code for c in doc.contestants if not c.withdrawn and (group is None or c.group == group)}
    rules = without_standardised(doc.rules)  # those awards read the standardised score (merge_standings)
    aspects = doc.aspects
    panels = doc.panels
    if group is not None:
        codes = group_aspect_codes(doc, group)
        aspects = tuple(a for a in aspects if a.code in codes)
        panels = tuple(p for p in panels if p.group == group)
        criteria = {
            "/".join(a.criterion.split("/")[:i])
            for a in aspects
            for i in range(1, len(a.criterion.split("/")) + 1)
            if a.criterion
        }
        rules = rules_for(rules, codes, criteria)
    codes = {a.code for a in aspects}
    seated = {e.contestant: e.session for e in doc.draw.entries} if doc.draw else {}
    marks = tuple(m for m in doc.marks if m.contestant in active and m.aspect in codes)
    trainees = Trainees(panels)
    if trainees:  # a trainee's marks never count (rules.cells): not even in the judge statistics
        group_of = {c.code: c.group for c in doc.contestants}
        stage_of = {a.code: a.stage for a in aspects}
        marks = tuple(
            m
            for m in marks
            if not trainees.of(m.judge, group_of[m.contestant], stage_of[m.aspect], m.aspect, seated.get(m.contestant))
        )
    return CompetitionInput(
        rules=rules,
        scheme=Scheme(stages=doc.stages, aspects=aspects),
        contestants=tuple(_contestant(c, seated) for c in doc.contestants if c.code in active),
        panels=panels,
        marks=marks,
        recusals=frozenset((r.judge, r.contestant) for r in doc.recusals if r.contestant in active),
    )


def engine_inputs(doc: Document) -> dict[str | None, CompetitionInput]:
    """The engine runs for a document: one (key None) when every group shares the scheme,
    otherwise one per group, each with only the aspects that group is marked on and only the
    group award rules (``merge_standings`` adds the overall ones across all groups)."""
    if uniform_scheme(doc):
        return {None: to_engine_input(doc)}
    runs: dict[str | None, CompetitionInput] = {}
    for g in doc.groups:
        inp = to_engine_input(doc, g.code)
        runs[g.code] = dataclasses.replace(inp, rules=without_overall(inp.rules))
    return runs


def merge_standings(parts: dict[str | None, Standings], rules: Rules | None = None) -> Standings:
    """One Standings from per-group runs (each run contributes only its own group), with the
    overall award rules of ``rules`` (``per_group: false``) applied across all groups, then the
    cross-group standardised scores and the awards that read them (``rules.standardise``)."""
    if None in parts:
        whole = parts[None]
        if rules is None or (rules.standardisation is None and not standardised_rules(rules)):
            return whole
        return dataclasses.replace(whole, groups=standardise(whole.groups, rules))
    first = next(iter(parts.values()))
    groups = {code: gs for key, part in parts.items() for code, gs in part.groups.items() if code == key}
    if rules is not None:
        groups = standardise(award_across_groups(groups, without_standardised(rules)), rules)
    return dataclasses.replace(first, groups=groups, flags=tuple(f for p in parts.values() for f in p.flags))


def recompute(doc: Document, compute: Callable[[CompetitionInput], Standings] | None = None) -> Standings:
    """Standings for the whole document with the engine's ``compute_standings``.

    One run when every group shares the scheme; otherwise one run per group (each with its own
    aspects), merged, with awards of ``per_group: false`` counted across all groups.
    """
    if compute is None:
        from scoring.rules.engine import compute_standings

        compute = compute_standings
    return merge_standings({key: compute(inp) for key, inp in engine_inputs(doc).items()}, doc.rules)
