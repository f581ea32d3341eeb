"""The simulated judges' marks (scoring.demo_marks): exact decimals on the aspect's step and
within its range, near the aspect's typical value, the same for the same seed, and a panel that
agrees the way the rules expect (spread at most one level, one stopwatch time)."""

from __future__ import annotations

from decimal import Decimal

from scoring.demo_marks import interleave, plan_for_sheet, plausible_value, snap

JUDGEMENT = {"code": "A1", "type": "judgement", "min": "0", "max": "3", "step": "1"}
MEASURE = {"code": "B1", "type": "measurement", "min": "0", "max": "10", "step": "0.5"}
DEDUCT = {"code": "D1", "type": "deduction", "min": "0", "max": "5", "step": "1"}
TIME = {"code": "X1", "type": "time", "min": "0", "max": "7200", "step": "1"}
PANEL = ("J02", "J03", "J04", "J05", "J06")
REFS = [f"TY-{1000 + i}" for i in range(60)]


def _on_grid(value: Decimal, form: dict) -> bool:
    low, high, step = (Decimal(form[k]) for k in ("min", "max", "step"))
    return low <= value <= high and (value - low) % step == 0


def test_snap_puts_a_value_on_the_step_within_the_range():
    assert snap(Decimal("7.26"), Decimal(0), Decimal(10), Decimal("0.5")) == Decimal("7.5")
    assert snap(Decimal("7.24"), Decimal(0), Decimal(10), Decimal("0.5")) == Decimal("7.0")
    assert snap(Decimal("12"), Decimal(0), Decimal(10), Decimal("0.5")) == Decimal("10.0")
    assert snap(Decimal("-3"), Decimal(0), Decimal(10), Decimal("0.5")) == Decimal(0)


def test_every_value_is_on_the_grid_and_near_the_typical_value():
    for form, typical, near in ((MEASURE, Decimal("8"), Decimal(2)), (TIME, Decimal(4200), Decimal(1500))):
        values = [plausible_value(form, typical, "2025", ref, j) for ref in REFS for j in PANEL]
        assert all(isinstance(v, Decimal) and _on_grid(v, form) for v in values)
        assert all(abs(v - typical) <= near for v in values), (form["code"], min(values), max(values))
        assert len(set(values)) > 3  # contestants differ
    faults = [plausible_value(DEDUCT, Decimal(0), "2025", ref, "J02") for ref in REFS]
    assert all(_on_grid(v, DEDUCT) for v in faults) and faults.count(Decimal(0)) > len(REFS) / 2


def test_a_panel_agrees_like_a_real_one():
    for ref in REFS:
        levels = {plausible_value(JUDGEMENT, Decimal(2), "2025", ref, j) for j in PANEL}
        assert all(_on_grid(v, JUDGEMENT) for v in levels)
        assert max(levels) - min(levels) <= 1  # the WorldSkills spread rule holds
        assert len({plausible_value(TIME, Decimal(4200), "2025", ref, j) for j in PANEL}) == 1
        assert len({plausible_value(DEDUCT, Decimal(0), "2025", ref, j) for j in PANEL}) == 1


def test_without_marks_so_far_each_kind_has_a_sensible_default():
    assert plausible_value(JUDGEMENT, None, "s", "TY-1", "J02") in (Decimal(1), Decimal(2), Decimal(3))
    assert Decimal(5) <= plausible_value(MEASURE, None, "s", "TY-1", "J02") <= Decimal(10)


def _sheet(marked: set[tuple[str, str]]) -> dict:
    aspects = [MEASURE, JUDGEMENT]
    return {
        "panels": [{"id": 7, "aspects": aspects}],
        "contestants": [
            {
                "ref": ref,
                "panel_id": 7,
                "marks": {
                    a["code"]: {"value": "1" if (ref, a["code"]) in marked else None, "version": 0, "round": 1}
                    for a in aspects
                },
            }
            for ref in REFS[:3]
        ],
    }


def test_the_plan_is_every_empty_cell_once_with_a_key_naming_the_cell():
    sheet = _sheet({(REFS[0], "B1"), (REFS[1], "A1")})
    plan = plan_for_sheet("J02", sheet, {"B1": Decimal(8)}, "2025")
    assert [(p.ref, p.aspect) for p in plan] == [(REFS[0], "A1"), (REFS[1], "B1"), (REFS[2], "B1"), (REFS[2], "A1")]
    assert len({p.key for p in plan}) == len(plan)
    assert plan == plan_for_sheet("J02", sheet, {"B1": Decimal(8)}, "2025")  # deterministic: same keys, same values
    assert all(p.based_on_version == 0 and p.key.startswith("sim-2025-J02-") for p in plan)


def test_the_panel_marks_contestant_by_contestant():
    plans = [plan_for_sheet(j, _sheet(set()), {}, "2025") for j in ("J03", "J02")]
    order = [p.ref for p in interleave(plans)]
    assert order == sorted(order, key=REFS.index)
    assert [p.judge for p in interleave(plans)[:4]] == ["J02", "J02", "J03", "J03"]
