"""Every route × every kind of caller, generated from ``app.url_map``.

The expectations below are the policy written out independently of ``scoring/web/access.py``:
a route added without a rule fails ``test_every_route_has_an_access_rule``, and a route added
without a line here fails ``test_every_route_has_an_expectation`` (both name it). Each cell
sends the route a real request (Flask test client, real SQLite) with harmless values from the
demo competition A and a second competition B, and checks the status class: a refusal is 401,
403 or a redirect to a sign-in page; anything else means the view ran. No cell may answer 5xx.
Reads by the chief judge's and the viewer's accounts must not show names or ID numbers before
the draw map is revealed.
"""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

A, B, C = "yulin-childcare-2025", "other-2025", "cards-2025"
PASSWORD = "correct-horse-1"

CALLERS = (
    "anonymous",
    "board",
    "judge",
    "chief_tablet",
    "chief",
    "viewer",
    "organizer",
    "other_organizer",
    "other_judge",
    "clerk",  # 录分员: an account of A with role clerk (the paper sheet entry form, nothing else)
)
EVERYONE = frozenset(CALLERS)
TABLET = frozenset({"judge", "chief_tablet"})
TABLET_CHIEF = frozenset({"chief_tablet"})
ORGANIZER = frozenset({"organizer"})  # of A: the installation's organizer (B's is scoped to B)
CHIEF = ORGANIZER | {"chief"}
STAFF = CHIEF | {"viewer"}
CLERK = frozenset({"clerk"})
NONE: frozenset[str] = frozenset()

# endpoint -> (who may read, who may write), for competition A's (or no competition's) routes
EXPECTED = {
    "static": (EVERYONE, NONE),
    "public.home": (EVERYONE, NONE),
    "public.healthz": (EVERYONE, NONE),
    "public.favicon": (EVERYONE, NONE),
    "accounts.login": (EVERYONE, EVERYONE),
    "accounts.logout": (NONE, EVERYONE),
    "accounts.setup": (EVERYONE, EVERYONE),
    "accounts.manage": (ORGANIZER, ORGANIZER),
    "admin.index": (STAFF | {"other_organizer"}, NONE),
    "admin.import_document": (NONE, ORGANIZER),
    "admin.overview": (STAFF, NONE),
    "admin.export_document": (ORGANIZER, NONE),
    "admin.setup": (STAFF, ORGANIZER),
    "admin.contestants": (STAFF, ORGANIZER),
    "admin.contestant_template": (ORGANIZER, NONE),
    "admin.recusals": (STAFF, ORGANIZER),
    "admin.withdrawals": (STAFF, ORGANIZER),
    "admin.trainees": (NONE, ORGANIZER),
    "admin.debrief": (CHIEF, NONE),
    "admin.debrief_pdf": (CHIEF, NONE),
    "schedule.page": (EVERYONE, NONE),
    "schedule.pdf": (EVERYONE, NONE),
    "admin.draw": (STAFF, ORGANIZER),
    "admin.monitor": (STAFF, NONE),
    "admin.review": (STAFF, CHIEF),
    "admin.publish": (ORGANIZER, ORGANIZER),
    "admin.publish_stage": (NONE, ORGANIZER),
    "admin.appeals": (ORGANIZER, ORGANIZER),
    "admin.export": (ORGANIZER, NONE),
    "admin.team_export": (ORGANIZER, NONE),
    "admin.certificates": (ORGANIZER, ORGANIZER),
    "admin.certificate_pdf": (ORGANIZER, NONE),
    "admin.certificate_batch": (NONE, ORGANIZER),
    "admin.certificate_job": (ORGANIZER, NONE),
    "admin.certificate_job_file": (ORGANIZER, NONE),
    "admin.paper_sheets": (CHIEF, NONE),  # printed score sheets (评分表): organizer and chief judge, not viewers
    "admin.job": (CHIEF, NONE),  # a chief judge: only the score sheets' jobs (web.admin.jobs.CHIEF_KINDS)
    "admin.job_file": (CHIEF, NONE),
    "admin.installation_job": (ORGANIZER, NONE),  # a whole document's import: the installation's organizer
    "admin.simulate": (ORGANIZER, ORGANIZER),
    "api.sheet": (TABLET, NONE),
    "api.post_mark": (NONE, TABLET),
    "api.sign": (NONE, TABLET),
    "api.heartbeat": (NONE, TABLET),
    "api.unlock": (NONE, TABLET_CHIEF),
    "api.confirm": (NONE, TABLET_CHIEF),
    "api.rescore": (NONE, TABLET_CHIEF),
    "api.progress": (TABLET_CHIEF | CHIEF, NONE),
    "api.standings": (EVERYONE, NONE),
    "api.standings_csv": (EVERYONE, NONE),
    "board.board": (EVERYONE, NONE),
    "board.phone": (EVERYONE, NONE),
    "board.qr": (EVERYONE, NONE),
    "judge.start": (EVERYONE, NONE),
    "judge.signin": (NONE, EVERYONE),
    "judge.card_signin": (EVERYONE, NONE),
    "judge.signout": (NONE, EVERYONE),
    "judge.mark": (TABLET, NONE),
    "judge.chief": (TABLET_CHIEF, NONE),
    "judge.cards": (ORGANIZER, ORGANIZER),
    "judge.service_worker": (EVERYONE, NONE),
    "public_results.results": (EVERYONE, EVERYONE),
    "public_results.results_json": (EVERYONE, NONE),
    "public_results.public_export": (EVERYONE, NONE),
    "public_results.public_team_export": (EVERYONE, NONE),
    "public_results.draw": (EVERYONE, NONE),
    "public_results.draw_map": (EVERYONE, NONE),
    "public_results.verify": (EVERYONE, NONE),
    "lookup.page": (EVERYONE, EVERYONE),  # 成绩查询: a contestant's own lookup (rate-limited)
    "lookup.report": (EVERYONE, NONE),  # only with this browser's lookup, else back to the form
    "lookup.certificate": (EVERYONE, NONE),
    "admin.tickets_pdf": (ORGANIZER, NONE),  # 准考证: personal data
    "screens.console": (ORGANIZER, NONE),
    "screens.visibility": (NONE, ORGANIZER),
    "screens.add": (NONE, ORGANIZER),
    "screens.remove": (NONE, ORGANIZER),
    "screens.configure": (NONE, ORGANIZER),
    "screens.reload": (NONE, ORGANIZER),
    "screens.reveal": (ORGANIZER, NONE),
    "screens.reveal_start": (NONE, ORGANIZER),
    "screens.reveal_step": (NONE, ORGANIZER),
    "clerk.index": (CLERK, NONE),
    "clerk.entry": (CLERK, CLERK),
    "admin.paper": (CHIEF, CHIEF),
    "admin.paper_image": (CHIEF, NONE),
}

