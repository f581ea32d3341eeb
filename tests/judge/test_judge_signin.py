"""PIN and login-card sign-in, braked per judge and per address (web.brakes), cards for organizers only,
the service worker."""

from __future__ import annotations

import re

from judge_helpers import SLUG, signin


def test_pin_sign_in_leads_to_the_marking_page_and_chief_to_the_grid(app, seeded):
    cl = app.test_client()
    start = cl.get(f"/judge/c/{SLUG}")
    assert start.status_code == 200 and "PIN" in start.get_data(as_text=True)
    assert cl.get(f"/judge/c/{SLUG}/mark").status_code == 302  # not signed in yet
    r = signin(cl, "j02", "1002")  # codes are not case sensitive
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/judge/c/{SLUG}/mark")
    page = cl.get(f"/judge/c/{SLUG}/mark").get_data(as_text=True)
    assert 'lang="zh-CN"' in page and "待发送" in page
    assert "unsent" in cl.get(f"/judge/c/{SLUG}/mark?lang=en").get_data(as_text=True)
    assert cl.get(f"/judge/c/{SLUG}/chief").status_code == 403
    chief = app.test_client()
    assert signin(chief, "J01").headers["Location"].endswith(f"/judge/c/{SLUG}/chief")
    assert chief.get(f"/judge/c/{SLUG}/chief").status_code == 200


def test_wrong_pins_are_throttled_per_judge_not_per_tablet_address(app, seeded):
    cl = app.test_client()
    for _ in range(5):
        r = signin(cl, "J03", "9999")
        assert r.status_code == 401 and "PIN" in r.get_data(as_text=True)
    # the right PIN is refused now too, from this address ...
    assert signin(cl, "J03", "1003").status_code == 429
    # ... and for this judge from any other address
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "127.0.0.9"
    assert signin(other, "J03", "1003").status_code == 429
    # another judge is not affected, on another tablet behind the same address (a venue's NAT) too
    assert signin(app.test_client(), "J04", "1004").status_code == 302
    third = app.test_client()
    third.environ_base["REMOTE_ADDR"] = "127.0.0.10"
    assert signin(third, "J05", "1005").status_code == 302


def test_login_cards_are_for_organizers_and_their_qr_signs_the_judge_in(app, seeded):
    anon = app.test_client()
    assert anon.get(f"/judge/c/{SLUG}/cards").status_code == 302  # to the account sign-in
    judge = app.test_client()
    signin(judge, "J02")
    assert judge.get(f"/judge/c/{SLUG}/cards").status_code == 302  # a judge session is not an account
    org = app.test_client()
    r = org.post("/login", data={"username": "organizer", "password": "demo-organizer"})
    assert r.status_code == 302
    page = org.get(f"/judge/c/{SLUG}/cards").get_data(as_text=True)
    assert "高秀英" in page and "1002" in page and "<svg" in page and "托育 · 实操" in page
    urls = re.findall(r"/judge/card/(\d+\.\d+\.[0-9a-f]+)", page)
    assert urls
    # the QR code's URL signs in a judge
    tablet = app.test_client()
    r = tablet.get(f"/judge/card/{urls[0]}")
    assert r.status_code == 302 and "/judge/c/" in r.headers["Location"]
    assert tablet.get(f"/api/v1/judging/{SLUG}/sheet").status_code == 200
    # a forged or re-issued card does not
    assert app.test_client().get(f"/judge/card/{urls[0][:-4]}beef").status_code == 401
    new_page = org.post(f"/judge/c/{SLUG}/cards").get_data(as_text=True)
    assert urls[0] not in new_page
    assert app.test_client().get(f"/judge/card/{urls[0]}").status_code == 401
    assert signin(app.test_client(), "J02", "1002").status_code == 401  # the old PIN is gone too


def test_service_worker_is_served_under_judge_without_caching(client):
    r = client.get("/judge/sw.js")
    assert r.status_code == 200 and r.mimetype == "application/javascript"
    assert "no-cache" in r.headers["Cache-Control"] and r.headers["Service-Worker-Allowed"] == "/judge/"
    assert "caches.open" in r.get_data(as_text=True)
