"""Who marks which cell and which mark counts (scoring.rules.cells): worked examples from the
conventions, and properties against a brute-force reading of them."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.rules.cells import (
    COUNTING_STATES,
    NOT_ON_PANEL,
    RECUSED,
    WITHDRAWN,
    Panel,
    Seating,
    Tally,
    cell_state,
    counting_marks,
    counts,
    sheet_status,
)


@dataclass(frozen=True)
class Person:
    id: int
    group_id: int
    withdrawn: bool = False


@dataclass(frozen=True)
class Item:
    id: int
    stage_id: int


@dataclass(frozen=True)
class Version:
    round: int
    version: int
    state: str
    value: Decimal | None


# group 1 practical (stage 20) has two panels: panel 1 marks every aspect, panel 2 only aspect 202
PANELS = [
    Panel(1, group=1, stage=20, judges=(11, 12)),
    Panel(2, group=1, stage=20, judges=(13,), aspects=frozenset({202})),
    Panel(3, group=2, stage=20, judges=(14,)),
]
A201, A202, THEORY = Item(201, 20), Item(202, 20), Item(101, 10)


def test_the_panel_judges_of_the_group_and_stage_are_expected_less_recusals():
    seating = Seating(PANELS, recusals=[(12, 1)])
    ann, bo = Person(1, 1), Person(2, 1)
    assert seating.expected(ann, A201) == {11}
    assert seating.expected(ann, A202) == {11, 13}
    assert seating.expected(bo, A201) == {11, 12}
    assert seating.expected(bo, THEORY) == set()
    assert seating.expected(Person(3, 1, withdrawn=True), A202) == set()


def test_a_refusal_names_recusal_then_withdrawal_then_the_panel():
    seating = Seating(PANELS, recusals=[(12, 1)])
    assert seating.refusal(12, Person(1, 1, withdrawn=True), A201) == RECUSED
    assert seating.refusal(11, Person(1, 1, withdrawn=True), A201) == WITHDRAWN
    assert seating.refusal(13, Person(2, 1), A201) == NOT_ON_PANEL  # panel 2 marks only 202
    assert seating.refusal(14, Person(2, 1), A201) == NOT_ON_PANEL  # another group's panel
    assert seating.refusal(13, Person(2, 1), A202) is None
    assert seating.refusal(11, Person(2, 1), THEORY) == NOT_ON_PANEL


def test_only_the_newest_round_and_each_judges_newest_version_count():
    rows = [
        ("c", "J1", Version(1, 1, "submitted", Decimal("2"))),
        ("c", "J1", Version(1, 2, "submitted", Decimal("3"))),  # a correction
        ("c", "J2", Version(1, 1, "signed", Decimal("1"))),
        ("c", "J3", Version(1, 1, "submitted", Decimal("2"))),
        ("c", "J3", Version(1, 2, "void", None)),  # withdrawn by the judge
        ("d", "J1", Version(1, 1, "submitted", Decimal("1"))),
        ("d", "J2", Version(1, 1, "submitted", Decimal("2"))),
        ("d", "J1", Version(2, 1, "submitted", Decimal("2"))),  # re-score round 2: round 1 stops counting
    ]
    counted = {k: v.value for k, v in counting_marks(rows).items()}
    assert counted == {("c", "J1"): Decimal("3"), ("c", "J2"): Decimal("1"), ("d", "J1"): Decimal("2")}
    assert {k: v.value for k, v in counting_marks(reversed(rows)).items()} == counted


def test_the_tally_reports_each_change_as_it_happens():
    tally: Tally[str, str, Version] = Tally()
    first = Version(1, 1, "submitted", Decimal("2"))
    assert tally.add("c", "J1", first) == [("c", "J1", first)]
    assert tally.add("c", "J1", first) == []  # a replayed row changes nothing
    assert tally.add("c", "J2", Version(1, 1, "void", None)) == [("c", "J2", None)]
    second = Version(2, 1, "submitted", Decimal("3"))
    changes = tally.add("c", "J3", second)
    assert sorted(changes, key=lambda ch: ch[1]) == [("c", "J1", None), ("c", "J2", None), ("c", "J3", second)]
    assert tally.add("c", "J1", Version(1, 2, "submitted", Decimal("1"))) == []  # late, of an old round


def test_sheet_status_and_cell_state():
    sub, sig = Version(1, 1, "submitted", Decimal("1")), Version(1, 2, "signed", Decimal("1"))
    void = Version(1, 3, "void", None)
    assert sheet_status([]) == "missing"
    assert sheet_status([(None, 1), (None, 1)]) == "missing"
    assert sheet_status([(sub, 1), (None, 1)]) == "partial"
    assert sheet_status([(sub, 1), (sig, 1)]) == "submitted"
    assert sheet_status([(sig, 1), (sig, 1)]) == "signed"
    assert sheet_status([(sig, 2), (sig, 1)]) == "remark"  # a round opened after the signature
    assert sheet_status([(void, 1)]) == "missing"
    assert cell_state(None, 2) == "missing" and cell_state(sub, 2) == "remark" and cell_state(sig, 1) == "signed"
    assert counts(sub) and counts(sig) and not counts(void) and COUNTING_STATES == {"submitted", "signed"}


# --------------------------------------------------------------------------- properties

ids = st.integers(min_value=1, max_value=6)


@st.composite
def seatings(draw):
    panels = []
    for pid in range(1, draw(st.integers(0, 5)) + 1):
        judges = tuple(sorted(draw(st.sets(ids, max_size=4))))
        limited = frozenset(draw(st.sets(st.integers(1, 6), max_size=3)))
        panels.append(
            Panel(pid, group=draw(st.integers(1, 2)), stage=draw(st.integers(1, 2)), judges=judges, aspects=limited)
        )
    recusals = draw(st.sets(st.tuples(ids, ids), max_size=8))
    people = [Person(i, draw(st.integers(1, 2)), draw(st.booleans())) for i in range(1, 6)]
    aspects = [Item(i, draw(st.integers(1, 2))) for i in range(1, 7)]
    return panels, recusals, people, aspects


@given(seatings())
@settings(max_examples=200)
def test_may_mark_expected_and_expected_cells_agree_with_the_conventions(case):
    panels, recusals, people, aspects = case
    seating = Seating(panels, recusals)
    every = set()
    for c in people:
        for a in aspects:
            brute = {
                j
                for p in panels
                if p.group == c.group_id and p.stage == a.stage_id and (not p.aspects or a.id in p.aspects)
                for j in p.judges
                if (j, c.id) not in recusals and not c.withdrawn
            }
            assert seating.expected(c, a) == brute
            every |= {(c.id, a.id, j) for j in brute}
            for judge in range(1, 7):
                assert (seating.refusal(judge, c, a) is None) == (judge in brute)
    assert seating.expected_cells(people, aspects) == every


states = st.sampled_from(["submitted", "signed", "void"])


@st.composite
def mark_rows(draw):
    rows, seen = [], set()
    for _ in range(draw(st.integers(0, 30))):
        cell, judge = draw(st.sampled_from("xy")), draw(st.sampled_from(["J1", "J2", "J3"]))
        rnd, version = draw(st.integers(1, 3)), draw(st.integers(1, 4))
        if (cell, judge, rnd, version) in seen:  # the database's unique version per cell and round
            continue
        seen.add((cell, judge, rnd, version))
        state = draw(states)
        value = None if state == "void" or draw(st.integers(0, 9)) == 0 else Decimal(draw(st.integers(0, 3)))
        rows.append((cell, judge, Version(rnd, version, state, value)))
    return rows, draw(st.randoms())


@given(mark_rows())
@settings(max_examples=300)
def test_the_tally_equals_the_rule_read_over_all_rows_in_any_order(case):
    rows, rng = case
    expected = {}
    for cell in {r[0] for r in rows}:
        top = max(v.round for c, _, v in rows if c == cell)
        for judge in {j for c, j, _ in rows if c == cell}:
            mine = [v for c, j, v in rows if c == cell and j == judge and v.round == top]
            if mine:
                newest = max(mine, key=lambda v: v.version)
                if newest.state in ("submitted", "signed") and newest.value is not None:
                    expected[(cell, judge)] = newest
    shuffled = list(rows)
    random.Random(rng.random()).shuffle(shuffled)
    assert counting_marks(shuffled) == expected
    # the changes the tally reports, applied one by one, arrive at the same place
    tally: Tally = Tally()
    applied: dict = {}
    for cell, judge, version in shuffled:
        for c, j, now in tally.add(cell, judge, version):
            if now is None:
                applied.pop((c, j), None)
            else:
                applied[(c, j)] = now
    assert applied == expected == tally.counting


def test_an_element_declared_invalid_expects_nobody_and_refuses_marks_for_that_contestant_only():
    from scoring.rules.cells import INVALID_ELEMENT, declared_invalid, invalid_cells

    invalid = invalid_cells([(1, {"E2": {"invalid": "1"}, "E1": {"invalid": "0"}}), (2, None)], {"E1": 201, "E2": 202})
    assert invalid == {(1, 202)}
    seating = Seating(PANELS, recusals=[(12, 1)], invalid=invalid)
    ann, bo = Person(1, 1), Person(2, 1)
    assert seating.expected(ann, A202) == set() and seating.expected(bo, A202) == {11, 12, 13}
    assert seating.expected(ann, A201) == {11}
    assert seating.refusal(11, ann, A202) == INVALID_ELEMENT
    assert seating.refusal(12, ann, A202) == RECUSED  # recusal first
    assert seating.refusal(14, ann, A202) == NOT_ON_PANEL  # not on the panel before invalid
    assert seating.refusal(11, bo, A202) is None
    assert not any(c == 1 and a == 202 for c, a, _ in seating.expected_cells([ann, bo], [A201, A202]))
    assert (2, 202, 13) in seating.expected_cells([ann, bo], [A201, A202])
    assert [
        declared_invalid(p) for p in ({"invalid": "1"}, {"invalid": 1}, {"invalid": "0"}, {}, None, {"invalid": "x"})
    ] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]


@given(seatings(), st.sets(st.tuples(st.integers(1, 5), st.integers(1, 6)), max_size=6))
@settings(max_examples=100)
def test_declared_invalid_cells_leave_the_seating_otherwise_unchanged(case, invalid):
    panels, recusals, people, aspects = case
    plain, seating = Seating(panels, recusals), Seating(panels, recusals, invalid=invalid)
    for c in people:
        for a in aspects:
            want = set() if (c.id, a.id) in invalid else plain.expected(c, a)
            assert seating.expected(c, a) == want
            for judge in range(1, 7):
                assert (seating.refusal(judge, c, a) is None) == (judge in want)
    assert seating.expected_cells(people, aspects) == {
        cell for cell in plain.expected_cells(people, aspects) if cell[:2] not in invalid
    }