# Values for the URL parts other than the competition, and bodies that change nothing when allowed.
ARGS = {
    "group": "childcare",
    "fmt": "csv",
    "kind": "csv",
    "job_id": "0" * 32,
    "serial": "NOPE-1",
    "name": "no-such",
    "token": "1.1.x",
    "number": 1,
    "filename": "css/app.css",
    "judge": "J02",
    "sheet_id": 1,
}
BODIES = {
    "admin.publish": {"notice_days": "999"},
    "admin.publish_stage": {"stage": "no-such-stage"},
    "admin.certificates": {"color": "not-a-colour"},
    "admin.certificate_batch": {"group": "no-such-group"},
    "admin.simulate": {"seconds": "nope"},
    "screens.visibility": {"state": "nope"},
    "screens.add": {"name": ""},
    "screens.reveal_step": {"delta": "1"},
    "admin.recusals": {"action": "remove"},
    "admin.withdrawals": {"action": "nope"},
    "admin.trainees": {"action": "nope"},
    "admin.paper": {"action": "nope"},
    "clerk.entry": {"sheet": "nope"},
}
JSON_WRITES = ("api.",)
# Routes that begin or end a session: sent by a signed-out client, so a cell cannot end a caller's
# session for the cells after it. They are open to anyone, so who sends them changes nothing.
SESSION_ROUTES = {
    "accounts.login",
    "accounts.logout",
    "accounts.setup",
    "judge.signin",
    "judge.signout",
    "judge.card_signin",
}
# Reissuing login cards replaces every PIN: sent to a competition of its own (C).
OWN_COMPETITION = {("judge.cards", "POST"): C}


