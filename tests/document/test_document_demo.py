"""The origin-story generator: 榆林市2025年托育职业技能竞赛."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from scoring.demo_data import COUNTIES, childcare_document
from scoring.document import dump_document, load_document, recompute
from scoring.rules.types import AggregationMethod, AspectType

YULIN = {
    "榆阳区",
    "横山区",
    "神木市",
    "府谷县",
    "靖边县",
    "定边县",
    "绥德县",
    "米脂县",
    "佳县",
    "吴堡县",
    "清涧县",
    "子洲县",
}


@pytest.fixture(scope="module")
def doc_all():
    return load_document(childcare_document(marks="all"))


def test_competition_facts(doc_all):
    c = doc_all.competition
    assert (c.name, c.organizer, c.date, c.venue) == (
        "榆林市2025年托育职业技能竞赛",
        "榆林市总工会",
        "2025-05-23",
        "神木职业技术学院",
    )
    assert c.timezone == "Asia/Shanghai" and c.locale == "zh_Hans_CN"


def test_78_childcare_contestants_from_all_12_counties(doc_all):
    childcare = [c for c in doc_all.contestants if c.group == "childcare"]
    assert len(childcare) == 78
    assert {c.region for c in childcare} == YULIN == {name for name, _, _ in COUNTIES}
    assert len({c.name for c in doc_all.contestants}) == len(doc_all.contestants)  # no two people share a name
    names = "".join(c.name for c in childcare)
    for rare in "堃喆淼玥赟":
        assert rare in names
    assert all(any(k in c.unit for k in ("幼儿园", "托育", "妇幼保健院")) for c in childcare)
    assert all(c.id_number and c.phone for c in doc_all.contestants)


def test_hairdressing_group_with_kang_heng(doc_all):
    hair = [c for c in doc_all.contestants if c.group == "hairdressing"]
    assert 18 <= len(hair) <= 22
    assert "康恒" in {c.name for c in hair}
    assert doc_all.group("hairdressing").name == "美发"


def test_stages_weights_and_panels(doc_all):
    theory, practical = doc_all.stages
    assert (theory.name, theory.weight, theory.max_weight) == ("理论", Decimal(30), Decimal(30))
    assert (practical.name, practical.weight) == ("实操", Decimal(70))
    assert practical.aggregation.method == AggregationMethod.TRIMMED_MEAN and practical.aggregation.trim == 1
    assert doc_all.aspect("T1").aggregation.method == AggregationMethod.SINGLE
    for group in ("childcare", "hairdressing"):
        panels = {p.stage: p for p in doc_all.panels if p.group == group}
        assert len(panels["practical"].judges) == 5
        assert len(panels["theory"].judges) == 1
        practical_aspects = doc_all.group_aspects(group, "practical")
        assert sum(a.max_mark for a in practical_aspects) == 100
        assert {a.type for a in practical_aspects} == set(AspectType)
        for a in practical_aspects:
            if a.type == AspectType.JUDGEMENT:
                assert len(a.descriptors) == 4 and a.aggregation.spread == Decimal(1)
    chiefs = [j for j in doc_all.judges if j.role == "chief"]
    assert len(chiefs) == 2
    assert [t.ref for t in doc_all.rules.tie_breaks] == ["practical", "X1", "theory"]
    prizes = doc_all.rules.awards[0]
    assert [(t.name, t.percent) for t in prizes.tiers] == [("一等奖", 10), ("二等奖", 20), ("三等奖", 30)]
    assert doc_all.rules.awards[1].tiers[0].name == "技术能手" and doc_all.rules.awards[1].tiers[0].max_rank == 5


def test_recusals_are_same_unit_and_respected(doc_all):
    assert len(doc_all.recusals) >= 2
    for r in doc_all.recusals:
        assert doc_all.judge(r.judge).unit == doc_all.contestant(r.contestant).unit
        assert not [m for m in doc_all.marks if m.judge == r.judge and m.contestant == r.contestant]


def test_draw_is_recorded(doc_all):
    draw = doc_all.draw
    assert draw.seed == "2025"
    assert len(draw.entries) == len(doc_all.contestants)
    assert len({e.code for e in draw.entries}) == len(draw.entries)


def test_all_marks_are_complete_and_on_step(doc_all):
    counts = Counter((m.contestant, m.aspect) for m in doc_all.marks)
    recused = Counter(r.contestant for r in doc_all.recusals)
    for c in doc_all.contestants:
        for stage in ("theory", "practical"):
            panel = next(p for p in doc_all.panels if p.group == c.group and p.stage == stage)
            for a in doc_all.group_aspects(c.group, stage):
                expected = len(panel.judges) - (recused[c.code] if stage == "practical" else 0)
                assert counts[(c.code, a.code)] == expected, (c.code, a.code)
    for m in doc_all.marks:
        a = doc_all.aspect(m.aspect)
        assert (m.value - a.min_value) % a.step == 0
    # judgement marks respect the WorldSkills spread of 1
    by_set: dict = {}
    for m in doc_all.marks:
        if doc_all.aspect(m.aspect).type == AspectType.JUDGEMENT:
            by_set.setdefault((m.contestant, m.aspect), []).append(m.value)
    assert all(max(v) - min(v) <= 1 for v in by_set.values())


def test_marks_modes():
    none = load_document(childcare_document(marks="none"))
    some = load_document(childcare_document(marks="some"))
    assert none.marks == ()
    theory = {m.contestant for m in some.marks if m.aspect == "T1"}
    assert theory == {c.code for c in some.contestants}
    practical = {m.contestant for m in some.marks if m.aspect != "T1"}
    childcare = {c for c in practical if c.startswith("C")}
    assert 28 <= len(childcare) <= 34  # about 40 % of 78
    with pytest.raises(ValueError):
        childcare_document(marks="half")


def test_deterministic():
    assert childcare_document(marks="all") == childcare_document(marks="all")
    assert childcare_document(seed=2025) != childcare_document(seed=2026)
    assert (
        dump_document(load_document(childcare_document(seed=2026, marks="some")))["competition"]["name"]
        == "榆林市2026年托育职业技能竞赛"
    )


def test_an_overall_award_counts_across_groups_marked_on_different_aspects():
    """托育 and 美发 are computed in separate runs (different practical aspects); an award rule with
    per_group: false still ranks both groups together: a fixed count of 3 goes to the 3 best
    totals of the whole competition, whichever group they are in."""
    from scoring.demo_data import childcare_document
    from scoring.document.convert import uniform_scheme

    raw = childcare_document(marks="all")
    raw["rules"]["awards"].append(
        {"name": "overall", "kind": "fixed_count", "per_group": False, "tiers": [{"name": "全场前三", "count": 3}]}
    )
    doc = load_document(raw)
    assert not uniform_scheme(doc)
    standings = recompute(doc)
    rows = [r for gs in standings.groups.values() for r in gs.rows if r.total is not None]
    winners = sorted((r for r in rows if "全场前三" in r.awards), key=lambda r: -r.total)
    best = sorted(rows, key=lambda r: -r.total)[:3]
    assert len(winners) == 3
    assert [r.total for r in winners] == [r.total for r in best]
    # the group awards are untouched and come first
    assert all(r.awards.index("全场前三") == len(r.awards) - 1 for r in winners)
