"""Staff sessions live on the server: a cookie replayed after sign-out, a password change, a
deactivation or a role change opens nothing (issue 9, defect 1). On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.services.accounts import create_user

BOSS = ("boss", "boss-password-1")
STAFF = ("helper", "helper-password-1")


def _engine(app):
    return app.extensions["scoring.engine"]


def _signed_in(app, username: str, password: str):
    client = app.test_client()
    r = client.post("/login", data={"username": username, "password": password})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return client


def _replay(app, cookie: str):
    """A new browser (or an attacker) presenting a copied session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def _opens_accounts(client) -> bool:
    r = client.get("/admin/accounts")
    return r.status_code == 200 and "helper" in r.get_data(as_text=True)


@pytest.fixture
def staff(any_app):
    boss = create_user(_engine(any_app), *BOSS, role="organizer")
    helper = create_user(_engine(any_app), *STAFF, role="organizer")
    return any_app, boss, helper


def test_a_cookie_replayed_after_logout_does_not_open_the_accounts_page(staff):
    app, _boss, _helper = staff
    client = _signed_in(app, *BOSS)
    cookie = client.get_cookie("session").value
    assert _opens_accounts(client) and _opens_accounts(_replay(app, cookie))  # a copy works while signed in
    assert client.post("/logout").status_code == 302
    replayed = _replay(app, cookie)
    r = replayed.get("/admin/accounts")
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    with reading(_engine(app)) as s:
        row = s.exec(select(m.StaffSession)).one()
    assert row.revoked_at is not None and row.revoked_reason == "logout"


def test_a_new_password_ends_the_users_other_sessions_but_not_the_organizers_own(staff):
    app, boss, helper = staff
    boss_here, boss_there = _signed_in(app, *BOSS), _signed_in(app, *BOSS)
    helper_client = _signed_in(app, *STAFF)
    # the boss gives the helper a new password: every helper session ends
    r = boss_here.post(
        "/admin/accounts", data={"action": "password", "user_id": str(helper), "password": "new-pass-123"}
    )
    assert r.status_code == 302
    assert helper_client.get("/admin/accounts").status_code == 302
    assert _signed_in(app, "helper", "new-pass-123")
    # the boss changes their own password: this browser stays signed in, the other one is out
    r = boss_here.post("/admin/accounts", data={"action": "password", "user_id": str(boss), "password": "boss-new-456"})
    assert r.status_code == 302
    assert _opens_accounts(boss_here)
    assert boss_there.get("/admin/accounts").status_code == 302


@pytest.mark.parametrize("change", [{"action": "deactivate"}, {"action": "role", "role": "viewer"}])
def test_deactivation_and_a_role_change_end_every_session_of_that_account(staff, change):
    app, _boss, helper = staff
    boss_client = _signed_in(app, *BOSS)
    helper_client = _signed_in(app, *STAFF)
    cookie = helper_client.get_cookie("session").value
    assert _opens_accounts(helper_client)
    assert boss_client.post("/admin/accounts", data={"user_id": str(helper), **change}).status_code == 302
    assert helper_client.get("/admin/accounts").status_code == 302
    assert _replay(app, cookie).get("/admin/accounts").status_code == 302
    with reading(_engine(app)) as s:
        reasons = {row.revoked_reason for row in s.exec(select(m.StaffSession).where(m.StaffSession.user_id == helper))}
    assert reasons == {"deactivated" if change["action"] == "deactivate" else "role"}
    assert _opens_accounts(boss_client)


def test_a_cookie_naming_only_a_user_id_is_no_sign_in(staff):
    """Cookies of the old scheme (``user_id`` alone) and made-up session ids are refused."""
    app, boss, _helper = staff
    client = app.test_client()
    with client.session_transaction() as sess:
        sess["user_id"] = boss
    assert client.get("/admin/accounts").status_code == 302
    with client.session_transaction() as sess:
        sess["staff_session"] = "x" * 43
    assert client.get("/admin/accounts").status_code == 302
    with client.session_transaction() as sess:
        sess["staff_session"] = ["not", "a", "string"]
    assert client.get("/admin/accounts").status_code == 302


def test_who_is_signed_in_costs_one_query_per_request(staff):
    """The session and its user are read together, once per request."""
    app, _boss, _helper = staff
    client = _signed_in(app, *BOSS)
    cookie = client.get_cookie("session").value
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # noqa: ANN001
        statements.append(statement)

    from scoring.web import auth

    engine = _engine(app)
    event.listen(engine, "before_cursor_execute", count)
    try:
        with app.test_request_context("/admin/accounts", headers={"Cookie": f"session={cookie}"}):
            assert auth.current_user().username == "boss"
            assert auth.current_user().username == "boss"
    finally:
        event.remove(engine, "before_cursor_execute", count)
    selects = [st for st in statements if st.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1 and "staffsession" in selects[0].lower()


def test_the_organizer_board_socket_needs_a_live_session_too(staff):
    """The live layer asks the same server-side session: a replayed cookie joins no organizer room."""
    from scoring.demo_data import childcare_document
    from scoring.extensions import socketio
    from scoring.services.transfer import import_document

    app, _boss, _helper = staff
    doc = childcare_document(marks="none")
    import_document(_engine(app), doc)
    slug = doc["competition"]["slug"]
    client = _signed_in(app, *BOSS)
    cookie = client.get_cookie("session").value
    want = {"competition": slug, "audience": "organizer"}
    live = socketio.test_client(app, auth=want, flask_test_client=client)
    assert live.is_connected() and any(p["name"] == "standings" for p in live.get_received())
    live.disconnect()
    client.post("/logout")
    replayed = socketio.test_client(app, auth=want, flask_test_client=_replay(app, cookie))
    assert not replayed.is_connected()
