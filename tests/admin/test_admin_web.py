"""Console pages through the test client: first-run set-up, roles, CSRF, Chinese by default."""

from __future__ import annotations

from admin_helpers import ORGANIZER, csrf_config, engine_of


def login(client, user=ORGANIZER):
    return client.post("/login", data={"username": user[0], "password": user[1]})


def test_first_run_setup_creates_the_first_organizer_once(client):
    assert client.get("/login").location.endswith("/setup")
    page = client.get("/setup").get_data(as_text=True)
    assert "创建组织者" in page or "Create the organizer" in page
    bad = client.post("/setup", data={"username": "boss", "password": "short", "password2": "short"})
    assert bad.status_code == 422
    ok = client.post("/setup", data={"username": "boss", "password": "secret-pass-1", "password2": "secret-pass-1"})
    assert ok.status_code == 302 and client.get("/admin/").status_code == 200
    assert client.get("/setup").status_code == 404


def test_console_needs_an_organizer_and_viewer_cannot_act(app, client, mini):
    from scoring.services.accounts import create_user

    slug, _cid = mini
    assert client.get(f"/admin/c/{slug}").status_code == 302
    create_user(engine_of(app), "watcher", "watch-pass-1", role="viewer")
    login(client, ("watcher", "watch-pass-1"))
    assert client.get(f"/admin/c/{slug}/draw").status_code == 200
    assert client.post(f"/admin/c/{slug}/draw", data={"action": "draw"}).status_code == 403
    assert client.get("/admin/accounts").status_code == 403


def test_form_without_csrf_token_is_refused(sqlite_url, tmp_path, mini):
    from scoring import create_app

    app = create_app(csrf_config(sqlite_url, tmp_path / "csrf"))
    client = app.test_client()
    refused = client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    assert refused.status_code == 400
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    ok = client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1], "csrf_token": token})
    assert ok.status_code == 302


def test_pages_speak_chinese_first_and_english_on_request(client, mini):
    slug, _cid = mini
    login(client)
    zh = client.get(f"/admin/c/{slug}/contestants").get_data(as_text=True)
    assert 'lang="zh-CN"' in zh and "导入选手" in zh
    en = client.get(f"/admin/c/{slug}/contestants?lang=en").get_data(as_text=True)
    assert "Import contestants" in en
    assert (
        client.get(f"/admin/c/{slug}/contestants/template.csv")
        .data.decode("utf-8-sig")
        .startswith("姓名,性别,单位,县区,组别")
    )
