"""Security headers on every response, and pages the Content-Security-Policy can allow: every GET
route of the app (read from ``app.url_map``, so a new page is checked too), as every kind of
visitor, carries the headers; every HTML page has no inline script, event handler, ``javascript:``
URL or inline style."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from scoring.web.headers import content_security_policy

SLUG = "yulin-childcare-2025"
# a value for each route argument; a new argument fails the test until it gets one here
SAMPLES = {
    "slug": SLUG,
    "group": "childcare",
    "fmt": ("csv", "xlsx", "pdf"),
    "kind": ("csv", "xlsx"),
    "serial": "NO-SUCH-SERIAL",
    "job_id": "1",
    "token": "not-a-card",
    "number": "1",
    "filename": "css/app.css",
    "name": "screen-1",
    "judge": "J02",
    "sheet_id": "1",
}
NOT_PAGES = {"static"}  # files: headers checked on one sample only


def _paths(app) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        missing = [a for a in rule.arguments if a not in SAMPLES]
        assert not missing, f"{rule.rule}: give the argument(s) {missing} a sample value in SAMPLES"
        variants = [{}]
        for arg in rule.arguments:
            values = SAMPLES[arg] if isinstance(SAMPLES[arg], tuple) else (SAMPLES[arg],)
            variants = [{**v, arg: value} for v in variants for value in values]
        for v in variants:
            path = rule.rule
            for arg, value in v.items():
                path = path.replace(f"<{arg}>", value).replace(f"<int:{arg}>", value).replace(f"<path:{arg}>", value)
            paths.append(path)
    return sorted(set(paths))


class _Inline(HTMLParser):
    """Whatever in a page the policy would block: inline script, handlers, javascript: URLs, style."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if "src" not in a and a.get("type") != "application/json":
                self.found.append(f"inline <script type={a.get('type')!r}>")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name == "style":
                self.found.append(f"<{tag} style={value!r}>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")


def _visitors(app):
    """Anonymous, the organizer, a judge (J02) and the chief judge (J01) of the demo."""
    from scoring.demo import DEMO_ORGANIZER

    anon, organizer, judge, chief = (app.test_client() for _ in range(4))
    assert organizer.post("/login", data=dict(zip(("username", "password"), DEMO_ORGANIZER))).status_code == 302
    for client, code in ((judge, "J02"), (chief, "J01")):
        r = client.post(f"/judge/c/{SLUG}/signin", data={"code": code, "pin": f"10{code[1:]}"})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return {"anonymous": anon, "organizer": organizer, "judge": judge, "chief": chief}


def _assert_headers(r, where: str) -> None:
    csp = r.headers.get("Content-Security-Policy", "")
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "style-src 'self'",
    ):
        assert directive in csp, f"{where}: CSP lacks {directive!r}: {csp!r}"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert r.headers.get("X-Frame-Options") == "DENY", where
    assert r.headers.get("X-Content-Type-Options") == "nosniff", where
    assert r.headers.get("Referrer-Policy") == "same-origin", where


def test_every_page_for_every_visitor_carries_the_headers_and_no_inline_script(app, seeded):
    visitors = _visitors(app)
    pages = 0
    for path in _paths(app):
        for who, client in visitors.items():
            r = client.get(path)
            where = f"GET {path} as {who} ({r.status_code})"
            assert r.status_code < 500, where
            _assert_headers(r, where)
            if r.mimetype == "text/html":
                pages += 1
                parser = _Inline()
                parser.feed(r.get_data(as_text=True))
                assert parser.found == [], f"{where}: {parser.found}"
    assert pages > 60  # the enumeration reached the pages, not only error answers


def test_main_pages_render_for_their_audience(app, seeded):
    """The pages the Playwright test opens are real pages here (200), not error pages."""
    v = _visitors(app)
    for who, path in (
        ("anonymous", f"/board/{SLUG}"),
        ("anonymous", f"/board/{SLUG}/phone"),
        ("judge", f"/judge/c/{SLUG}/mark"),
        ("chief", f"/judge/c/{SLUG}/chief"),
        ("organizer", f"/admin/c/{SLUG}"),
        ("organizer", f"/admin/c/{SLUG}/monitor"),
        ("organizer", f"/screens/{SLUG}"),
        ("organizer", f"/judge/c/{SLUG}/cards"),
    ):
        assert v[who].get(path).status_code == 200, (who, path)


def test_errors_and_api_answers_carry_the_headers_too(app, seeded):
    client = app.test_client()
    for r in (
        client.get("/no/such/page"),
        client.get(f"/api/v1/competitions/{SLUG}/standings"),
        client.post(f"/api/v1/judging/{SLUG}/marks", json={}),
        client.get("/judge/sw.js"),
    ):
        _assert_headers(r, f"{r.request.path} {r.status_code}")


def test_websocket_source_is_the_page_host_only():
    assert "ws://board.local:5000 wss://board.local:5000" in content_security_policy("board.local:5000")
    assert "ws://[::1]:8000" in content_security_policy("[::1]:8000")
    hostile = content_security_policy("x; script-src *")
    assert "script-src *" not in hostile and "ws:" not in hostile


@pytest.mark.parametrize(
    "setting, on", [("", False), ("1", True), ("TRUE", True), ("on", True), ("off", False), ("0", False)]
)
def test_secure_cookies_setting_is_read_from_the_environment(setting, on, monkeypatch):
    from scoring.config import env_flag

    monkeypatch.setenv("SCORING_SECURE_COOKIES", setting)
    assert env_flag("SCORING_SECURE_COOKIES") is on


@pytest.mark.parametrize("secure", [False, True])
def test_secure_cookies_mark_the_session_cookie_and_send_hsts(secure, sqlite_url, tmp_path):
    from scoring import create_app
    from scoring.config import Config

    class SecureConfig(Config):
        INSTANCE_PATH = tmp_path / "instance"
        DATABASE_URL = sqlite_url
        TESTING = True
        SECURE_COOKIES = secure

        def __init__(self):
            self.SECRET_KEY = "test-secret"

    app = create_app(SecureConfig())
    r = app.test_client().get("/?lang=en")
    cookie = r.headers.get("Set-Cookie", "")
    assert "session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("; Secure" in cookie) is secure
    assert ("Strict-Transport-Security" in r.headers) is secure
