"""What blocks a step (rules.blockers): expected cells less counted marks, missing panels, open
stages; sorted, counted, per judge."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.rules.blockers import StageRef, blockers
from scoring.rules.cells import Panel, Seating


@dataclass(frozen=True)
class C:
    id: int
    group_id: int
    withdrawn: bool = False


@dataclass(frozen=True)
class A:
    id: int
    stage_id: int


# group 1 marked in stages 10 (aspects 100, 101; judges 1, 2) and 20 (aspect 200; judge 3);
# group 2 has a panel for stage 10 only
SEATING = Seating(
    [Panel(1, 1, 10, (1, 2)), Panel(2, 1, 20, (3,)), Panel(3, 2, 10, (1,))],
    recusals=[(2, 7)],  # judge 2 is recused from contestant 7
)
PEOPLE = [C(5, 1), C(6, 1), C(7, 1), C(8, 1, withdrawn=True), C(9, 2)]
ASPECTS = [A(100, 10), A(101, 10), A(200, 20)]
STAGES = [StageRef(10, locked=True), StageRef(20)]


def test_missing_marks_are_expected_cells_without_a_counting_mark():
    counted = {(5, 100, 1), (5, 101, 1), (5, 100, 2), (5, 101, 2), (5, 200, 3), (6, 100, 1), (7, 100, 1)}
    b = blockers(SEATING, [1, 2], STAGES, PEOPLE, ASPECTS, counted)
    # 6: 101·1, 100·2, 101·2, 200·3; 7: 101·1, 200·3 (judge 2 recused); 8 withdrawn; 9: 100·1, 101·1
    assert [(c.contestant, c.missing) for c in b.contestants] == [
        (6, ((100, 2), (101, 1), (101, 2), (200, 3))),
        (7, ((101, 1), (200, 3))),
        (9, ((100, 1), (101, 1))),
    ]
    assert (b.contestants_incomplete, b.marks_missing) == (3, 8)
    assert b.by_judge == {1: 4, 2: 2, 3: 2}
    assert b.missing_panels == ((2, 20),)  # group 2 has nobody for stage 20
    assert b.open_stages == () and not b.clear


def test_one_stage_only_and_open_stages_when_publishing():
    everything = {(c, a, j) for c in (5, 6, 7, 9) for a in (100, 101) for j in (1, 2)}
    lock_10 = blockers(SEATING, [1], STAGES, PEOPLE, ASPECTS, everything, stage=10)
    assert lock_10.clear  # stage 20's missing marks do not block the lock of stage 10
    publish = blockers(SEATING, [1], STAGES, PEOPLE, ASPECTS, everything, need_locked=True)
    assert publish.open_stages == (20,) and publish.marks_missing == 3  # 200·3 for 5, 6, 7


def test_a_group_without_any_panel_blocks_even_without_contestants():
    b = blockers(SEATING, [1, 2, 3], STAGES, [], ASPECTS, set())
    assert b.missing_panels == ((2, 20), (3, 10), (3, 20)) and b.contestants == ()
