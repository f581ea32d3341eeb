"""Overall awards (``per_group=False``) over groups that were computed in separate engine runs.

Why: groups marked on different aspects are computed one engine run per group
(``document.convert.engine_inputs``), and a run only sees its own group, so an award rule meant
for every group together would be counted within each group. The runs leave the overall rules
out; this places the merged rows by total and then by the tie-breaks every group can answer, the
same order one run gives (``Placer.award_overall``), and adds each row's overall tiers after its
group awards. A tie-break that some group cannot answer (an aspect or criterion it is not marked
on) cannot separate rows across groups and is left out of this ranking.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from scoring.rules.awards import cut_positions, tier_for
from scoring.rules.ranking import component, rank_block
from scoring.rules.types import GroupStandings, Row, Rules, TieBreak, TieBreakKind


def without_overall(rules: Rules) -> Rules:
    """The rules for one group's run: its group awards only (the overall ones come after the merge)."""
    keep = tuple(r for r in rules.awards if r.per_group)
    return rules if len(keep) == len(rules.awards) else dataclasses.replace(rules, awards=keep)


def _shared_tie_breaks(rules: Rules, rows: list[Row]) -> list[TieBreak]:
    out = []
    for tb in rules.tie_breaks:
        if tb.kind == TieBreakKind.STAGE:
            ok = all(tb.ref in r.stages for r in rows)
        elif tb.kind in (TieBreakKind.ASPECT, TieBreakKind.TIME):
            ok = all(tb.ref in r.aspects for r in rows)
        else:
            ok = False  # criterion sums are not kept on rows
        if ok:
            out.append(tb)
    return out


def _value(row: Row, tb: TieBreak) -> Decimal | None:
    if tb.kind == TieBreakKind.STAGE:
        return row.stages[tb.ref].value
    result = row.aspects[tb.ref]
    return result.seconds if tb.kind == TieBreakKind.TIME else result.value


def award_across_groups(groups: Mapping[str, GroupStandings], rules: Rules) -> dict[str, GroupStandings]:
    """The groups with every ranked row's overall award tiers appended to its awards."""
    overall = [r for r in rules.awards if not r.per_group]
    if not overall:
        return dict(groups)
    totals = [(row, row.total) for gs in groups.values() for row in gs.rows if row.total is not None]
    tbs = _shared_tie_breaks(rules, [row for row, _ in totals])
    keyed = sorted(
        (
            (total.copy_negate(), *(component(_value(row, tb), tb.higher_is_better) for tb in tbs)),
            row.contestant,
            row,
            total,
        )
        for row, total in totals
    )
    keys = [k for k, _, _, _ in keyed]
    cuts = [cut_positions(rule, len(keyed)) for rule in overall]
    extra: dict[tuple[str, str], tuple[str, ...]] = {}
    for (_, code, row, total), (rank, _level, _tied, first, last) in zip(
        keyed, rank_block(keys, 0, len(keys), rules.ranking)
    ):
        tiers = tuple(
            t
            for t in (tier_for(rule, cut, rank, first, last, total) for rule, cut in zip(overall, cuts))
            if t is not None
        )
        if tiers:
            extra[(row.group, code)] = tiers
    if not extra:
        return dict(groups)
    out = {}
    for name, gs in groups.items():
        rows = tuple(
            dataclasses.replace(r, awards=r.awards + extra[(r.group, r.contestant)])
            if (r.group, r.contestant) in extra
            else r
            for r in gs.rows
        )
        out[name] = dataclasses.replace(gs, rows=rows)
    return out
