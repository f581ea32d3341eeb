"""The result lookup page (成绩查询): one generic answer for every failure, the brakes, a short
signed session, and nothing of anyone else reachable through its links."""

from __future__ import annotations

import itertools
import shutil

import pytest
from competitions import publish_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

SLUG = "yulin-childcare-2025"
_addresses = (f"127.0.9.{i}" for i in itertools.count(1))


@pytest.fixture(scope="module")
def world(sqlite_template, tmp_path_factory, make_app):
    from scoring.demo_data import childcare_document

    root = tmp_path_factory.mktemp("lookup")
    shutil.copy(sqlite_template, root / "db.sqlite")
    app = make_app(f"sqlite:///{root / 'db.sqlite'}", root / "instance")
    engine = app.extensions["scoring.engine"]
    cid = publish_document(engine, childcare_document(marks="all"), notice_days=5)
    with reading(engine) as s:
        people = {c.code: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        certs = list(s.exec(select(m.Certificate).where(m.Certificate.competition_id == cid)))
    return {"app": app, "people": people, "certs": certs}


def _client(app):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = next(_addresses)
    return client


def _winner(world):
    holder = world["certs"][0].contestant
    return world["people"][holder]


def test_every_failure_gets_the_same_answer_and_nothing_else(world):
    client = _client(world["app"])
    me, other = _winner(world), world["people"]["C050"]
    answers = [
        client.post(f"/results/{SLUG}/lookup", data=form)
        for form in (
            {"name": me.name, "id_tail": other.id_number[-6:]},  # the wrong ID half
            {"name": other.name, "id_tail": me.id_number[-6:]},  # the wrong name half
            {"name": "无此人", "id_tail": "123456"},  # nobody
            {"code": "ABCDE-FGHJK"},  # no such code
            {"code": "not a code at all"},
        )
    ]
    assert {r.status_code for r in answers} == {401}
    assert len({r.get_data(as_text=True) for r in answers}) == 1
    page = answers[0].get_data(as_text=True)
    assert "未查到与输入信息相符的成绩" in page and me.name not in page
    empty = client.post(f"/results/{SLUG}/lookup", data={"name": me.name})
    assert empty.status_code == 422 and "身份证号后 6 位" in empty.get_data(as_text=True)
    long = client.post(f"/results/{SLUG}/lookup", data={"name": "张" * 5000, "id_tail": "1" * 5000})
    assert long.status_code == 422 and "张" * 300 not in long.get_data(as_text=True)


def test_a_lookup_shows_own_result_report_and_certificate_and_nobody_elses(world):
    client = _client(world["app"])
    me = _winner(world)
    r = client.post(f"/results/{SLUG}/lookup", data={"name": me.name, "id_tail": me.id_number[-6:].lower()})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/results/{SLUG}/lookup")
    page = client.get(f"/results/{SLUG}/lookup").get_data(as_text=True)
    assert me.name in page and 'data-test="lookup-total"' in page and 'data-test="lookup-award"' in page
    assert me.id_number not in page and me.lookup_code not in page and me.phone not in page
    others = [c.name for c in world["people"].values() if c.code != me.code and c.name not in me.unit]
    assert not [n for n in others if n in page]
    report = client.get(f"/results/{SLUG}/lookup/report.pdf")
    assert report.status_code == 200 and report.data.startswith(b"%PDF")
    mine = next(c for c in world["certs"] if c.contestant == me.code)
    pdf = client.get(f"/results/{SLUG}/lookup/certificate/{mine.serial}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    theirs = next(c for c in world["certs"] if c.contestant != me.code)
    assert client.get(f"/results/{SLUG}/lookup/certificate/{theirs.serial}.pdf").status_code == 404
    # another browser with the same links finds nothing
    stranger = _client(world["app"])
    for path in ("report.pdf", f"certificate/{mine.serial}.pdf"):
        r = stranger.get(f"/results/{SLUG}/lookup/{path}")
        assert r.status_code == 302 and r.headers["Location"].endswith(f"/results/{SLUG}/lookup")
    # ending the lookup ends the links too
    client.post(f"/results/{SLUG}/lookup", data={"action": "end"})
    assert client.get(f"/results/{SLUG}/lookup/report.pdf").status_code == 302


def test_the_lookup_session_is_short(world):
    app = world["app"]
    client = _client(app)
    me = _winner(world)
    app.config["LOOKUP_SESSION_MINUTES"] = -1
    try:
        assert client.post(f"/results/{SLUG}/lookup", data={"code": me.lookup_code}).status_code == 302
    finally:
        app.config["LOOKUP_SESSION_MINUTES"] = 15
    assert client.get(f"/results/{SLUG}/lookup/report.pdf").status_code == 302
    assert 'data-test="lookup-result"' not in client.get(f"/results/{SLUG}/lookup").get_data(as_text=True)


def test_the_code_on_the_ticket_is_filled_in_from_its_qr_address(world):
    me = _winner(world)
    page = _client(world["app"]).get(f"/results/{SLUG}/lookup?code={me.lookup_code}").get_data(as_text=True)
    assert f'value="{me.lookup_code[:5]}-{me.lookup_code[5:]}"' in page
    odd = _client(world["app"]).get(f"/results/{SLUG}/lookup?code=<script>").get_data(as_text=True)
    assert "<script>" not in odd.split("</header>", 1)[-1].split("<script", 1)[0]


def test_failed_lookups_are_braked_per_address_with_a_translated_429(world):
    app = world["app"]
    app.config["SIGNIN_LIMIT_LOOKUP_ADDRESS"] = "3 per 10 minutes"
    try:
        client = _client(app)
        for i in range(3):
            assert client.post(f"/results/{SLUG}/lookup", data={"code": f"ABCDE2345{i + 2}"}).status_code == 401
        me = _winner(world)
        r = client.post(f"/results/{SLUG}/lookup", data={"code": me.lookup_code})  # even the right code waits
        assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 600
        assert "查询失败次数过多" in r.get_data(as_text=True) and 'name="code"' in r.get_data(as_text=True)
        en = client.post(f"/results/{SLUG}/lookup?lang=en", data={"code": me.lookup_code})
        assert en.status_code == 429 and "Too many failed lookups" in en.get_data(as_text=True)
        assert _client(app).post(f"/results/{SLUG}/lookup", data={"code": me.lookup_code}).status_code == 302
    finally:
        app.config["SIGNIN_LIMIT_LOOKUP_ADDRESS"] = "20 per 10 minutes"


def test_one_name_is_braked_whatever_the_address(world):
    me = world["people"]["C060"]
    for i in range(5):  # a spread-out guesser of one contestant's ID tail
        r = _client(world["app"]).post(f"/results/{SLUG}/lookup", data={"name": me.name, "id_tail": f"00000{i}"})
        assert r.status_code == 401
    right = _client(world["app"]).post(f"/results/{SLUG}/lookup", data={"name": me.name, "id_tail": me.id_number[-6:]})
    assert right.status_code == 429
    assert _client(world["app"]).post(f"/results/{SLUG}/lookup", data={"code": me.lookup_code}).status_code == 302


def test_a_revoked_certificate_says_so(world):
    """(Last: it revokes a certificate of the shared world.)"""
    from scoring.db import transaction

    engine = world["app"].extensions["scoring.engine"]
    cert = [c for c in world["certs"] if c.contestant in world["people"]][-1]
    with transaction(engine) as s:
        row = s.get(m.Certificate, cert.id)
        row.state, row.replaced_by = "revoked", "ZS-NEXT-0001"
        s.add(row)
    me = world["people"][cert.contestant]
    client = _client(world["app"])
    assert client.post(f"/results/{SLUG}/lookup", data={"code": me.lookup_code}).status_code == 302
    page = client.get(f"/results/{SLUG}/lookup").get_data(as_text=True)
    assert f'data-serial="{cert.serial}" data-state="revoked"' in page and "已撤销" in page and "ZS-NEXT-0001" in page
    pdf = client.get(f"/results/{SLUG}/lookup/certificate/{cert.serial}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
