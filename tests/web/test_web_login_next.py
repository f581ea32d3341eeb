"""Signing in comes back to the page asked for, and only to a page of this site; the site icon
answers instead of a 404 on every page (issue 11, item 7)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from scoring.services.accounts import create_user

BOSS = ("boss", "boss-password-1")


@pytest.fixture
def organizer_exists(app):
    create_user(app.extensions["scoring.engine"], *BOSS, role="organizer")
    return app


def _next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query)["next"][0]


@pytest.mark.parametrize(("asked", "expected"), [("/admin/", "/admin/"), ("/admin/?lang=en", "/admin/?lang=en")])
def test_the_login_link_names_the_page_without_a_trailing_question_mark(organizer_exists, asked, expected):
    r = organizer_exists.test_client().get(asked)
    assert r.status_code == 302 and urlsplit(r.headers["Location"]).path == "/login"
    assert _next_of(r.headers["Location"]) == expected


@pytest.mark.parametrize(
    ("target", "lands"),
    [
        ("/admin/", "/admin/"),
        ("/admin/?", "/admin/"),  # links made before the fix still land on the page
        ("//evil.example/x", "/"),
        ("/\\evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/admin/\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_after_signing_in_only_a_local_page_is_opened(organizer_exists, target, lands):
    client = organizer_exists.test_client()
    r = client.post("/login", query_string={"next": target}, data=dict(zip(("username", "password"), BOSS)))
    assert r.status_code == 302
    assert r.headers["Location"] == lands


def test_the_site_icon_is_served_and_linked(client):
    r = client.get("/favicon.ico")
    assert r.status_code in (301, 308) and r.headers["Location"].endswith("/static/favicon.svg")
    icon = client.get(r.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").get_data(as_text=True)
