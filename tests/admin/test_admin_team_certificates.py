"""Team entries get one certificate per member (团体项目: a certificate for every member): each its
own permanent serial, naming the team and the award; a changed award revokes and reissues each
member's certificate, pointing at that member's new one."""

from __future__ import annotations

import copy

import pytest
from sqlmodel import select
from team_helpers import import_locked_example, reveal_identities

from scoring import models as m
from scoring.certificates.render import team_body
from scoring.db import reading, transaction


def _engine(app):
    return app.extensions["scoring.engine"]


@pytest.fixture
def published(any_app):
    from scoring.services.publication import publish

    engine = _engine(any_app)
    cid, _raw = import_locked_example(engine)
    reveal_identities(engine, cid)
    publish(engine, cid, "t")
    return any_app, cid


def _certificates(app, cid):
    with reading(_engine(app)) as s:
        return list(s.exec(select(m.Certificate).where(m.Certificate.competition_id == cid).order_by(m.Certificate.id)))


def test_every_member_gets_a_certificate_of_their_own_naming_the_team(published):
    app, cid = published
    certs = _certificates(app, cid)
    assert [(c.contestant, c.name, c.unit, c.team, c.award) for c in certs] == [
        ("T01", "张燕", "榆阳区妇幼保健院", "榆阳区育婴一队", "一等奖"),
        ("T01", "李娜", "榆阳区阳光托育园", "榆阳区育婴一队", "一等奖"),
        ("T03", "陈静", "府谷县爱心托育园", "府谷县育婴队", "二等奖"),
        ("T03", "杨丽", "府谷县人民医院", "府谷县育婴队", "二等奖"),
        ("T02", "王芳", "神木市第一托育中心", "神木市育婴队", "三等奖"),
        ("T02", "刘洋", "神木市妇幼保健院", "神木市育婴队", "三等奖"),
    ]
    assert len({c.serial for c in certs}) == 6


def test_the_verify_page_and_the_pdf_name_the_team(published):
    from scoring.certificates.service import certificate_pdf

    app, cid = published
    cert = _certificates(app, cid)[1]
    client = app.test_client()
    for query, label in (("", "队伍"), ("?lang=en", "Team")):
        html = client.get(f"/verify/{cert.serial}{query}").get_data(as_text=True)
        assert label in html and 'data-test="verify-team">榆阳区育婴一队<' in html and "李娜" in html
    pdf = certificate_pdf(_engine(app), cid, cert.serial, "http://x")
    assert pdf.startswith(b"%PDF") and certificate_pdf(_engine(app), cid, cert.serial, "http://x") == pdf


def test_a_team_members_certificate_body_names_the_team():
    assert team_body("在{competition}{group}组比赛中荣获", "榆阳区育婴一队") == (
        "作为榆阳区育婴一队队员，在{competition}{group}组比赛中荣获"
    )
    assert team_body("{team}在{group}组荣获", "神木队") == "神木队在{group}组荣获"
    assert team_body("在{competition}{group}组比赛中荣获", "") == "在{competition}{group}组比赛中荣获"


def test_a_changed_award_reissues_each_members_certificate(published):
    from scoring.services.publication import latest_version, new_version

    app, cid = published
    with transaction(_engine(app)) as s:
        report = copy.deepcopy(latest_version(s, cid).content)
        report.pop("number"), report.pop("reason")
        rows = report["groups"][0]["rows"]
        rows[1]["awards"], rows[2]["awards"] = ["三等奖"], ["二等奖"]  # T03 and T02 swap
        new_version(s, cid, report, "t", "corrected", None, "")
    certs = _certificates(app, cid)
    by_serial = {c.serial: c for c in certs}
    old = [c for c in certs if c.state == "revoked"]
    assert sorted(c.name for c in old) == ["刘洋", "杨丽", "王芳", "陈静"]
    for c in old:  # each member's old certificate points at that member's new one
        new = by_serial[c.replaced_by]
        assert (new.name, new.team, new.state) == (c.name, c.team, "valid") and new.award != c.award
    assert len({c.serial for c in certs}) == len(certs) == 10


def test_the_console_lists_each_teams_members_and_its_certificates(published):
    from admin_helpers import ORGANIZER

    from scoring.services.accounts import create_user

    app, _cid = published
    create_user(_engine(app), *ORGANIZER, role="organizer")
    client = app.test_client()
    client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    html = client.get("/admin/c/infant-care-teams/contestants").get_data(as_text=True)
    assert '榆阳区育婴一队<span class="lb-members" data-test="team-members">张燕、李娜</span>' in html
    assert "团体项目（育婴（双人））：请增加“队名”列" in html
    english = client.get("/admin/c/infant-care-teams/contestants?lang=en").get_data(as_text=True)
    assert "Team events (育婴（双人）): add a column Team" in english
    html = client.get("/admin/c/infant-care-teams/certificates").get_data(as_text=True)
    assert '李娜 <span class="muted">榆阳区育婴一队</span>' in html
