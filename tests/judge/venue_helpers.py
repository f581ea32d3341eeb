"""A small competition for the sign-in tests on both databases: three judges with known PINs
(J01 chief 1001, J02 1002, J03 1003; J02 and J03 on the one panel), four contestants, an
organizer account."""

from __future__ import annotations

from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services import credentials
from scoring.services.accounts import create_user
from scoring.services.transfer import import_document

SLUG = "revoke-2025"
ORGANIZER = ("boss", "boss-password-1")


def document(slug: str = SLUG) -> dict:
    judges = [
        {"code": "J01", "name": "王裁判长", "role": "chief"},
        {"code": "J02", "name": "李裁判"},
        {"code": "J03", "name": "赵裁判"},
    ]
    return {
        "format": "scoring-competition",
        "version": 1,
        "competition": {"slug": slug, "name": "撤销测试赛", "visibility": "live"},
        "rules": {"ranking": "standard", "weight_kind": "percent"},
        "groups": [{"code": "g", "name": "托育"}],
        "stages": [{"code": "p", "name": "实操", "weight": "100", "max_mark": "10"}],
        "scheme": [
            {
                "code": "A",
                "name": "操作",
                "stage": "p",
                "aspects": [{"code": "A1", "name": "步骤", "type": "measurement", "max_mark": "10", "step": "0.5"}],
            }
        ],
        "contestants": [{"code": f"C{i}", "name": f"选手{i}", "group": "g"} for i in range(1, 5)],
        "judges": judges,
        "panels": [{"group": "g", "stage": "p", "judges": ["J02", "J03"]}],
        "recusals": [],
        "marks": [],
    }


def engine_of(app):
    return app.extensions["scoring.engine"]


def small_venue(app, slug: str = SLUG) -> dict:
    """Import the competition into ``app``; returns the ids by code."""
    engine = engine_of(app)
    cid = import_document(engine, document(slug))
    credentials.set_pins(engine, cid, {"J01": "1001", "J02": "1002", "J03": "1003"}, actor="test")
    if slug == SLUG:
        create_user(engine, *ORGANIZER, role="organizer")
    with reading(engine) as s:
        judges = {j.code: j.id for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        people = {c.code: c.id for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
        panel = s.exec(select(m.Panel.id).where(m.Panel.competition_id == cid)).one()
    return {"cid": cid, "judges": judges, "people": people, "panel": panel}


def pin_sign_in(client, code: str, pin: str | None = None, slug: str = SLUG, query: str = "", **kw):
    """Post the tablet's sign-in form (the known PINs by default: 100 + the code's last digit)."""
    return client.post(f"/judge/c/{slug}/signin{query}", data={"code": code, "pin": pin or f"100{code[-1]}"}, **kw)


def app_like(app, **changes):
    """Another app on the same database with the same settings but ``changes`` (settings that
    act when the app is built, such as TRUSTED_PROXIES)."""
    from types import SimpleNamespace

    from scoring import create_app

    return create_app(SimpleNamespace(**{**app.config, **changes}))