@pytest.fixture(scope="module")
def world(sqlite_template, tmp_path_factory, make_app):
    """Competitions A (the demo, draw not revealed), B and C, one signed-in client per caller."""
    from scoring.demo import build_demo
    from scoring.demo_data import childcare_document
    from scoring.services.accounts import create_user
    from scoring.services.judging import set_pins
    from scoring.services.transfer import import_document

    root = tmp_path_factory.mktemp("matrix")
    path = root / "matrix.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", root / "instance")
    engine = app.extensions["scoring.engine"]
    build_demo(engine)
    ids = {A: _cid(engine, A)}
    for slug in (B, C):
        raw = childcare_document(marks="none")
        raw["competition"]["slug"] = slug
        raw["competition"]["name"] = f"Competition {slug}"
        ids[slug] = import_document(engine, raw, actor="test")
        set_pins(engine, ids[slug], {"J01": "1001", "J02": "1002"}, actor="test")
    create_user(engine, "m-organizer", PASSWORD, role="organizer")
    create_user(engine, "m-chief", PASSWORD, role="chief", competition_id=ids[A])
    create_user(engine, "m-viewer", PASSWORD, role="viewer")
    create_user(engine, "m-other-organizer", PASSWORD, role="organizer", competition_id=ids[B])
    create_user(engine, "m-clerk", PASSWORD, role="clerk", competition_id=ids[A])
    clients = {}
    for caller in CALLERS:
        client = app.test_client()
        if caller in ("chief", "viewer", "organizer", "other_organizer", "clerk"):
            name = {"other_organizer": "m-other-organizer"}.get(caller, f"m-{caller}")
            assert client.post("/login", data={"username": name, "password": PASSWORD}).status_code == 302
        elif caller in ("judge", "chief_tablet", "other_judge"):
            code, slug = {"judge": ("J02", A), "chief_tablet": ("J01", A), "other_judge": ("J02", B)}[caller]
            r = client.post(f"/judge/c/{slug}/signin", data={"code": code, "pin": f"10{code[1:]}"})
            assert r.status_code == 302, (caller, r.status_code)
        elif caller == "board":
            assert client.get(f"/board/{A}").status_code == 200
        clients[caller] = client
    with reading(engine) as s:
        people = list(s.exec(select(m.Contestant).where(m.Contestant.competition_id == ids[A])))
    return {
        "app": app,
        "clients": clients,
        "ids": ids,
        # a team entry's members (团体项目) are people too: hidden like contestants before the reveal
        "names": {p.name for p in people} | {x["name"] for p in people for x in p.members},
        "id_numbers": {p.id_number for p in people if p.id_number}
        | {x["id_number"] for p in people for x in p.members if x.get("id_number")},
    }


def _cid(engine, slug):
    with reading(engine) as s:
        return s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one()


def _url(app, endpoint, method, slug):
    from flask import url_for

    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
    values = {k: (slug if k == "slug" else ARGS[k]) for k in rule.arguments}
    with app.test_request_context():
        return url_for(endpoint, **values)


def _refused(response, slug) -> bool:
    if response.status_code in (401, 403):
        return True
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers.get("Location", "")).path
        return target == "/login" or target == f"/judge/c/{slug}"
    return False


def test_every_route_has_an_access_rule(world):
    from scoring.web.access import rule_for

    app = world["app"]
    with app.app_context():
        missing = sorted({r.endpoint for r in app.url_map.iter_rules() if rule_for(r.endpoint) is None})
    assert not missing, f"routes without an access rule (scoring/web/access.py): {missing}"


def test_every_route_has_an_expectation(world):
    missing = sorted({r.endpoint for r in world["app"].url_map.iter_rules()} - set(EXPECTED))
    assert not missing, f"routes missing from this test's EXPECTED table: {missing}"


