"""Brakes on the staff sign-in (issue 9, defect 6): failures per user name and per address get
429 with Retry-After and a translated message; odd input to any sign-in is a 4xx, never a 500.
On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scoring.services.accounts import create_user

BOSS = ("boss", "boss-password-1")


@pytest.fixture
def accounts(any_app):
    engine = any_app.extensions["scoring.engine"]
    create_user(engine, *BOSS, role="organizer")
    create_user(engine, "viewer1", "viewer-password-1", role="viewer")
    return any_app


def _login(app, username: str, password: str, address: str = "127.0.0.21", query: str = "", **kw):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client.post(f"/login{query}", data={"username": username, "password": password}, **kw)


def test_staff_sign_in_is_braked_per_user_name(accounts):
    app = accounts
    for i in range(10):
        r = _login(app, "boss", f"guess-{i}", address=f"127.0.0.{30 + i}")  # a spread-out guesser
        assert r.status_code == 401
    r = _login(app, *BOSS)  # even the right password waits now
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 600
    page = r.get_data(as_text=True)
    assert "登录失败次数过多" in page and 'name="password"' in page
    en = _login(app, *BOSS, query="?lang=en")
    assert "Too many failed sign-ins" in en.get_data(as_text=True) and "min" in en.get_data(as_text=True)
    api = _login(app, *BOSS, headers={"Accept": "application/json"})
    assert api.status_code == 429
    assert api.get_json()["error"] == {"status": 429, "code": "too_many", "message": api.get_json()["error"]["message"]}
    assert "Retry-After" in api.headers
    # another account from the very same address is not affected
    assert _login(app, "viewer1", "viewer-password-1").status_code == 302


def test_staff_sign_in_is_braked_per_address(accounts):
    app = accounts
    app.config["SIGNIN_LIMIT_STAFF_ADDRESS"] = "4 per 10 minutes"
    for i in range(4):
        assert _login(app, f"nobody-{i}", "whatever-pass").status_code == 401  # many names, one address
    assert _login(app, *BOSS).status_code == 429
    assert _login(app, *BOSS, address="127.0.0.22").status_code == 302
    # signing in and out again and again is no failure
    for _ in range(6):
        assert _login(app, *BOSS, address="127.0.0.23").status_code == 302


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    token=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)
@example(text="boss\x00", token="1.1.\x00")
@example(text="x" * 5000, token="99999999999999999999.1.x")
@example(text="²", token="²³.1." + "a" * 32)
def test_odd_sign_in_input_is_refused_never_a_server_error(accounts, text, token):
    app = accounts
    app.config.update(
        SIGNIN_LIMIT_ACCOUNT="1000 per minute",
        SIGNIN_LIMIT_STAFF_ADDRESS="1000 per minute",
        SIGNIN_LIMIT_CARD_ADDRESS="1000 per minute",
    )
    client = app.test_client()
    # 400/422: the input layer refuses NUL and over-long fields before the sign-in is tried
    assert client.post("/login", data={"username": text, "password": text}).status_code in (400, 401, 422, 429)
    r = client.get("/judge/card/" + token.replace("/", "").replace("?", "").replace("#", "") + "x")
    assert r.status_code in (400, 401, 404, 429)
