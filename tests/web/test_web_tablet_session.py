"""The tablet's sign-in (web.tablet_session): whose tablet this is, for which competition, until when,
and only with the judge's current credentials. The demo competition on a real database; the functions
are asked inside a request as the judge's pages, the judging API and the access check ask them."""

from __future__ import annotations

import time
from datetime import timedelta

from flask import session
from sqlmodel import select
from web_helpers import SLUG, engine_of

from scoring import models as m
from scoring.db import reading
from scoring.services import credentials
from scoring.web.tablet_session import SESSION_KEY, current_judge, judge_page, sign_in, sign_out


def _competition_and_judge(app, code: str) -> tuple[m.Competition, m.Judge]:
    with reading(engine_of(app)) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == SLUG)).one()
        judge = s.exec(select(m.Judge).where(m.Judge.competition_id == comp.id, m.Judge.code == code)).one()
    return comp, judge


def test_a_signed_in_tablet_names_its_judge_for_that_competition_only(app, seeded):
    comp, judge = _competition_and_judge(app, "J02")
    with app.test_request_context(f"/judge/c/{SLUG}/mark"):
        assert current_judge(comp.id) is None  # nobody signed in yet
        sign_in(judge, comp)
        who = current_judge(comp.id, comp.created_at)
        assert (who.judge_id, who.competition_id, who.code, who.role) == (judge.id, comp.id, "J02", "judge")
        assert current_judge(comp.id + 1) is None  # another competition: not signed in there
        assert current_judge(comp.id, comp.created_at + timedelta(seconds=1)) is None  # a replacement of it
        sign_out()
        assert current_judge(comp.id) is None


def test_a_sign_in_lasts_one_competition_day(app, seeded):
    comp, judge = _competition_and_judge(app, "J01")
    with app.test_request_context("/"):
        sign_in(judge, comp)
        assert current_judge(comp.id).role == "chief"
        assert 13 * 3600 < session[SESSION_KEY]["exp"] - time.time() <= 14 * 3600
        session[SESSION_KEY]["exp"] = int(time.time()) - 1
        assert current_judge(comp.id) is None


def test_a_session_that_is_not_a_sign_in_names_nobody(app, seeded):
    comp, _judge = _competition_and_judge(app, "J02")
    for junk in (
        "J02",
        ["J02"],
        {"id": 1},
        {"id": 1, "cid": comp.id, "code": "J02", "exp": "9999999999"},
        {"id": 1, "cid": comp.id, "code": "J02", "exp": None},
    ):
        with app.test_request_context("/"):
            session[SESSION_KEY] = junk
            assert current_judge(comp.id) is None, junk


def test_new_cards_end_the_sign_in_where_credentials_are_checked(app, seeded):
    """Pages and the access check verify the epoch at once; the marks hot path (neither ``created_at``
    nor ``verify``) leaves that to the service's cache (tests/judge/test_judge_revocation.py)."""
    comp, judge = _competition_and_judge(app, "J02")
    with app.test_request_context("/"):
        sign_in(judge, comp)
        assert current_judge(comp.id, verify=True) is not None
    credentials.cards(engine_of(app), comp.id, reissue=True, actor="test")
    with app.test_request_context("/"):
        sign_in(judge, comp)  # as it was made before the reissue (the judge row read before it)
        assert current_judge(comp.id, verify=True) is None
        assert current_judge(comp.id, comp.created_at) is None
        assert current_judge(comp.id) is not None  # the hot path's cheap answer: the service checks


def test_a_judge_page_sends_a_stranger_to_the_sign_in_and_a_judge_to_the_page(app, seeded):
    comp, judge = _competition_and_judge(app, "J02")

    @judge_page
    def page(comp, who):
        return f"{comp.slug}:{who.code}"

    with app.test_request_context(f"/judge/c/{SLUG}/mark"):
        answer = page(SLUG)
        assert answer.status_code == 302 and answer.location.endswith(f"/judge/c/{SLUG}")
        sign_in(judge, comp)
        assert page(SLUG) == f"{SLUG}:J02"
