"""Brakes on guessing judges' PINs and login cards (issue 9, defect 6): failures only count, a
tight limit per judge and a generous one per address, so one judge's typos behind a venue's one
address lock out that judge and not the tablets beside it; X-Forwarded-For only from a trusted
proxy; the counters in Redis when configured. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from venue_helpers import SLUG, app_like, engine_of, pin_sign_in, small_venue

from scoring.services import credentials

VENUE_NAT = {"REMOTE_ADDR": "127.0.0.7"}  # every tablet of the hall, behind one address
ELSEWHERE = {"REMOTE_ADDR": "127.0.0.8"}


@pytest.fixture
def venue(any_app):
    return any_app, small_venue(any_app)


def _tablet(app, environ=VENUE_NAT):
    client = app.test_client()
    client.environ_base.update(environ)
    return client


def _card(app, ids, code: str) -> str:
    with app.app_context():
        rows = credentials.cards(engine_of(app), ids["cid"])
    row = next(r for r in rows if r["code"] == code)
    return credentials.card_token(app.config["SECRET_KEY"], row["judge_id"], row["serial"])


def _retry_after(r) -> int:
    value = int(r.headers["Retry-After"])
    assert 0 < value <= 600
    return value


def test_wrong_pins_lock_out_that_judge_while_another_judge_at_the_same_address_signs_in(venue):
    app, _ids = venue
    for _ in range(5):
        r = pin_sign_in(_tablet(app), "J03", "9999")
        assert r.status_code == 401 and "PIN" in r.get_data(as_text=True)
    r = pin_sign_in(_tablet(app), "J03")  # the right PIN is braked now too
    assert r.status_code == 429 and _retry_after(r)
    page = r.get_data(as_text=True)
    assert "PIN 码错误次数过多" in page and re.search(r"请等待 \d+ 分钟", page) and 'name="pin"' in page
    en = pin_sign_in(_tablet(app), "J03", query="?lang=en")
    assert en.status_code == 429 and "Too many wrong PINs" in en.get_data(as_text=True)
    assert pin_sign_in(_tablet(app, ELSEWHERE), "j03 ").status_code == 429  # the same judge from anywhere
    api = pin_sign_in(_tablet(app), "J03", headers={"Accept": "application/json"})
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "too_many" and "Retry-After" in api.headers
    # the tablet beside it, same address, another judge: not affected
    assert pin_sign_in(_tablet(app), "J02").status_code == 302


def test_only_failures_count_and_the_address_limit_holds_many_judges(venue):
    app, _ids = venue
    app.config["SIGNIN_LIMIT_JUDGE_ADDRESS"] = "3 per 10 minutes"
    for _ in range(6):  # successes never use up the allowance
        assert pin_sign_in(_tablet(app), "J01").status_code == 302
    for code in ("J01", "J02", "J03"):  # one typo each, three judges
        assert pin_sign_in(_tablet(app), code, "0000").status_code == 401
    r = pin_sign_in(_tablet(app), "J02")
    assert r.status_code == 429 and _retry_after(r)
    assert pin_sign_in(_tablet(app, ELSEWHERE), "J02").status_code == 302


def test_login_cards_are_braked_per_address(venue):
    app, ids = venue
    app.config["SIGNIN_LIMIT_CARD_ADDRESS"] = "3 per 10 minutes"
    good = _card(app, ids, "J02")
    forged = good[:-4] + ("0000" if not good.endswith("0000") else "1111")
    for bad in (forged, "99999999999999999999.1.x", "１.１." + "a" * 32):
        assert _tablet(app).get(f"/judge/card/{bad}").status_code == 401
    r = _tablet(app).get(f"/judge/card/{good}")
    assert r.status_code == 429 and _retry_after(r) and "登录失败次数过多" in r.get_data(as_text=True)
    assert _tablet(app, ELSEWHERE).get(f"/judge/card/{good}").status_code == 302


def test_x_forwarded_for_counts_only_behind_a_trusted_proxy(venue):
    app, ids = venue
    forged = _card(app, ids, "J02")[:-4] + "dead"

    def attempts(target) -> list[int]:
        out = []
        for i in range(4):
            client = _tablet(target)
            client.environ_base["HTTP_X_FORWARDED_FOR"] = f"127.0.1.{i}"  # a different "client" each time
            out.append(client.get(f"/judge/card/{forged}").status_code)
        return out

    app.config["SIGNIN_LIMIT_CARD_ADDRESS"] = "2 per 10 minutes"
    assert attempts(app) == [401, 401, 429, 429]  # not trusted: the socket peer is the client
    proxied = app_like(app, TRUSTED_PROXIES=1, SIGNIN_LIMIT_CARD_ADDRESS="2 per 10 minutes")
    assert attempts(proxied) == [401, 401, 401, 401]  # trusted: each forwarded client has its own count
    tablet = _tablet(proxied)
    tablet.environ_base["HTTP_X_FORWARDED_FOR"] = "127.0.2.9, 127.0.2.10"
    assert pin_sign_in(tablet, "J02").status_code == 302
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading

    with reading(engine_of(app)) as s:
        event = s.exec(
            select(m.AuditEvent).where(m.AuditEvent.kind == "judge.signed_in").order_by(m.AuditEvent.id.desc())
        ).first()
    assert event.payload["ip"] == "127.0.2.10"  # the address the trusted proxy saw, not one it was told


def test_the_counters_live_in_redis_when_a_limiter_url_is_set(venue, redis_url):
    """Two apps (as two server processes would) share the counts through Redis."""
    import redis

    from scoring.web import brakes

    app, _ids = venue
    slug = f"brakes-{uuid.uuid4().hex[:8]}"  # keys of its own on a Redis other runs may share
    small_venue(app, slug)
    # An address of its own too: the per-address count lives in the same Redis for ten minutes,
    # shared with the other database's run of this test and with earlier runs on this machine.
    n = uuid.uuid4().int
    hall = {"REMOTE_ADDR": f"10.{n % 250}.{(n >> 8) % 250}.{(n >> 16) % 250 + 1}"}
    first = app_like(app, LIMITER_URL=redis_url)
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
    for _ in range(5):
        assert pin_sign_in(_tablet(first, hall), "J03", "9999", slug=slug).status_code == 401
    second = app_like(app, LIMITER_URL=redis_url)  # its own storage object: only Redis is shared
    r = pin_sign_in(_tablet(second, hall), "J03", slug=slug)
    assert r.status_code == 429 and _retry_after(r)
    store = redis.Redis.from_url(redis_url)
    digest = brakes._digest(slug, "J03")
    keys = list(store.scan_iter(match=f"*{digest}*"))
    assert keys
    store.delete(*keys)
    assert pin_sign_in(_tablet(second, hall), "J03", slug=slug).status_code == 302


def test_the_limiter_storage_follows_the_configuration():
    from scoring.web.brakes import storage_uri

    assert storage_uri({}) == "memory://"
    assert storage_uri({"MESSAGE_QUEUE_URL": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    assert (
        storage_uri({"LIMITER_URL": "redis://127.0.0.1:6379/3", "MESSAGE_QUEUE_URL": "redis://127.0.0.1:6379/0"})
        == "redis://127.0.0.1:6379/3"
    )
    assert storage_uri({"MESSAGE_QUEUE_URL": "amqp://127.0.0.1//"}) == "memory://"  # not a Redis: not shared


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    code=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50),
    pin=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=50),
)
@example(code="J02\x00", pin="1002")
@example(code="J02", pin="１００２")
@example(code="J" * 5000, pin="1" * 5000)
def test_odd_pin_input_is_refused_never_a_server_error(venue, code, pin):
    app, _ids = venue
    app.config.update(SIGNIN_LIMIT_JUDGE="1000 per minute", SIGNIN_LIMIT_JUDGE_ADDRESS="1000 per minute")
    r = app.test_client().post(f"/judge/c/{SLUG}/signin", data={"code": code, "pin": pin})
    assert (
        r.status_code in (302, 400, 401, 422) and len(r.get_data()) < 8_000
    )  # the typed code is echoed, cut short; NUL or an over-long field: refused by the input layer
