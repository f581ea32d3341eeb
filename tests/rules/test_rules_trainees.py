"""Trainee judges (见习裁判, scoring.rules.cells.Trainees): they may mark their panel's cells, nobody
waits for them, and their marks never change standings, flags, progress or blockers; their
debrief (scoring.rules.debrief) compares them with the counting panel."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st
from rules_builders import D
from test_rules_properties import MENU, SETTINGS, competitions

from scoring.rules.blockers import blockers
from scoring.rules.cells import Panel as Seat
from scoring.rules.cells import Seating, Trainees
from scoring.rules.checks import judge_severity
from scoring.rules.debrief import debrief
from scoring.rules.engine import StandingsEngine, compute_standings
from scoring.rules.types import Mark, Panel

TRAINEE = "TR"


def with_trainee(inp, data):
    """The competition with a trainee on every panel and some trainee marks (wild values)."""
    panels = tuple(replace(p, trainees=(TRAINEE,)) for p in inp.panels)
    cells = sorted({(c.code, a.code) for c in inp.contestants for a in inp.scheme.aspects})
    chosen = data.draw(st.lists(st.sampled_from(cells), unique=True, max_size=len(cells))) if cells else []
    extra = tuple(Mark(c, a, TRAINEE, data.draw(st.sampled_from(MENU[a][1]))) for c, a in chosen)
    return replace(inp, panels=panels), extra


def flag_set(s):
    return sorted(repr(f) for f in s.flags)


@SETTINGS
@given(inp=competitions(), data=st.data())
def test_a_trainees_marks_never_change_standings_or_flags(inp, data):
    seated, extra = with_trainee(inp, data)
    before = compute_standings(inp)
    after = compute_standings(replace(seated, marks=inp.marks + extra))
    assert after.groups == before.groups
    assert flag_set(after) == flag_set(before)  # no spread, outlier or "not on panel" flag either


@SETTINGS
@given(inp=competitions(), data=st.data())
def test_the_live_engine_ignores_a_trainees_marks_one_by_one(inp, data):
    seated, extra = with_trainee(inp, data)
    engine = StandingsEngine(seated)
    before = engine.standings
    for mark in extra:
        engine.apply_mark(mark)
        engine.remove_mark(mark.contestant, mark.aspect, mark.judge)
        engine.apply_mark(mark)
    assert engine.standings.groups == before.groups
    assert flag_set(engine.standings) == flag_set(before)


def test_a_judge_who_also_counts_on_the_cell_counts():
    """A trainee on one panel of the cell who is a counting judge on another one of it counts."""
    panels = [
        Panel("G", "S", ("J1",), ("A1",), trainees=("J2",)),
        Panel("G", "S", ("J2",), ("A1",)),
        Panel("G", "S", ("J1",), ("A2",), trainees=("J3",)),
    ]
    t = Trainees(panels)
    assert not t.of("J2", "G", "S", "A1")
    assert t.of("J3", "G", "S", "A2")
    assert not t.of("J3", "G", "S", "A1")  # not on a panel of A1 at all: not a trainee's mark either
    assert not t.of("J1", "G", "S", "A2")
    assert not Trainees([Panel("G", "S", ("J1",))])


def test_a_trainee_of_a_session_panel_is_a_trainee_only_for_its_session():
    panels = [Panel("G", "S", ("J1",), session="am", trainees=("J9",)), Panel("G", "S", ("J9",), session="pm")]
    t = Trainees(panels)
    assert t.of("J9", "G", "S", "A", "am")
    assert not t.of("J9", "G", "S", "A", "pm")


def _people():
    contestants = [SimpleNamespace(id=k, group_id=1, withdrawn=False) for k in (1, 2, 3)]
    aspects = [SimpleNamespace(id=a, stage_id=10) for a in (100, 101)]
    return contestants, aspects


def test_a_trainee_may_mark_and_is_never_expected():
    contestants, aspects = _people()
    plain = Seating([Seat(1, 1, 10, (7, 8))], [])
    seating = Seating([Seat(1, 1, 10, (7, 8), trainees=(9,))], [(9, 3)])
    c, a = contestants[0], aspects[0]
    assert seating.refusal(9, c, a) is None
    assert seating.refusal(9, contestants[2], a) is not None  # recused: as for any judge
    assert seating.trainee(9, c, a) and not seating.trainee(7, c, a)
    assert seating.expected(c, a) == {7, 8}
    assert seating.expected_cells(contestants, aspects) == plain.expected_cells(contestants, aspects)
    assert 9 in {j for p in seating.panels_of(9) for j in p.trainees}


@SETTINGS
@given(given_marks=st.sets(st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from([100, 101]), st.sampled_from([7, 8]))))
def test_a_trainee_never_blocks_and_their_marks_never_unblock(given_marks):
    contestants, aspects = _people()
    plain = Seating([Seat(1, 1, 10, (7, 8))], [])
    seating = Seating([Seat(1, 1, 10, (7, 8), trainees=(9,))], [])
    trainee_marks = {(c, a, 9) for c in (1, 2, 3) for a in (100, 101)}
    stages = [SimpleNamespace(id=10, locked=False)]
    before = blockers(plain, [1], stages, contestants, aspects, given_marks)
    after = blockers(seating, [1], stages, contestants, aspects, given_marks | trainee_marks)
    assert after == before


# ----------------------------------------------------------------------------- debrief


def _panel_marks():
    rows = {
        ("C1", "A"): {"J1": 8, "J2": 7, "J3": 9, "T": 3},
        ("C2", "A"): {"J1": 5, "J2": 6, "J3": 7, "T": 6},
        ("C3", "A"): {"J1": 4, "J2": 4, "J3": 4, "T": 5},
    }
    return [Mark(c, a, j, D(v)) for (c, a), by in rows.items() for j, v in by.items()]


def trainee(mk: Mark) -> bool:
    return mk.judge == "T"


def test_a_trainee_is_compared_with_the_counting_panel_alone():
    d = debrief("T", _panel_marks(), trainee, outlier_distance=D(2))
    assert d.trainee
    first = d.items[0]
    assert (first.contestant, first.value, first.panel) == ("C1", D(3), 3)
    assert first.mean == D(8) and first.median == D(8) and first.difference == D(-5)
    assert first.z == D(-5)  # sample SD of 8, 7, 9 is 1
    assert first.outlier and not d.items[1].outlier  # 6 is the counting panel's mean
    assert d.items[2].z == 0  # the panel agreed exactly: z = 0
    assert d.compared == 3 and d.outliers == 1
    assert d.mean_difference == D("-1.3333")  # (-5 + 0 + 1) / 3
    assert d.mean_absolute == D(2)


def test_a_counting_judges_debrief_agrees_with_the_judge_statistics():
    marks = _panel_marks()
    counting = [mk for mk in marks if not trainee(mk)]
    d = debrief("J1", marks, trainee)
    severity = judge_severity(counting)["J1"]
    assert not d.trainee
    assert d.compared == severity.items
    assert d.mean_difference == severity.mean_deviation
    assert d.mean_z == severity.mean_z
    assert d.outliers == 0  # no distance declared: no flags


def test_correlation_follows_the_panel_and_needs_three_items():
    marks = _panel_marks()
    # J3's 9, 7, 4 against the panel means 8, 6, 4: r = 10 / sqrt(12.667 x 8)
    assert debrief("J3", marks, trainee).correlation == D("0.9934")
    assert debrief("T", marks, trainee).correlation == D("-0.6547")
    two = [mk for mk in marks if mk.contestant != "C3"]
    assert debrief("J3", two, trainee).correlation is None


@SETTINGS
@given(
    values=st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=6),
    wild=st.integers(0, 10),
)
def test_a_trainees_marks_never_change_a_counting_judges_debrief(values, wild):
    marks = [Mark(f"C{k}", "A", j, Decimal(v)) for k, row in enumerate(values) for j, v in zip(("J1", "J2", "J3"), row)]
    with_trainee = marks + [Mark(f"C{k}", "A", "T", Decimal(wild)) for k in range(len(values))]
    assert debrief("J2", with_trainee, trainee, D(3)) == debrief("J2", marks, trainee, D(3))
