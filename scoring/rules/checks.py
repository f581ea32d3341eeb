"""Consistency flags and advisory judge statistics.

Why: the rulebooks check spread rules "after marking, on paper"; here a flag appears the moment
the marks are in, naming the rule, the aspect and (where one judge is the cause) the judge. The
statistics (deviation from the panel, z-scores) are advisory, for the organiser's judge review:
they never change a result.

Flag reasons are English message ids marked with ``N_``; their parameters are strings in
``Flag.detail``, so any reader can translate them late.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from scoring.i18n import N_
from scoring.rules.aggregate import effective_trim, judge_mark, param_name
from scoring.rules.rounding import exact, quantize
from scoring.rules.types import (
    ZERO,
    Aspect,
    AspectResult,
    AspectStatus,
    Checks,
    Flag,
    Mark,
    Rounding,
    SdKind,
)

SPREAD = N_("The judges' marks differ by %(spread)s, more than the allowed %(allowed)s: discuss and re-mark.")
FIG_GAP = N_(
    "The middle marks differ by %(gap)s, more than the %(allowed)s allowed at this score: the mean of all marks counts."
)
OUTLIER = N_("Mark %(mark)s is %(distance)s away from the mean %(others)s of the other judges (limit %(limit)s).")
MISSING_FILLED = N_("No mark from this judge: the %(policy)s rule filled it in.")
DISAGREE = N_("The entered marks differ (%(marks)s): the team must agree on one mark.")
RECUSED = N_("A recused judge marked this contestant: the mark is ignored.")
NOT_ON_PANEL = N_("This judge is not on the panel for this aspect: the mark is ignored.")
REVIEW_GAP = N_(
    "The highest and lowest marks differ by %(gap)s (%(limit)s or more): the score is reviewed after the competition."
)

_SHOW = Rounding(4)


def _s(value: Decimal) -> str:
    """A detail value as text: at most 4 places, no exponent, no trailing zeros."""
    v = quantize(value, _SHOW).normalize()
    return format(v, "f")


def aspect_flags(
    contestant: str,
    aspect: Aspect,
    result: AspectResult,
    marks: Mapping[str, Decimal],
    expected: Sequence[str] | None,
    checks: Checks,
    params: Mapping[str, Decimal] | None = None,
) -> list[Flag]:
    """Flags for one aspect of one contestant, from its result and the raw marks that fed it."""
    with exact():
        flags: list[Flag] = []
        code = aspect.code
        agg = aspect.aggregation
        if result.rule == "worldskills:spread":
            assert agg.spread is not None  # the rule only rejects a set when a spread is declared
            vals = [marks[j] for j in result.counted]
            flags.append(
                Flag(
                    "spread",
                    contestant,
                    code,
                    None,
                    SPREAD,
                    {"spread": _s(max(vals) - min(vals)), "allowed": _s(agg.spread)},
                )
            )
        elif result.rule == "fig:mean_of_all":
            gap, allowed = fig_gap(aspect, [marks[j] for j in result.counted], params)
            flags.append(Flag("fig_gap", contestant, code, None, FIG_GAP, {"gap": _s(gap), "allowed": _s(allowed)}))
        elif result.rule == "single:disagree":
            flags.append(
                Flag(
                    "disagree",
                    contestant,
                    code,
                    None,
                    DISAGREE,
                    {"marks": ", ".join(_s(marks[j]) for j in result.counted)},
                )
            )
        if agg.review_gap is not None and result.status == AspectStatus.OK and result.rule != "invalid":
            flags.extend(review_gap_flags(contestant, code, marks, expected, agg.review_gap))
        for j in result.filled:
            flags.append(Flag("missing", contestant, code, j, MISSING_FILLED, {"policy": agg.missing.value}))
        if checks.outlier_distance is not None:
            judges = expected if expected is not None else sorted(marks)
            given = [(j, marks[j]) for j in judges if j in marks]
            flags.extend(
                outlier_flags(contestant, code, [j for j, _ in given], [v for _, v in given], checks.outlier_distance)
            )
        return flags


def review_gap_flags(
    contestant: str, aspect: str, marks: Mapping[str, Decimal], expected: Sequence[str] | None, limit: Decimal
) -> list[Flag]:
    """FIG: extreme marks of a panel that differ by ``limit`` or more (1.0) send the score to the
    judges' post-event review. Every given entry counts, trimmed or not (the extremes are the
    ones trimmed); entries are compared as typed. The score itself stands."""
    judges = expected if expected is not None else sorted(marks)
    vals = [marks[j] for j in judges if j in marks]
    if len(vals) < 2 or max(vals) - min(vals) < limit:
        return []
    return [
        Flag("review_gap", contestant, aspect, None, REVIEW_GAP, {"gap": _s(max(vals) - min(vals)), "limit": _s(limit)})
    ]


def fig_gap(
    aspect: Aspect, raw: Sequence[Decimal], params: Mapping[str, Decimal] | None = None
) -> tuple[Decimal, Decimal]:
    """(gap between the central marks, the band's allowed gap) for a FIG fallback, for the flag text."""
    agg = aspect.aggregation
    pname = param_name(agg)
    base = (params or {}).get(pname) if pname else None
    vals = sorted(judge_mark(aspect, v, base, params) for v in raw)
    n = len(vals)
    t, _ = effective_trim(agg, n)
    score = quantize(sum(vals[t : n - t], ZERO) / (n - 2 * t), agg.rounding)
    central = vals[n // 2 - 1 : n // 2 + 1] if n % 2 == 0 else vals[n // 2 - 1 : n // 2 + 2]
    band = next((b for b in sorted(agg.bands, key=lambda b: b.min_score, reverse=True) if score >= b.min_score), None)
    return max(central) - min(central), (band.max_gap if band else Decimal(0))


def outlier_flags(
    contestant: str, aspect: str, judges: Sequence[str], values: Sequence[Decimal], distance: Decimal
) -> list[Flag]:
    """A judge whose entry is more than ``distance`` from the mean of the *other* judges' entries.

    Entries are compared as typed (levels, GOE grades, deductions, seconds): the corridor is set in
    the units the judges use.
    """
    n = len(values)
    if n < 2:
        return []
    out = []
    with exact():
        total = sum(values, ZERO)
        for j, v in zip(judges, values):
            others = (total - v) / (n - 1)
            gap = abs(v - others)
            if gap > distance:
                out.append(
                    Flag(
                        "outlier",
                        contestant,
                        aspect,
                        j,
                        OUTLIER,
                        {"mark": _s(v), "others": _s(others), "distance": _s(gap), "limit": _s(distance)},
                    )
                )
    return out


def ignored_mark_flag(contestant: str, aspect: str, judge: str, recused: bool) -> Flag:
    if recused:
        return Flag("recused_mark", contestant, aspect, judge, RECUSED, {})
    return Flag("not_on_panel", contestant, aspect, judge, NOT_ON_PANEL, {})


# ----------------------------------------------------------------------------- judge statistics


@dataclass(frozen=True)
class JudgeSeverity:
    """How one judge marks compared with the rest of each panel they sat on (advisory).

    ``mean_deviation`` < 0: the judge marks lower than their panels; ``mean_z`` is the same in
    panel standard deviations (items where the panel agreed exactly count as z = 0).
    """

    judge: str
    items: int
    mean_deviation: Decimal
    mean_z: Decimal


def _sd(values: Sequence[Decimal], mean: Decimal, kind: SdKind) -> Decimal | None:
    n = len(values)
    dof = n - 1 if kind == SdKind.SAMPLE else n
    if dof <= 0:
        return None
    var = sum(((v - mean) * (v - mean) for v in values), ZERO) / dof
    return var.sqrt()


def panel_stats(values: Sequence[Decimal], kind: SdKind = SdKind.SAMPLE) -> tuple[Decimal, Decimal | None]:
    """(mean, standard deviation or None) of one item's entries (call inside ``rounding.exact()``)."""
    mean = sum(values, ZERO) / len(values)
    return mean, _sd(values, mean, kind)


def z_score(value: Decimal, mean: Decimal, sd: Decimal | None) -> Decimal:
    """An entry's z-score against its panel; 0 where the panel agreed exactly (or had one entry)."""
    return (value - mean) / sd if sd else Decimal(0)


def _items(marks: Iterable[Mark]) -> dict[tuple[str, str], dict[str, Decimal]]:
    items: dict[tuple[str, str], dict[str, Decimal]] = {}
    for m in marks:
        items.setdefault((m.contestant, m.aspect), {})[m.judge] = m.value
    return items


def judge_severity(marks: Iterable[Mark], kind: SdKind = SdKind.SAMPLE, places: int = 4) -> dict[str, JudgeSeverity]:
    """Per judge: mean deviation from the panel mean and mean z-score, over every item (contestant,
    aspect) with at least two judges. Entries are compared as typed."""
    dev: dict[str, list[Decimal]] = {}
    zs: dict[str, list[Decimal]] = {}
    with exact():
        for panel in _items(marks).values():
            if len(panel) < 2:
                continue
            mean, sd = panel_stats(list(panel.values()), kind)
            for j, v in panel.items():
                dev.setdefault(j, []).append(v - mean)
                zs.setdefault(j, []).append(z_score(v, mean, sd))
        r = Rounding(places)
        return {
            j: JudgeSeverity(j, len(d), quantize(sum(d, ZERO) / len(d), r), quantize(sum(zs[j], ZERO) / len(zs[j]), r))
            for j, d in sorted(dev.items())
        }


def normalised_marks(
    marks: Iterable[Mark],
    kind: SdKind = SdKind.SAMPLE,
    centre: Decimal = Decimal(100),
    spread: Decimal = Decimal(20),
    places: int = 2,
) -> dict[tuple[str, str, str], Decimal]:
    """Each judge's entries as z-scores against that judge's own mean and SD, rescaled to
    ``centre`` +- ``spread`` per SD (FIRST LEGO League style: 120 = one SD above the judge's mean).

    Why: when not every contestant meets every judge, a lenient judge's contestants look better;
    this shows it. A judge with fewer than two entries (or all equal) maps to ``centre``.
    Keys are (contestant, aspect, judge).
    """
    by_judge: dict[str, list[Mark]] = {}
    for m in marks:
        by_judge.setdefault(m.judge, []).append(m)
    out: dict[tuple[str, str, str], Decimal] = {}
    r = Rounding(places)
    with exact():
        for j, ms in by_judge.items():
            vals = [m.value for m in ms]
            mean = sum(vals, ZERO) / len(vals)
            sd = _sd(vals, mean, kind)
            for m in ms:
                z = (m.value - mean) / sd if sd else Decimal(0)
                out[(m.contestant, m.aspect, j)] = quantize(centre + spread * z, r)
    return out


def normalisation_report(marks: Iterable[Mark], checks: Checks) -> dict[str, JudgeSeverity]:
    """The advisory per-judge report the rules ask for (empty when ``checks.normalisation`` is off)."""
    if checks.normalisation is None:
        return {}
    return judge_severity(marks, checks.normalisation)


__all__ = [
    "SPREAD",
    "FIG_GAP",
    "OUTLIER",
    "MISSING_FILLED",
    "DISAGREE",
    "RECUSED",
    "NOT_ON_PANEL",
    "REVIEW_GAP",
    "aspect_flags",
    "review_gap_flags",
    "outlier_flags",
    "ignored_mark_flag",
    "fig_gap",
    "JudgeSeverity",
    "judge_severity",
    "panel_stats",
    "z_score",
    "normalised_marks",
    "normalisation_report",
]
