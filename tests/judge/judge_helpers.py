"""Helpers for the judges' side tests: sign-in with the demo PINs, sheets, marks."""

from __future__ import annotations

from sqlmodel import select

from scoring import models as m
from scoring.db import reading

SLUG = "yulin-childcare-2025"


def engine_of(app):
    return app.extensions["scoring.engine"]


def signin(client, code: str, pin: str | None = None, slug: str = SLUG):
    pin = pin or f"10{code[1:]}"
    return client.post(f"/judge/c/{slug}/signin", data={"code": code, "pin": pin})


def sheet_of(client, slug: str = SLUG) -> dict:
    r = client.get(f"/api/v1/judging/{slug}/sheet")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def unmarked(sheet: dict) -> dict:
    """A contestant of the judge's practical panel with no marks at all yet."""
    return next(c for c in sheet["contestants"] if c["status"] == "missing" and len(c["marks"]) > 1)


def panel_of(sheet: dict, contestant: dict) -> dict:
    return next(p for p in sheet["panels"] if p["id"] == contestant["panel_id"])


def a_value(aspect: dict) -> str:
    """A valid entry for any aspect type."""
    if aspect["type"] == "judgement":
        return "2"
    if aspect["type"] == "deduction":
        return "1"
    if aspect["type"] == "time":
        return "3900"
    return aspect["max"]


def post_mark(client, ref: str, aspect: str, value, key: str, based_on: int = 0, slug: str = SLUG, **extra):
    return client.post(
        f"/api/v1/judging/{slug}/marks",
        json={
            "contestant": ref,
            "aspect": aspect,
            "value": value,
            "idempotency_key": key,
            "based_on_version": based_on,
            "client_id": "test-tablet",
            **extra,
        },
    )


def competition_id(app, slug: str = SLUG) -> int:
    with reading(engine_of(app)) as s:
        return s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one()