@pytest.mark.parametrize("endpoint", sorted(EXPECTED))
def test_every_role_meets_each_route_as_the_policy_says(world, endpoint):
    """One test per route, every caller and method in it (keeps the run short: one app, real requests)."""
    app = world["app"]
    rules = [r for r in app.url_map.iter_rules(endpoint)]
    if not rules:
        pytest.skip(f"{endpoint} is not a route of this app")
    methods = sorted(set().union(*(r.methods for r in rules)) - {"HEAD", "OPTIONS"})
    read, write = EXPECTED[endpoint]
    wrong = []
    for method in methods:
        slug = OWN_COMPETITION.get((endpoint, method), A)
        url = _url(app, endpoint, method, slug)
        for caller in CALLERS:
            client = app.test_client() if endpoint in SESSION_ROUTES else world["clients"][caller]
            if method == "GET":
                r = client.get(url)
            elif endpoint.startswith(JSON_WRITES):
                r = client.open(url, method=method, json=BODIES.get(endpoint, {}))
            else:
                r = client.open(url, method=method, data=BODIES.get(endpoint, {}))
            assert r.status_code < 500, (endpoint, method, caller, r.status_code, r.get_data(as_text=True)[:300])
            if endpoint in SESSION_ROUTES:
                continue  # a signed-out client stood in; its answer is the view's (see the test below)
            allowed = caller in (read if method == "GET" else write)
            if allowed == _refused(r, slug):
                wrong.append((method, caller, r.status_code, r.headers.get("Location")))
            if (
                allowed
                and method == "GET"
                and caller in ("chief", "viewer", "clerk")
                and r.mimetype in ("text/html", "application/json")
            ):
                text = r.get_data(as_text=True)
                leaked = sorted(n for n in world["names"] if n in text)[:3]
                assert not leaked, f"{endpoint}: {caller} sees names before the reveal: {leaked}"
                assert not any(i in text for i in world["id_numbers"]), f"{endpoint}: {caller} sees ID numbers"
    assert not wrong, f"{endpoint}: (method, caller, status, location) against the policy: {wrong}"


def test_routes_that_begin_or_end_a_session_are_open_to_anyone(world):
    """Their cells above are sent signed out; the rule itself says anyone (so the caller cannot matter)."""
    from scoring.web.access import rule_for

    with world["app"].app_context():
        for endpoint in SESSION_ROUTES:
            rule = rule_for(endpoint)
            for method in {m for r in world["app"].url_map.iter_rules(endpoint) for m in r.methods} - {
                "HEAD",
                "OPTIONS",
            }:
                need = rule.read if method == "GET" else rule.write
                assert "anyone" in need, (endpoint, method)


def test_an_account_of_another_competition_meets_its_own_competition(world):
    """The scoped organizer of B is refused A's console (above) but works in B."""
    client = world["clients"]["other_organizer"]
    assert client.get(f"/admin/c/{B}").status_code == 200
    assert client.get(f"/admin/c/{B}/document.json").status_code == 200
    r = client.get(f"/admin/c/{A}/document.json")
    assert r.status_code == 403 and "610" not in r.get_data(as_text=True)
    index = client.get("/admin/").get_data(as_text=True)
    assert f"Competition {B}" in index and "榆林市2025年托育职业技能竞赛" not in index


def test_standings_for_officials_ask_the_scope_and_cut_names(world):
    chief = world["clients"]["chief"]
    r = chief.get(f"/api/v1/competitions/{A}/standings?audience=chief")
    assert r.status_code == 200 and r.json["view"]["names"] is False
    assert not any(n in r.get_data(as_text=True) for n in world["names"])
    assert chief.get(f"/api/v1/competitions/{B}/standings?audience=chief").status_code == 403
    other = world["clients"]["other_organizer"]
    assert other.get(f"/api/v1/competitions/{A}/standings?audience=organizer").status_code == 403
    assert other.get(f"/api/v1/competitions/{B}/standings?audience=organizer").status_code == 200
    viewer = world["clients"]["viewer"]
    assert viewer.get(f"/api/v1/competitions/{A}/standings?audience=chief").status_code == 200
    assert viewer.get(f"/api/v1/competitions/{A}/standings?audience=organizer").status_code == 403


def test_the_chief_judge_reviews_by_anonymous_code_before_the_reveal(world):
    import re

    chief = world["clients"]["chief"]
    page = chief.get(f"/admin/c/{A}/review").get_data(as_text=True)
    codes = re.findall(r'<tr data-code="([^"]+)"', page)
    assert codes and all(c.startswith(("TY-", "MF-", "YY-")) for c in codes), codes[:5]
    r = chief.post(
        f"/admin/c/{A}/review",
        data={"action": "finding", "contestant": codes[0], "error": "0", "note": "checked by code"},
    )
    assert r.status_code == 302
    organizer = world["clients"]["organizer"].get(f"/admin/c/{A}/review").get_data(as_text=True)
    assert "checked by code" in organizer, "the finding reached the contestant behind the anonymous code"
    draw = chief.get(f"/admin/c/{A}/draw").get_data(as_text=True)
    assert 'id="names-hidden"' in draw
    organizer = world["clients"]["organizer"].get(f"/admin/c/{A}/draw").get_data(as_text=True)
    assert any(n in organizer for n in world["names"]), "the organizer still sees the code map"
