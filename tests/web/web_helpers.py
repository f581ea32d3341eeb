"""Helpers for the web edge tests: the demo competition on any database, signed-in clients,
and what is stored (marks, audit events)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.demo import DEMO_ORGANIZER

SLUG = "yulin-childcare-2025"
MARKS = f"/api/v1/judging/{SLUG}/marks"


def engine_of(app):
    return app.extensions["scoring.engine"]


def judge(app, code: str = "J02"):
    """A tablet signed in as a demo judge (PIN 10 + the digits of the code)."""
    client = app.test_client()
    r = client.post(f"/judge/c/{SLUG}/signin", data={"code": code, "pin": f"10{code[1:]}"})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client


def organizer(app):
    client = app.test_client()
    r = client.post("/login", data={"username": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[1]})
    assert r.status_code in (302, 303), r.get_data(as_text=True)[:300]
    return client


def stored(app) -> tuple[int, int]:
    """(marks, audit events): what a refused request must leave unchanged."""
    with reading(engine_of(app)) as s:
        return (
            s.exec(select(func.count()).select_from(m.Mark)).one(),
            s.exec(select(func.count()).select_from(m.AuditEvent)).one(),
        )


def unmarked(client) -> str:
    """The draw code of a contestant the signed-in judge has not marked at all."""
    sheet = client.get(f"/api/v1/judging/{SLUG}/sheet").get_json()
    return next(c["ref"] for c in sheet["contestants"] if c["status"] == "missing")


def mark(client, ref: str, value, key: str, aspect: str = "A1.1", based_on: int = 0, **extra):
    return client.post(
        MARKS,
        json={
            "contestant": ref,
            "aspect": aspect,
            "value": value,
            "idempotency_key": key,
            "based_on_version": based_on,
            "client_id": "edge-tablet",
            **extra,
        },
    )
