"""The judge simulator's button on the demo's console (admin.simulate): only on the demo, only for
its organizer, never two runs at once, and its progress (marks sent / remaining) until done."""

from __future__ import annotations

import time

import pytest
import requests
from admin_helpers import ORGANIZER

from scoring.demo import DEMO_ORGANIZER
from scoring.demo_simulation import DEMO_SLUG


def test_the_button_is_on_the_demo_console_only_for_its_organizer(app, client, seeded, mini):
    from scoring.services.accounts import create_user

    create_user(app.extensions["scoring.engine"], "chief-user", "correct-horse-1", role="chief")
    client.post("/login", data={"username": "chief-user", "password": "correct-horse-1"})
    page = client.get(f"/admin/c/{DEMO_SLUG}").get_data(as_text=True)
    assert 'data-test="simulate"' not in page
    assert client.post(f"/admin/c/{DEMO_SLUG}/simulate", data={"seconds": "0"}).status_code in (302, 403)
    client.post("/logout")
    client.post("/login", data={"username": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[1]})
    page = client.get(f"/admin/c/{DEMO_SLUG}").get_data(as_text=True)
    assert 'data-test="simulate"' in page and "模拟评委打分" in page and "js/simulate.js" in page
    assert client.get(f"/admin/c/{DEMO_SLUG}/simulate").get_json()["state"] == "idle"
    # any other competition: no button, and the route does not exist for it
    client.post("/logout")
    client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    assert 'data-test="simulate"' not in client.get("/admin/c/mini-2025").get_data(as_text=True)
    assert client.get("/admin/c/mini-2025/simulate").status_code == 404
    assert client.post("/admin/c/mini-2025/simulate", data={"seconds": "0"}).status_code == 404
    # a pace that is not a whole number of seconds from 0 to 600 starts nothing
    client.post("/logout")
    client.post("/login", data={"username": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[1]})
    for bad in ("1e1", "-1", "601", "abc"):
        assert client.post(f"/admin/c/{DEMO_SLUG}/simulate", data={"seconds": bad}).status_code == 422
    assert client.get(f"/admin/c/{DEMO_SLUG}/simulate").get_json()["state"] == "idle"


@pytest.mark.slow  # about 15 s: every missing mark of the demo through the marks API
def test_the_button_starts_one_background_run_and_shows_its_progress(app, seeded, live_server):
    web = requests.Session()
    web.post(f"{live_server}/login", data={"username": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[1]})
    url = f"{live_server}/admin/c/{DEMO_SLUG}/simulate"
    json_only = {"Accept": "application/json"}
    started = web.post(url, data={"seconds": "0"}, headers=json_only)
    assert started.status_code == 202, started.text[:300]
    again = web.post(url, data={"seconds": "0"}, headers=json_only)
    assert again.status_code == 409 and again.json()["error"]["message"] == "评委模拟正在进行中。"
    # the server keeps answering while the judges mark (a real thread, not the request)
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        state = web.get(url, headers=json_only).json()
        seen.append(state["sent"])
        if state["state"] in ("done", "failed"):
            break
        assert web.get(f"{live_server}/healthz").status_code == 200
        time.sleep(0.3)
    assert state["state"] == "done", state
    assert state["remaining"] == 0 and state["sent"] == state["total"] > 4000
    assert len(set(seen)) > 2  # progress was visible on the way
    # finished: the button may start again (and finds nothing left to send)
    rerun = web.post(url, data={"seconds": "0"}, headers=json_only)
    assert rerun.status_code == 202
    while web.get(url, headers=json_only).json()["state"] not in ("done", "failed"):
        time.sleep(0.2)
    assert web.get(url, headers=json_only).json()["total"] == 0
