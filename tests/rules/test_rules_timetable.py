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
        ("2025-05-25", "09:00", "S3"),  # all over: the last
    ],
)
def test_the_current_session_by_the_clock(date, clock, expected):
    assert current([DAY2, DAY1, DAY1_PM], date, clock).code == expected
    assert current([], date, clock) is None
