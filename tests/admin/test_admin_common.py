"""What every console view shares (web.admin.common): the account that acts is the one recorded, a
refusal on a form goes back to the page it came from with the reason, bad input is reported in the
reader's language, and links handed out use the configured public address."""

from __future__ import annotations

from admin_helpers import ORGANIZER, engine_of
from sqlmodel import select

from scoring import models as m
from scoring.db import reading


def _organizer(app):
    client = app.test_client()
    assert client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]}).status_code == 302
    return client


def test_the_signed_in_account_is_recorded_as_the_actor(app, mini):
    slug, cid = mini
    r = _organizer(app).post(f"/admin/c/{slug}/setup", data={"what": "group", "code": "hair", "name": "美发"})
    assert r.status_code == 302 and r.location.endswith(f"/admin/c/{slug}/setup")  # back to the same page
    with reading(engine_of(app)) as s:
        event = s.exec(
            select(m.AuditEvent).where(m.AuditEvent.competition_id == cid, m.AuditEvent.kind == "group.added")
        ).one()
    assert event.actor == ORGANIZER[0] and event.subject == "hair"


def test_a_refused_form_goes_back_to_its_page_with_the_reason(app, mini):
    slug, _cid = mini
    client = _organizer(app)
    page = f"http://localhost/admin/c/{slug}/draw"
    r = client.post(f"/admin/c/{slug}/draw", data={"action": "reveal"}, headers={"Referer": page})
    assert r.status_code == 302 and r.location == page
    assert "尚未抽签。" in client.get(r.location).get_data(as_text=True)


def test_a_refusal_without_a_page_to_go_back_to_is_an_error_page_or_json(app, mini):
    slug, _cid = mini
    client = _organizer(app)
    page = client.post(f"/admin/c/{slug}/draw?lang=en", data={"action": "reveal"})
    assert page.status_code == 404 and "No draw has been made yet." in page.get_data(as_text=True)
    api = client.post(f"/admin/c/{slug}/draw", data={"action": "reveal"}, headers={"Accept": "application/json"})
    assert (
        api.status_code == 404 and api.get_json()["error"]["message"] == "No draw has been made yet."
    )  # the choice stays


def test_bad_input_is_reported_in_the_readers_language_and_changes_nothing(app, mini):
    slug, cid = mini
    client = _organizer(app)
    zh = client.post(f"/admin/c/{slug}/contestants", data={})
    assert zh.status_code == 422 and "请选择要上传的文件。" in zh.get_data(as_text=True)
    en = client.post(f"/admin/c/{slug}/contestants?lang=en", data={})
    assert en.status_code == 422 and "Choose a file to upload." in en.get_data(as_text=True)
    with reading(engine_of(app)) as s:
        assert s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid)).first() is None


def test_links_handed_out_use_the_public_address_when_one_is_configured(app):
    from scoring.web.admin.common import base_url

    with app.test_request_context("/admin/", base_url="http://10.0.0.5:5000"):
        assert base_url() == "http://10.0.0.5:5000/"
    app.config["PUBLIC_BASE_URL"] = "https://scores.example.org/"
    with app.test_request_context("/admin/", base_url="http://10.0.0.5:5000"):
        assert base_url() == "https://scores.example.org/"
