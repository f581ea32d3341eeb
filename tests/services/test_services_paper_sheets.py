"""What the printed score sheets (评分表) hold: per judge exactly the contestants the seating says
they mark (recusals, withdrawals, sessions, invalid elements), each named as the tablet names them,
with the panel's aspects and a QR token that reads back to judge, contestant and sheet version."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import InvalidInput
from scoring.rules.paper import parse_sheet_token, version_of
from scoring.services.judge_sheet import judge_sheet, panel_aspects
from scoring.services.paper_sheets import clerk_url, paper_sheets, selection_choices

SLUG = "yulin-childcare-2025"
BASE = "https://scoring.example.org/"


@pytest.fixture(scope="module")
def demo(sqlite_template, tmp_path_factory, make_app):
    """The demo competition with one contestant withdrawn and one element declared invalid."""
    from scoring.demo import build_demo
    from scoring.services.withdrawals import set_withdrawal

    root = tmp_path_factory.mktemp("paper")
    shutil.copy(sqlite_template, root / "paper.sqlite")
    app = make_app(f"sqlite:///{root / 'paper.sqlite'}", root / "instance")
    engine = app.extensions["scoring.engine"]
    build_demo(engine)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == SLUG)).one()
        j02 = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == "J02")).one()
        panel = s.exec(
            select(m.Panel)
            .join(m.PanelJudge, m.PanelJudge.panel_id == m.Panel.id)
            .where(m.PanelJudge.judge_id == j02.id)
        ).one()
        people = list(
            s.exec(select(m.Contestant).where(m.Contestant.group_id == panel.group_id).order_by(m.Contestant.id))
        )
        recused = set(s.exec(select(m.Recusal.contestant_id).where(m.Recusal.judge_id == j02.id)))
    free = [c for c in people if c.id not in recused]
    gone, flawed = free[0], free[1]
    set_withdrawal(engine, cid, gone.id, "withdrawn", "身体不适", None, "test")
    with transaction(engine) as s:
        row = s.get(m.Contestant, flawed.id)
        row.params = {"A1.1": {"invalid": "1"}}
        s.add(row)
    return {"engine": engine, "cid": cid, "panel": panel, "recused": recused, "gone": gone, "flawed": flawed}


def test_a_judge_gets_one_sheet_per_contestant_their_tablet_lists(demo):
    engine, cid = demo["engine"], demo["cid"]
    data = paper_sheets(engine, cid, BASE, judge="J02")
    with reading(engine) as s:
        j02 = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == "J02")).one()
        aspects = panel_aspects(s, demo["panel"])
        entries = {e.contestant_id: e for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid))}
    tablet = judge_sheet(engine, cid, j02.id)
    refs = {x.ref for x in data.sheets}
    assert refs == {r["ref"] for r in tablet["contestants"]}
    assert entries[demo["gone"].id].code not in refs  # withdrawn
    assert not refs & {entries[c].code for c in demo["recused"]}  # recused (回避)
    version = version_of(aspects)
    for sheet in data.sheets:
        assert sheet.judge == "J02" and sheet.judge_name == j02.name
        assert sheet.panel.version == version and [a.code for a in sheet.panel.aspects] == [a.code for a in aspects]
        ref = parse_sheet_token(sheet.url)
        assert (ref.slug, ref.judge, ref.contestant, ref.version) == (SLUG, "J02", sheet.ref, version)
        assert sheet.url == clerk_url(BASE, SLUG, sheet.token)
        assert sheet.url.startswith("https://scoring.example.org/clerk/c/yulin-childcare-2025?sheet=SCS1%2F")
    flawed = next(x for x in data.sheets if x.ref == entries[demo["flawed"].id].code)
    assert flawed.invalid == {"A1.1"}  # printed struck out, still on the sheet (the version is the panel's)
    sessions = [x.session for x in data.sheets]
    assert sessions == sorted(sessions) and set(sessions) == {"实操第一场", "实操第二场"}
    first = [int(x.station) for x in data.sheets if x.session == "实操第一场"]
    assert first == sorted(first)  # by station within a session: the order judges walk the room


def test_the_sheet_carries_the_scheme_as_declared(demo):
    data = paper_sheets(demo["engine"], demo["cid"], BASE, judge="J02")
    aspects = {a.code: a for a in data.sheets[0].panel.aspects}
    feeding = aspects["A1.3"]
    assert feeding.type == "judgement" and (feeding.min, feeding.max, feeding.step, feeding.max_mark) == (
        "0",
        "3",
        "1",
        "5",
    )
    assert feeding.criteria == (("A", "生活照料"), ("A1", "喂养照护"))
    assert feeding.descriptors[0] == "0 分:与婴幼儿的互动与回应未达到行业标准" and len(feeding.descriptors) == 4
    assert (aspects["A1.1"].max, aspects["A1.1"].step) == ("5", "0.5")
    assert aspects["B3.1"].type == "deduction" and aspects["B3.1"].max == "5"
    clock = aspects["X1"]
    assert (clock.type, clock.time_target, clock.time_limit, clock.max) == ("time", "3600", "5400", "7200")


def test_a_session_narrows_to_the_contestants_seated_in_it(demo):
    engine, cid = demo["engine"], demo["cid"]
    with reading(engine) as s:
        seated = {
            e.code
            for e in s.exec(select(m.DrawEntry).where(m.DrawEntry.competition_id == cid, m.DrawEntry.session == "P2"))
        }
    data = paper_sheets(engine, cid, BASE, session="P2")
    assert data.sheets and {x.ref for x in data.sheets} <= seated
    assert {x.session for x in data.sheets} == {"实操第二场"}
    assert {x.panel.stage for x in data.sheets} == {"实操"}  # the session is of the practical only
    judges = [x.judge for x in data.sheets]
    assert judges == sorted(judges)  # handed out judge by judge


def test_a_panel_by_number_or_name_and_a_theory_panel_is_small(demo):
    engine, cid = demo["engine"], demo["cid"]
    choices = selection_choices(engine, cid)
    number, name = choices["panels"][0]
    by_id = paper_sheets(engine, cid, BASE, panel=str(number))
    assert {x.panel.id for x in by_id.sheets} == {number} and by_id.sheets[0].panel.small
    assert by_id.sheets[0].panel.name == name
    with transaction(engine) as s:
        row = s.get(m.Panel, number)
        row.name = "理论阅卷组"
        s.add(row)
    try:
        by_name = paper_sheets(engine, cid, BASE, panel="理论阅卷组")
        assert [x.ref for x in by_name.sheets] == [x.ref for x in by_id.sheets]
    finally:
        with transaction(engine) as s:
            row = s.get(m.Panel, number)
            row.name = ""
            s.add(row)
    assert ("P1", "实操第一场") in choices["sessions"] and choices["judges"][1][0] == "J02"


@pytest.mark.parametrize(
    ("field", "kwargs", "zh"),
    [
        ("judge", {"judge": "J99"}, "没有编号为 J99 的裁判。"),
        ("session", {"session": "P9"}, "没有编号为 P9 的场次。"),
        ("panel", {"panel": "999"}, "没有编号或名称为 999 的裁判组。"),
        ("", {"judge": "J01"}, "所选范围内没有评分表"),  # the chief judge sits on no panel
    ],
)
def test_a_selection_naming_nothing_is_refused_naming_the_field(demo, field, kwargs, zh):
    with pytest.raises(InvalidInput) as caught:
        paper_sheets(demo["engine"], demo["cid"], BASE, **kwargs)
    problem = caught.value.problems[0]
    assert problem.path == field and problem.message("zh_Hans_CN").startswith(zh)
    assert "%(" not in problem.message("en")


def test_a_long_value_is_not_echoed_whole(demo):
    with pytest.raises(InvalidInput) as caught:
        paper_sheets(demo["engine"], demo["cid"], BASE, judge="J" * 300)
    assert len(caught.value.problems[0].message("en")) < 100


def test_the_same_sheets_on_sqlite_and_postgresql(any_app):
    from scoring.demo import build_demo

    engine = any_app.extensions["scoring.engine"]
    build_demo(engine)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == SLUG)).one()
        judge = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == "J13")).one()
    data = paper_sheets(engine, cid, BASE, judge="J13")  # a hairdressing judge recused from one contestant
    assert sorted(x.ref for x in data.sheets) == sorted(
        r["ref"] for r in judge_sheet(engine, cid, judge.id)["contestants"]
    )
    assert len({x.panel.version for x in data.sheets}) == 1
