"""The marks hot path skips re-signing the session cookie and remembers verified cookies
(web.sessions); none of that may let an expired, forged or replaced sign-in through."""

from __future__ import annotations

import time
from datetime import timedelta

from judge_helpers import SLUG, post_mark, sheet_of, unmarked


def test_a_mark_response_does_not_resend_the_cookie_but_pages_still_do(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    r = post_mark(judge_client, c["ref"], "A1.1", "4", "quiet-1")
    assert r.status_code == 201
    assert "Set-Cookie" not in r.headers
    page = judge_client.get(f"/judge/c/{SLUG}/mark")
    assert page.status_code == 200 and "Set-Cookie" in page.headers  # pages keep the sliding refresh


def test_a_remembered_cookie_still_expires_on_time(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "exp-1").status_code == 201  # verified and remembered
    app.permanent_session_lifetime = timedelta(seconds=0)
    time.sleep(1.1)
    r = post_mark(judge_client, c["ref"], "A1.1", "5", "exp-2", based_on=1)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "not_signed_in"


def test_a_forged_cookie_is_refused_even_next_to_a_remembered_one(app, judge_client):
    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "forge-1").status_code == 201
    good = judge_client.get_cookie("session").value
    head, sig = good.rsplit(".", 1)
    forged = app.test_client()
    forged.set_cookie("session", head + "." + ("A" if sig[0] != "A" else "B") + sig[1:])
    r = post_mark(forged, c["ref"], "A1.1", "5", "forge-2", based_on=1)
    assert r.status_code == 401


def test_a_changed_session_is_still_saved_on_the_quiet_path(app, judge_client):
    """Signing in again on the same tablet (a changed session) replaces the cookie as usual."""
    from judge_helpers import signin

    before = judge_client.get_cookie("session").value
    assert signin(judge_client, "J03").status_code == 302
    assert judge_client.get_cookie("session").value != before
    assert sheet_of(judge_client)["judge"]["code"] == "J03"


def test_a_replaced_competition_is_found_again_by_its_slug(app, judge_client):
    """The marks route remembers slug -> id; after the competition is replaced (a new id under the
    same slug), an old tablet is told to sign in again and a fresh sign-in marks the new one."""
    from judge_helpers import competition_id, engine_of, signin

    from scoring.services.judging import set_pins
    from scoring.services.transfer import export_document, import_document

    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "old-1").status_code == 201  # slug remembered
    engine = engine_of(app)
    old_id = competition_id(app)
    doc = export_document(engine, old_id)
    import_document(engine, {**doc, "competition": {**doc["competition"], "slug": "filler"}})  # ids move on
    new_id = import_document(engine, doc, replace=True, keep_history=True)  # the demo's theory is published
    assert new_id != old_id
    set_pins(engine, new_id, {"J02": "1002"})
    r = post_mark(judge_client, c["ref"], "A1.1", "5", "old-2", based_on=1)
    assert r.status_code == 401  # the old sign-in was for the old competition
    fresh = app.test_client()
    assert signin(fresh, "J02").status_code == 302
    r = post_mark(fresh, c["ref"], "A1.1", "5", "new-1", based_on=1)
    assert r.status_code == 201, r.get_data(as_text=True)


def test_a_tablet_signed_in_before_a_replace_cannot_mark_in_the_replacement(app, judge_client):
    """A replaced competition's judges come back in another order: a sign-in names the competition's
    generation, so the old tablet is told to sign in again (its marks wait in its outbox) instead of
    marking as whoever holds its judge code or id now."""
    from judge_helpers import competition_id, engine_of, signin

    from scoring.services.judging import set_pins
    from scoring.services.transfer import export_document, import_document

    c = unmarked(sheet_of(judge_client))
    assert post_mark(judge_client, c["ref"], "A1.1", "4", "gen-1").status_code == 201
    engine = engine_of(app)
    old_id = competition_id(app)
    doc = export_document(engine, old_id)
    doc["judges"] = list(reversed(doc["judges"]))  # same people, new ids in another order
    new_id = import_document(engine, doc, replace=True, keep_history=True)  # the demo's theory is published
    # a replace inserts the new competition before it removes the old one (services.transfer), so
    # even SQLite no longer hands the id back; the judges' ids are new all the same, and the
    # generation still tells the old sign-in apart
    assert new_id != old_id
    set_pins(engine, new_id, {"J02": "1002"})
    r = post_mark(judge_client, c["ref"], "A1.1", "5", "gen-2", based_on=1)
    assert r.status_code == 401 and r.get_json()["error"]["code"] == "not_signed_in"
    assert judge_client.get(f"/api/v1/judging/{SLUG}/sheet").status_code == 401
    assert signin(judge_client, "J02").status_code == 302
    assert post_mark(judge_client, c["ref"], "A1.1", "5", "gen-3", based_on=1).status_code == 201
