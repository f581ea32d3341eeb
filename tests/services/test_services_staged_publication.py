"""Staged publication (services.staged) on SQLite and PostgreSQL: the theory published while the
practical is still being marked, the audience × state matrix of what the public then sees on the
results page, the results JSON and the boards (nothing of the practical leaks: no score, rank,
total, award or flag), blockers per scope, and result versions numbered consecutively across scopes."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from scoring import models as m
from scoring.db import reading, transaction
from scoring.errors import Conflict
from scoring.services import live_admin, publication, staged
from scoring.services.transfer import import_document

SLUG = "yulin-childcare-2025"


def _import(app, marks: str):
    from scoring.demo_data import childcare_document

    engine = app.extensions["scoring.engine"]
    cid = import_document(engine, childcare_document(marks=marks), actor="test")
    return engine, cid


def _practical_secrets(engine, cid) -> dict[str, set[str]]:
    """Every practical score, total and rank text the organizer sees, per contestant code."""
    report = publication.current_report(engine, cid)
    out = {}
    for g in report["groups"]:
        for r in g["rows"]:
            out[r["code"]] = {r["stages"]["practical"]["score"], r["total"], r["partial_total"]} - {None}
    return out


def _reveal(engine, cid):
    with transaction(engine) as s:
        draw = s.exec(select(m.Draw).where(m.Draw.competition_id == cid)).one()
        draw.revealed_at = m.utcnow()
        draw.revealed_by = "test"
        s.add(draw)


@pytest.fixture
def theory_out(any_app):
    """The practical 40 % marked and open; the theory locked and published for every group (v1)."""
    engine, cid = _import(any_app, "some")
    publication.set_stage_state(engine, cid, "theory", True, "t")
    assert staged.publish_stage(engine, cid, "theory", "", "t") == 1
    return any_app, engine, cid


def test_blockers_are_per_scope(any_app):
    engine, cid = _import(any_app, "some")
    theory = staged.blockers(engine, cid, "theory")
    assert not theory["locked"] and not theory["incomplete"]  # only the lock blocks the theory
    practical = staged.blockers(engine, cid, "practical", "childcare")
    assert practical["incomplete"] and practical["missing"] >= len(practical["incomplete"])
    assert practical["groups"] == ["childcare"]
    with pytest.raises(Conflict):
        staged.publish_stage(engine, cid, "theory", "", "t")  # not locked
    publication.set_stage_state(engine, cid, "practical", True, "t", allow_incomplete=True)
    with pytest.raises(Conflict):
        staged.publish_stage(engine, cid, "practical", "", "t")  # locked, but marks missing
    publication.set_stage_state(engine, cid, "theory", True, "t")
    assert staged.blockers(engine, cid, "theory")["is_clear"]
    assert publication.versions(engine, cid) == []


def test_the_stage_version_holds_theory_alone(theory_out):
    _app, engine, cid = theory_out
    (v,) = publication.versions(engine, cid)
    assert v.scope["stages"] == ["theory"] and v.scope["covers"] == {
        "childcare": ["theory"],
        "hairdressing": ["theory"],
    }
    assert v.content["scope"] == v.scope and v.content_hash == publication.content_hash(v.content)
    with reading(engine) as s:
        assert s.get(m.Competition, cid).visibility == "embargoed"  # the state stays; the stage is out
    for g in v.content["groups"]:
        assert [st["code"] for st in g["stages"]] == ["theory"] and g["awards"] == {}
        ranks = [int(r["stage_ranks"]["theory"]) for r in g["rows"]]
        assert ranks == sorted(ranks)  # ordered by the theory, never by the hidden totals
        for r in g["rows"]:
            assert set(r["stages"]) == {"theory"}
            assert r["rank"] is r["total"] is r["partial_total"] is None and r["awards"] == []
            assert not r["name"] and not r["station"]  # before the reveal: anonymous codes only
    assert v.content["flags"] == []
    with pytest.raises(Conflict):
        staged.publish_stage(engine, cid, "theory", "", "t")  # nothing changed


def _public_texts(app, engine, cid) -> dict[str, str]:
    client = app.test_client()
    pages = {
        "results page": client.get(f"/results/{SLUG}"),
        "results JSON": client.get(f"/results/{SLUG}/v1.json"),
        "board": client.get(f"/board/{SLUG}"),
        "phone": client.get(f"/board/{SLUG}/phone"),
        "standings API": client.get(f"/api/v1/competitions/{SLUG}/standings"),
        "standings CSV": client.get(f"/api/v1/competitions/{SLUG}/standings.csv"),
        "export": client.get(f"/results/{SLUG}/export/childcare.csv"),
    }
    for where, r in pages.items():
        assert r.status_code == 200, where
    return {where: r.get_data(as_text=True) for where, r in pages.items()}


@pytest.mark.parametrize("state", ["embargoed", "live", "frozen"])
def test_public_sees_the_theory_and_nothing_of_the_practical(theory_out, state):
    app, engine, cid = theory_out
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    if state != "embargoed":
        live_admin.set_visibility(engine, cid, state, "t")
    (v,) = publication.versions(engine, cid)
    texts = _public_texts(app, engine, cid)
    for audience in (Audience.PUBLIC, Audience.AUDIENCE):
        payload = visible_standings(engine, cid, audience)
        assert payload["groups"], audience
        published = {g["code"]: {r["code"]: r for r in g["rows"]} for g in v.content["groups"]}
        for g in payload["groups"]:
            assert g["published_stages"] == ["theory"]
            for r in g["rows"]:
                pub = published[g["code"]][r["code"]]  # by anonymous code before the reveal
                assert r["stages"]["theory"] == pub["stages"]["theory"]["score"]
                assert r["stage_ranks"]["theory"] == pub["stage_ranks"]["theory"]
                if state == "embargoed":
                    assert set(r["stages"]) == {"theory"}
                    assert r["rank"] is None and r["total"] is None and r["awards"] == [] and not r["tied"]
        assert payload["flags"] == []
    assert "theory_rank" in texts["standings CSV"].splitlines()[0]
    if state == "embargoed":
        # No practical score, total or partial total of anyone appears on any public surface, nor
        # the practical's name; the theory's own numbers are the only scores there.
        shown = {
            r["stages"]["theory"][k] for g in v.content["groups"] for r in g["rows"] for k in ("score", "weighted")
        }
        hidden = set().union(*_practical_secrets(engine, cid).values()) - shown
        assert hidden
        payload_text = json.dumps(visible_standings(engine, cid, Audience.PUBLIC), ensure_ascii=False)
        for where, text in {**texts, "payload": payload_text}.items():
            leaked = sorted(x for x in hidden if x in text)
            assert not leaked, (where, leaked[:5])
            assert "实操" not in text and "practical" not in text.lower(), where
    # officials still see everything live; judges nothing
    organizer = visible_standings(engine, cid, Audience.ORGANIZER)
    assert any(r["total"] for g in organizer["groups"] for r in g["rows"])
    assert visible_standings(engine, cid, Audience.JUDGE)["groups"] == []


def test_versions_are_numbered_across_scopes_and_the_diff_understands_scope(any_app):
    engine, cid = _import(any_app, "all")
    publication.set_stage_state(engine, cid, "theory", True, "t")
    assert staged.publish_stage(engine, cid, "theory", "childcare", "t") == 1
    assert staged.publish_stage(engine, cid, "theory", "", "t") == 2
    v1, v2 = publication.versions(engine, cid)
    assert [g["code"] for g in v1.content["groups"]] == ["childcare"]
    assert set(v2.scope["covers"]) == {"childcare", "hairdressing"}
    assert publication.diff(v1.content, v2.content) == []  # hairdressing is news, not a change
    publication.set_stage_state(engine, cid, "practical", True, "t")
    _reveal(engine, cid)
    assert publication.publish(engine, cid, "t") == 3  # the full publication: the next number
    versions = publication.versions(engine, cid)
    assert [v.number for v in versions] == [1, 2, 3] and versions[2].scope is None
    assert publication.diff(versions[1].content, versions[2].content) == []  # totals are first published
    with reading(engine) as s:
        assert s.get(m.Competition, cid).visibility == "published"
    with pytest.raises(Conflict):
        staged.publish_stage(engine, cid, "theory", "", "t")  # after the full publication: refused
    assert versions[2].notice_until > versions[1].published_at  # its own 公示


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_console_asks_first_then_publishes_the_stage(any_app, lang):
    from scoring.services.accounts import create_user

    engine, cid = _import(any_app, "some")
    create_user(engine, "boss", "secret-pass-1", role="organizer")
    client = any_app.test_client()
    client.post("/login", data={"username": "boss", "password": "secret-pass-1"})
    q = "?lang=en" if lang == "en" else ""
    page = client.get(f"/admin/c/{SLUG}/publish{q}").get_data(as_text=True)
    assert 'data-test="publish-stage"' in page
    url = f"/admin/c/{SLUG}/publish/stage{q}"
    blocked = client.post(url, data={"stage": "practical", "group": "childcare", "notice_days": "5"})
    text = blocked.get_data(as_text=True)
    assert 'data-test="blockers"' in text and 'data-test="confirm-publish-stage"' not in text
    assert ("results missing" if lang == "en" else "缺少") in text
    publication.set_stage_state(engine, cid, "theory", True, "t")
    ask = client.post(url, data={"stage": "theory", "group": "", "notice_days": "5"})
    text = ask.get_data(as_text=True)
    assert 'data-test="confirm-page"' in text and 'data-test="confirm-publish-stage"' in text
    assert publication.versions(engine, cid) == []  # asking changes nothing
    done = client.post(url, data={"stage": "theory", "group": "", "notice_days": "5", "confirm": "1"})
    assert done.status_code in (302, 303)
    assert [v.number for v in publication.versions(engine, cid)] == [1]
    after = client.get(f"/admin/c/{SLUG}/publish{q}").get_data(as_text=True)
    assert 'data-test="version-scope"' in after
    assert ("Result version 1 is published" if lang == "en" else "v1") in after or "1" in after
    public = client.get(f"/results/{SLUG}{q}").get_data(as_text=True)
    assert 'data-test="stage-rank"' in public and 'data-test="stage-scope"' in public


def test_an_upheld_appeal_in_the_stage_notice_period_republishes_the_stage(theory_out):
    from scoring.demo_data import THEORY_GRADERS
    from scoring.services import appeals

    _app, engine, cid = theory_out
    report = publication.current_report(engine, cid)
    row = report["groups"][0]["rows"][-1]
    group = report["groups"][0]["code"]
    from scoring.services.results import draw_labels

    label = draw_labels(engine, cid)[row["code"]]  # what the public sees of a stage published before the reveal
    appeal = appeals.file_appeal(engine, cid, label, "杨堃", "", "理论成绩登记有误，应为100分", "public")
    n = appeals.decide_appeal(
        engine, cid, appeal, True, "核实无误，予以更正", "t", [(row["code"], "T1", THEORY_GRADERS[group], "100")]
    )
    assert n == 2
    with reading(engine) as s:
        assert s.get(m.Appeal, appeal).contestant == row["code"]
    v1, v2 = publication.versions(engine, cid)
    assert v2.scope == v1.scope and v2.notice_until == v1.notice_until  # the same scope and 公示 window
    changes = publication.diff(v1.content, v2.content)
    assert [(c["field"], c["after"]) for c in changes] == [("theory", "100.00")]
    assert all(r["total"] is None for g in v2.content["groups"] for r in g["rows"])  # still no totals
    with reading(engine) as s:
        assert s.get(m.Competition, cid).visibility == "embargoed"


def test_stage_ranks_share_the_best_place_and_leave_the_missing_unranked():
    ranks = staged.stage_ranks({"a": "90.00", "b": "95.50", "c": "90", "d": None, "e": "80"})
    assert ranks == {"b": "1", "a": "2", "c": "2", "e": "4"}


def test_before_the_reveal_a_team_entrys_members_are_not_published():
    """A team entry's members are names: a stage publication by anonymous code leaves them out
    (the demo's theory is published before the reveal, team event included)."""
    row = {
        "code": "T01",
        "label": "YY-8122",
        "name": "神木队",
        "unit": "",
        "region": "神木市",
        "station": "",
        "status": "ranked",
        "members": [{"name": "叶娟", "unit": "神木市妇幼保健院", "region": "神木市"}],
        "stages": {"theory": {"score": "90.00", "weighted": "27"}, "practical": {"score": None, "weighted": None}},
    }
    report = {"groups": [{"code": "g", "stages": [{"code": "theory"}, {"code": "practical"}], "rows": [row]}]}
    hidden = staged.scoped_report(report, {"g": ["theory"]}, names=False)["groups"][0]["rows"][0]
    assert (hidden["code"], hidden["name"], hidden["members"]) == ("YY-8122", "", [])
    shown = staged.scoped_report(report, {"g": ["theory"]}, names=True)["groups"][0]["rows"][0]
    assert shown["members"] == row["members"]


def test_the_diff_compares_only_what_both_versions_publish():
    def content(scope, rows):
        return {
            **({"scope": scope} if scope else {}),
            "groups": [
                {
                    "code": "g",
                    "name": "G",
                    "stages": [{"code": "theory"}, {"code": "practical"}] if not scope else [{"code": "theory"}],
                    "rows": rows,
                }
            ],
        }

    stage = content(
        {"covers": {"g": ["theory"]}},
        [{"code": "A", "rank": None, "total": None, "awards": [], "stages": {"theory": {"score": "80"}}}],
    )
    full = content(
        None,
        [
            {
                "code": "A",
                "rank": "1",
                "total": "170",
                "awards": ["一等奖"],
                "stages": {"theory": {"score": "85"}, "practical": {"score": "85"}},
            }
        ],
    )
    changes = publication.diff(stage, full)
    assert [(c["field"], c["before"], c["after"]) for c in changes] == [("theory", "80", "85")]
