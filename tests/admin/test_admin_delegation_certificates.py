"""Delegations get certificates for a team standing's awards (团体一等奖…, issue 12 item 2): one
per delegation award at publication, each with its own permanent serial from the registry the
individual ones use; a later version that changes a delegation's award revokes its certificate
(with the reason, pointing at the new one) and issues a new serial. On SQLite and PostgreSQL."""

from __future__ import annotations

import copy

import pytest
from admin_helpers import COUNTY, ORGANIZER, engine_of, team_standing_competition
from sqlmodel import select

from scoring import models as m
from scoring.certificates.render import delegation_body
from scoring.db import reading, transaction

COUNTY_WITH_AWARDS = {
    **COUNTY,
    "awards": [
        {
            "name": "team prizes",
            "kind": "fixed_count",
            "tiers": [{"name": "团体一等奖", "count": 1}, {"name": "团体二等奖", "count": 1}],
        }
    ],
}


@pytest.fixture
def published(any_app):
    from scoring.services import publication

    cid = team_standing_competition(any_app, COUNTY_WITH_AWARDS)
    assert publication.publish(engine_of(any_app), cid, "t") == 1
    return any_app, cid


def _delegation_certificates(app, cid) -> list[m.Certificate]:
    with reading(engine_of(app)) as s:
        q = select(m.Certificate).where(m.Certificate.competition_id == cid, m.Certificate.standing != "")
        return list(s.exec(q.order_by(m.Certificate.id)))


def test_each_delegation_award_gets_a_certificate_with_its_own_serial(published):
    app, cid = published
    certs = _delegation_certificates(app, cid)
    # 东县 90.5 + 70 = 160.5, 西县 95 (+ 0 for the missing second), "=1+1" 60: no award
    assert [(c.name, c.award, c.group_name, c.standing, c.unit, c.state) for c in certs] == [
        ("东县", "团体一等奖", "县区团体总分", "county", "", "valid"),
        ("西县", "团体二等奖", "县区团体总分", "county", "", "valid"),
    ]
    with reading(engine_of(app)) as s:
        serials = [c.serial for c in s.exec(select(m.Certificate).where(m.Certificate.competition_id == cid))]
    assert len(serials) == len(set(serials)) > 2  # the individuals' and the delegations' from one registry
    assert all(c.serial.startswith(serials[0].rsplit("-", 1)[0]) for c in certs)


def test_the_verify_page_and_the_pdf_name_the_delegation_and_the_standing(published):
    from scoring.certificates.service import certificate_pdf

    app, cid = published
    cert = _delegation_certificates(app, cid)[0]
    client = app.test_client()
    for query, words in (("", ("代表队", "团体排名", "有效")), ("?lang=en", ("Delegation", "Team standing", "Valid"))):
        html = client.get(f"/verify/{cert.serial}{query}").get_data(as_text=True)
        assert 'data-state="valid"' in html and 'data-test="verify-holder">东县<' in html
        assert 'data-test="verify-award">团体一等奖<' in html and 'data-test="verify-group">县区团体总分<' in html
        for word in words:
            assert word in html
    pdf = certificate_pdf(engine_of(app), cid, cert.serial, "http://x")
    assert pdf.startswith(b"%PDF") and certificate_pdf(engine_of(app), cid, cert.serial, "http://x") == pdf


def test_a_delegations_certificate_body_names_the_standing_not_a_group():
    assert delegation_body("在{competition}{group}组比赛中荣获") == "在{competition}{group}比赛中荣获"
    assert delegation_body("{group}荣获") == "{group}荣获"


def test_a_changed_team_award_revokes_and_reissues_the_delegations_certificate(published):
    from scoring.services.publication import latest_version, new_version

    app, cid = published
    before = {c.name: c.serial for c in _delegation_certificates(app, cid)}
    with reading(engine_of(app)) as s:
        individual = {c.serial for c in s.exec(select(m.Certificate).where(m.Certificate.standing == ""))}
    with transaction(engine_of(app)) as s:
        report = copy.deepcopy(latest_version(s, cid).content)
        report.pop("number"), report.pop("reason")
        rows = report["team_standings"][0]["rows"]
        rows[0]["awards"], rows[1]["awards"] = ["团体二等奖"], ["团体一等奖"]  # an upheld appeal swaps them
        new_version(s, cid, report, "t", "appeal upheld", None, "")
    certs = _delegation_certificates(app, cid)
    by_serial = {c.serial: c for c in certs}
    for name, serial in before.items():
        old = by_serial[serial]
        assert old.state == "revoked" and old.revoked_reason == "result version 2: appeal upheld"
        new = by_serial[old.replaced_by]
        assert (new.name, new.state, new.result_version) == (name, "valid", 2) and new.award != old.award
        assert new.serial not in before.values()
    assert {(c.name, c.award) for c in certs if c.state == "valid"} == {
        ("东县", "团体二等奖"),
        ("西县", "团体一等奖"),
    }
    with reading(engine_of(app)) as s:
        everything = list(s.exec(select(m.Certificate)))
    assert len({c.serial for c in everything}) == len(everything)
    assert {c.serial for c in everything if c.standing == "" and c.state == "valid"} == individual  # untouched
    html = app.test_client().get(f"/verify/{before['东县']}").get_data(as_text=True)
    assert 'data-state="revoked"' in html and by_serial[before["东县"]].replaced_by in html


def test_republishing_unchanged_team_awards_keeps_the_delegations_certificates(published):
    from scoring.services.publication import latest_version, new_version

    app, cid = published
    before = [(c.serial, c.state) for c in _delegation_certificates(app, cid)]
    with transaction(engine_of(app)) as s:
        report = copy.deepcopy(latest_version(s, cid).content)
        report.pop("number"), report.pop("reason")
        report["groups"][0]["rows"][0]["awards"] = []  # an individual change only
        new_version(s, cid, report, "t", "corrected", None, "")
    assert [(c.serial, c.state) for c in _delegation_certificates(app, cid)] == before


def test_the_console_lists_the_delegations_certificates(published):
    from scoring.services.accounts import create_user

    app, cid = published
    create_user(engine_of(app), *ORGANIZER, role="organizer")
    client = app.test_client()
    client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    with reading(engine_of(app)) as s:
        slug = s.get(m.Competition, cid).slug
    html = client.get(f"/admin/c/{slug}/certificates").get_data(as_text=True)
    serial = _delegation_certificates(app, cid)[0].serial
    row = html[html.index(f'data-serial="{serial}"') :]
    row = row[: row.index("</tr>")]
    assert "东县" in row and 'data-test="certificate-delegation">代表队<' in row
    assert "县区团体总分" in row and "团体一等奖" in row
    assert "<summary>团体一等奖</summary>" in html  # its own template can be designed
