"""Sessions (场次), pure (rules.timetable): seating reproducible from the seed, evenly filled,
within the stations declared; the current session by the local clock."""

from __future__ import annotations

import pytest

from scoring.rules.timetable import Sitting, TooFewStations, current, seat

DAY1 = Sitting("S1", "2025-05-23", "08:30", "12:00", ("01", "02", "03"))
DAY1_PM = Sitting("S2", "2025-05-23", "14:00", None, ("01", "02", "03"))
DAY2 = Sitting("S3", "2025-05-24", "08:30", "12:00", ("01", "02", "03"))


def test_seating_is_reproducible_even_and_uses_the_declared_stations():
    groups = {"childcare": [f"C{i}" for i in range(7)]}
    a = seat("seed-1", groups, [DAY2, DAY1, DAY1_PM])
    assert a == seat("seed-1", groups, [DAY1, DAY1_PM, DAY2])
    assert a != seat("seed-2", groups, [DAY1, DAY1_PM, DAY2])
    per = {s: sorted(st for sess, st in a.values() if sess == s) for s in ("S1", "S2", "S3")}
    assert sorted(len(v) for v in per.values()) == [2, 2, 3]
    assert all(set(v) <= {"01", "02", "03"} and len(set(v)) == len(v) for v in per.values())


def test_groups_share_a_sessions_stations_and_a_group_list_is_respected():
    only_hair = Sitting("H", "2025-05-24", "14:00", stations=("01", "02"), groups=("hair",))
    out = seat("s", {"childcare": ["C1", "C2"], "hair": ["H1", "H2"]}, [DAY1, only_hair])
    assert {out["C1"][0], out["C2"][0]} == {"S1"}
    in_s1 = [st for sess, st in out.values() if sess == "S1"]
    assert len(in_s1) == len(set(in_s1))


def test_too_few_stations_is_refused_with_the_numbers():
    with pytest.raises(TooFewStations) as exc:
        seat("s", {"g": [f"C{i}" for i in range(4)]}, [DAY1])
    assert (exc.value.group, exc.value.people, exc.value.places) == ("g", 4, 3)


def test_without_declared_stations_a_session_numbers_its_own():
    open_session = Sitting("S", "2025-05-23", "08:30")
    out = seat("s", {"g": ["A", "B", "C"]}, [open_session])
    assert sorted(st for _, st in out.values()) == ["01", "02", "03"]


@pytest.mark.parametrize(
    ("date", "clock", "expected"),
    [
        ("2025-05-22", "09:00", "S1"),  # before everything: the next
        ("2025-05-23", "08:30", "S1"),  # started
        ("2025-05-23", "12:30", "S2"),  # S1 over: the next to start
        ("2025-05-23", "15:00", "S2"),  # running (no end)
        ("2025-05-24", "07:00", "S3"),
        ("2025-05-24", "12:30", None),  # all over: none (the pickers show every session)
    ],
)
def test_the_current_session_by_the_clock(date, clock, expected):
    on = current([DAY2, DAY1, DAY1_PM], date, clock)
    assert (on.code if on else None) == expected
    assert current([], date, clock) is None


def test_a_sessions_own_panel_marks_only_its_contestants():
    """Two sessions of the practical, each with its panel: a contestant's mark is complete with
    the judges of their own session, and another session's judge is not expected (not counted)."""
    from dataclasses import replace
    from decimal import Decimal

    from rules_builders import single_stage

    from scoring.rules.engine import compute_standings
    from scoring.rules.types import Aggregation, AggregationMethod, Aspect, Contestant, Mark, Panel, Stage

    aspect = Aspect("P1", "s", Decimal(100), aggregation=Aggregation(AggregationMethod.MEAN))
    marks = [
        Mark("A", "P1", "J1", Decimal(80)),
        Mark("A", "P1", "J2", Decimal(90)),
        Mark("A", "P1", "J3", Decimal(10)),  # J3 sits in session S2 only: not counted for A
        Mark("B", "P1", "J3", Decimal(70)),
        Mark("B", "P1", "J4", Decimal(60)),
    ]
    inp = single_stage([aspect], {"A": "G", "B": "G"}, marks, stage=Stage("s"))
    inp = replace(
        inp,
        contestants=(Contestant("A", "G", session="S1"), Contestant("B", "G", session="S2")),
        panels=(Panel("G", "s", ("J1", "J2"), session="S1"), Panel("G", "s", ("J3", "J4"), session="S2")),
    )
    rows = {r.contestant: r for r in compute_standings(inp).groups["G"].rows}
    assert rows["A"].total == Decimal("85.00") and rows["B"].total == Decimal("65.00")


def test_panel_applies():
    from scoring.rules.timetable import panel_applies

    own = frozenset({"S1"})
    assert panel_applies("S1", own, "S1") and not panel_applies("S1", own, "S2")
    assert panel_applies(None, own, "S2") and not panel_applies(None, own, "S1")
    assert panel_applies(None, frozenset(), None)
