"""What the demo's simulated judges write: plausible marks for the cells still empty.

Why a pure module: the judge simulator (``scoring.demo_simulation``) must be deterministic (the
same seed gives the same marks, so a second run or a retried request is a replay, never a new
mark) and its values must pass the same checks a tablet's do (on the aspect's step, within its
range). Both are easiest to see, and to test, without a server.

Conventions: every value is an exact ``Decimal`` on the aspect's step; randomness only *chooses*
whole numbers of steps (``random.Random`` seeded by the seed, the contestant's draw code and the
aspect), never a float. A panel agrees the way real panels do: on a judgement aspect every judge
gives the contestant's level or one above it (so the WorldSkills spread rule of at most 1 holds);
a time or a fault count is the same for every judge (one stopwatch, one list of faults); a
measurement differs by at most a step or two between judges.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# a contestant's offset from the aspect's typical value, in "spread units" (a twentieth of the range)
_CONTESTANT_OFFSETS = (-3, -2, -1, -1, 0, 0, 0, 0, 1, 1, 2)
_JUDGE_NOISE = (-1, 0, 0, 0, 1)  # a measurement judge's own step or so


@dataclass(frozen=True)
class PlannedMark:
    """One mark a simulated judge will send, as a tablet would (draw code, aspect code, value)."""

    judge: str
    ref: str
    aspect: str
    value: str
    based_on_version: int
    key: str


def _dec(text: object, default: Decimal | None = None) -> Decimal | None:
    return default if text in (None, "") else Decimal(str(text))


def snap(value: Decimal, low: Decimal, high: Decimal, step: Decimal) -> Decimal:
    """``value`` on the aspect's grid (``low`` + whole steps, half up) and within [low, high]."""
    steps = ((value - low) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    out = low + steps * step
    while out > high:
        out -= step
    return max(low, out)


def fallback_typical(form: dict) -> Decimal:
    """Where no mark of the aspect exists yet: what judges usually give for this kind of aspect."""
    low, high = _dec(form.get("min"), Decimal(0)), _dec(form.get("max"), Decimal(0))
    kind = form.get("type")
    if kind == "judgement":
        return (high * 2 / 3).quantize(Decimal(1), rounding=ROUND_HALF_UP)  # 2 on the 0-3 scale
    if kind == "deduction":
        return low  # most contestants make no fault
    if kind == "time":
        return low + (high - low) * Decimal("0.6")
    return low + (high - low) * Decimal("0.8")


def plausible_value(form: dict, typical: Decimal | None, seed: str, ref: str, judge: str) -> Decimal:
    """The value ``judge`` gives the contestant ``ref`` for the aspect ``form`` (a tablet's aspect
    form: type, min, max, step), near ``typical`` (what judges gave this aspect so far)."""
    low = _dec(form.get("min"), Decimal(0))
    high = _dec(form.get("max"), low)
    step = _dec(form.get("step"), Decimal(1)) or Decimal(1)
    centre = typical if typical is not None else fallback_typical(form)
    total_steps = int((high - low) / step)
    unit = max(1, total_steps // 20)
    shared = random.Random(f"{seed}|{ref}|{form['code']}")  # the contestant's performance: the same for every judge
    own = random.Random(f"{seed}|{ref}|{form['code']}|{judge}")
    kind = form.get("type")
    if kind == "judgement":
        level = snap(centre + shared.choice((-1, 0, 0, 0, 1)) * step, low, high, step)
        above = shared.choice((0, 0, 1))  # how many of the panel see one level higher: never a spread above 1
        return snap(level + (step if above and own.choice((0, 1)) else 0), low, high, step)
    if kind == "deduction":
        faults = shared.choice((0, 0, 0, 0, 0, 0, 0, 1, 1, 2))
        return snap(centre + faults * step, low, high, step)
    offset = shared.choice(_CONTESTANT_OFFSETS) * unit
    if kind == "time":
        return snap(centre + offset * step, low, high, step)
    return snap(centre + (offset + own.choice(_JUDGE_NOISE)) * step, low, high, step)


def plan_for_sheet(judge: str, sheet: dict, typical: dict[str, Decimal], seed: str) -> list[PlannedMark]:
    """The marks ``judge`` still owes on their sheet (the tablet's ``/sheet`` answer): every empty
    cell of every contestant of every panel they sit on, in station order. The idempotency key
    names the cell and its marking round, so the same cell is never sent as two marks."""
    forms = {}
    panel_aspects: dict[int, list[str]] = {}
    for panel in sheet["panels"]:
        panel_aspects[panel["id"]] = [a["code"] for a in panel["aspects"]]
        for a in panel["aspects"]:
            forms[a["code"]] = a
    out = []
    for row in sheet["contestants"]:
        for code in panel_aspects.get(row["panel_id"], []):
            cell = row["marks"].get(code) or {}
            if cell.get("value") is not None:
                continue
            value = plausible_value(forms[code], typical.get(code), seed, row["ref"], judge)
            out.append(
                PlannedMark(
                    judge=judge,
                    ref=row["ref"],
                    aspect=code,
                    value=format(value, "f"),
                    based_on_version=int(cell.get("version") or 0),
                    key=f"sim-{seed}-{judge}-{row['ref']}-{code}-r{cell.get('round') or 1}"[:80],
                )
            )
    return out


def interleave(plans: list[list[PlannedMark]]) -> list[PlannedMark]:
    """One sending order for the whole panel: contestant by contestant (in the order the sheets
    list them), each judge's marks of that contestant together, so the boards see contestants
    complete one after another, as at a real venue."""
    order: dict[str, int] = {}
    for plan in plans:
        for p in plan:
            order.setdefault(p.ref, len(order))
    merged = [p for plan in plans for p in plan]
    return sorted(merged, key=lambda p: (order[p.ref], p.judge))
