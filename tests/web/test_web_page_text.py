"""Every page a person can open, in both languages, shows words and numbers, never internals.

Why one test over ``app.url_map``: the leaks found by hand (``<built-in method items of dict
object at 0x…>`` as chart labels, weights as ``3E+1``, English words on Chinese pages, 理论 on
English pages) each came from one template or one label outside the catalog; a new page gets the
same check without anyone remembering to add it. The demo competition is rendered in marking
(names hidden, flags, drill-down) and a second copy of it fully marked, published twice (an upheld
appeal), with certificates issued and one revoked, so the results, diff, verify and certificate
pages have content.

What is visible: the text of the page without ``script``/``style``, plus the title and the
attribute values a person sees or hears (placeholder, title, aria-label, alt, the value of
buttons). On English pages no CJK character may remain once the competition's own data is taken
out (names of people, units, regions, the competition, groups, events, aspects, awards as stored);
stage names are not data here: English shows a translation of known stage kinds. On Chinese pages
no English word may remain outside an allow-list (PDF, QR, ID, ...), codes and URLs.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest
from sqlmodel import select

from scoring import jobs
from scoring import models as m
from scoring.db import reading

LIVE = "yulin-childcare-2025"  # the demo as built: marking, draw not revealed
DONE = "yulin-done-2025"  # the demo fully marked, revealed, published twice, certificates issued
PASSWORD = "correct-horse-1"

# Routes not rendered here, and why (every other GET route must be in PAGES below).
SKIPPED = {
    "static": "files, not pages",
    "judge.service_worker": "JavaScript, not a page",
    "public.favicon": "a redirect to the site icon",
    "admin.team_export": "a file download (CSV, XLSX)",
    "public_results.public_team_export": "a file download (CSV, XLSX)",
    "board.qr": "an SVG image of a QR code",
    "admin.export": "a file download (CSV, XLSX, PDF)",
    "admin.export_document": "a file download (JSON document)",
    "admin.contestant_template": "a file download (XLSX, CSV)",
    "admin.certificate_pdf": "a file download (PDF)",
    "admin.certificate_job_file": "a file download (PDF)",
    "admin.paper_sheets": "a file download (PDF): printed score sheets; their form is on admin.monitor (rendered)",
    "admin.job_file": "a file download (a job's result)",
    "public_results.public_export": "a file download (CSV, XLSX)",
    "public_results.results_json": "JSON data for programs",
    "public_results.draw_map": "JSON data for programs",
    "api.sheet": "JSON data for the tablet",
    "api.progress": "JSON data for the chief judge's grid",
    "api.standings": "JSON data for boards",
    "api.standings_csv": "a file download (CSV)",
    "public.healthz": "a probe for monitoring, not for people",
    "judge.card_signin": "signs the tablet in and redirects to judge.mark (rendered)",
    "schedule.pdf": "a file download (PDF)",
    "admin.debrief_pdf": "a file download (PDF)",
    "admin.simulate": "JSON data: the judge simulator's progress (its card is on admin.overview, rendered)",
    "lookup.report": "a file download (PDF)",
    "lookup.certificate": "a file download (PDF)",
    "admin.tickets_pdf": "a file download (PDF)",
    "admin.paper_image": "an image file (a photo of a paper sheet)",
}


def _pages(w: dict) -> list[tuple[str, str, str]]:
    """(endpoint, caller, url): every page with the caller who may see it, in each state."""
    group = "childcare"
    serials = w["serials"]
    return [
        ("public.home", "anonymous", "/"),
        ("accounts.login", "anonymous", "/login"),
        ("accounts.setup", "fresh", "/setup"),
        ("accounts.manage", "organizer", "/admin/accounts"),
        ("admin.index", "organizer", "/admin/"),
        *[
            (ep, caller, f"/admin/c/{slug}{path}")
            for slug, callers in ((LIVE, ("organizer", "chief")), (DONE, ("organizer",)))
            for caller in callers
            for ep, path in (
                ("admin.overview", ""),
                ("admin.setup", "/setup"),
                ("admin.contestants", "/contestants"),
                ("admin.recusals", "/recusals"),
                ("admin.withdrawals", "/withdrawals"),
                ("admin.draw", "/draw"),
                ("admin.monitor", "/monitor"),
                ("admin.monitor", f"/monitor?group={group}"),
                ("admin.review", "/review"),
            )
        ],
        ("admin.monitor", "organizer", f"/admin/c/{LIVE}/monitor?group={group}&contestant={w['drill']}"),
        ("admin.debrief", "chief", f"/admin/c/{LIVE}/debrief/J02"),  # before the reveal: anonymous codes
        ("admin.debrief", "organizer", f"/admin/c/{DONE}/debrief/J03"),  # after it: names, an outlier
        *[
            (ep, "organizer", f"/admin/c/{slug}{path}")
            for slug in (LIVE, DONE)
            for ep, path in (
                ("admin.publish", "/publish"),
                ("admin.appeals", "/appeals"),
                ("admin.certificates", "/certificates"),
            )
        ],
        ("admin.certificate_job", "organizer", f"/admin/c/{DONE}/certificates/jobs/{w['job']}"),
        ("admin.job", "organizer", f"/admin/c/{DONE}/jobs/{w['job']}"),
        ("admin.installation_job", "organizer", f"/admin/jobs/{w['import_job']}"),
        *[
            (ep, "anonymous", path)
            for slug in (LIVE, DONE)
            for ep, path in (
                ("board.board", f"/board/{slug}"),
                ("board.phone", f"/board/{slug}/phone"),
                ("public_results.results", f"/results/{slug}"),
                ("public_results.draw", f"/draw/{slug}"),
                ("schedule.page", f"/schedule/{slug}"),
                ("judge.start", f"/judge/c/{slug}"),
                ("lookup.page", f"/results/{slug}/lookup"),
            )
        ],
        # 成绩查询 after a lookup: the theory's stage publication (LIVE), everything with a revoked certificate (DONE)
        ("lookup.page", "contestant_live", f"/results/{LIVE}/lookup"),
        ("lookup.page", "contestant", f"/results/{DONE}/lookup"),
        ("public_results.results", "anonymous", f"/results/{DONE}/v1"),
        ("public_results.results", "anonymous", f"/results/{DONE}/v2"),
        ("public_results.verify", "anonymous", f"/verify/{serials['valid']}"),
        ("public_results.verify", "anonymous", f"/verify/{serials['revoked']}"),
        ("error", "anonymous", "/verify/ZS000000-9999"),
        ("judge.mark", "judge", f"/judge/c/{LIVE}/mark"),
        ("judge.mark", "chief_tablet", f"/judge/c/{LIVE}/mark"),
        ("judge.chief", "chief_tablet", f"/judge/c/{LIVE}/chief"),
        ("judge.cards", "organizer", f"/judge/c/{LIVE}/cards"),
        ("clerk.index", "clerk", "/clerk/"),
        ("clerk.entry", "clerk", f"/clerk/c/{LIVE}"),
        ("clerk.entry", "clerk", f"/clerk/c/{LIVE}?sheet={w['sheet']}"),
        *[("admin.paper", caller, f"/admin/c/{LIVE}/paper") for caller in ("organizer", "chief")],
        ("screens.console", "organizer", f"/screens/{LIVE}"),
        ("screens.reveal", "organizer", f"/screens/{DONE}/reveal/{group}"),
        ("error", "anonymous", "/no-such-page"),
        ("error", "anonymous", "/results/no-such-competition"),
    ]


# --------------------------------------------------------------------------- the world


@pytest.fixture(scope="module")
def world(sqlite_template, tmp_path_factory, make_app):
    from scoring.certificates import service as certificates
    from scoring.demo import build_demo
    from scoring.demo_data import childcare_document
    from scoring.services import appeals, draw, publication
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    root = tmp_path_factory.mktemp("pagetext")
    path = root / "pages.sqlite"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", root / "instance")
    engine = app.extensions["scoring.engine"]
    fresh = _Recorded(app.test_client(), ["/setup?lang=zh", "/setup?lang=en"])  # before any account exists
    build_demo(engine)
    raw = childcare_document(marks="all")
    raw["competition"]["slug"] = DONE
    for stage in raw["stages"]:
        stage["state"] = "locked"
    for mark in raw["marks"]:  # one judge far from the panel: flags on the monitor and overview
        if mark["contestant"] == "C001" and mark["judge"] == "J03" and mark["aspect"].startswith("A1."):
            mark["value"] = "0.0"
    cid = import_document(engine, raw, actor="p-organizer")
    draw.seal(engine, cid, "p-organizer")
    draw.reveal(engine, cid, "p-organizer")
    publication.publish(engine, cid, "test", notice_days=7)
    with reading(engine) as s:
        first = s.exec(
            select(m.Certificate).where(m.Certificate.competition_id == cid).order_by(m.Certificate.id)
        ).first()
        judge = s.exec(
            select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.role != "chief").order_by(m.Judge.code)
        ).first()
    appeal = appeals.file_appeal(engine, cid, first.contestant, "张三", "", "理论成绩有误，请复核。", "p-organizer")
    _uphold_lowering(engine, cid, appeal, first.contestant)
    # a batch of no certificates: the progress page is the same, and no thread renders PDFs meanwhile
    job = certificates.start_batch(engine, cid, "no-such-group", "", root / "instance" / "jobs", "batch.pdf")
    # a whole document's import done by a job (of no competition): its page says what it did
    with reading(engine) as s:
        live_name = s.exec(select(m.Competition.name).where(m.Competition.slug == LIVE)).one()
    imported = jobs.Job("f" * 32, "document-import", 0, state="done", done=1, total=1)
    imported.message = {"msgid": "The competition %(name)s was imported.", "params": {"name": live_name}}
    jobs._write(root / "instance" / "jobs", imported)
    with reading(engine) as s:
        certs = list(s.exec(select(m.Certificate).where(m.Certificate.competition_id == cid)))
        live_id = s.exec(select(m.Competition.id).where(m.Competition.slug == LIVE)).one()
        flagged = s.exec(select(m.SpreadFlag).where(m.SpreadFlag.competition_id == live_id)).first()
        drill = (
            s.get(m.Contestant, flagged.contestant_id).code
            if flagged
            else s.exec(select(m.Contestant.code).where(m.Contestant.competition_id == live_id)).first()
        )
    revoked = next(c.serial for c in certs if c.revoked_at is not None)
    valid = next(c.serial for c in certs if c.revoked_at is None)
    create_user(engine, "p-organizer", PASSWORD, role="organizer")
    create_user(engine, "p-chief", PASSWORD, role="chief")
    create_user(engine, "p-clerk", PASSWORD, role="clerk")  # of every competition: its index lists them
    sheet = _paper_conflict(engine, live_id)
    clients = {"anonymous": app.test_client(), "fresh": fresh}
    for caller in ("organizer", "chief", "clerk"):
        c = app.test_client()
        assert c.post("/login", data={"username": f"p-{caller}", "password": PASSWORD}).status_code == 302
        c.get(
            "/admin/" if caller != "clerk" else "/clerk/"
        )  # the sign-in's message is shown once, in the language of the sign-in
        clients[caller] = c
    for caller, code in (("judge", "J02"), ("chief_tablet", "J01")):
        c = app.test_client()
        r = c.post(f"/judge/c/{LIVE}/signin", data={"code": code, "pin": f"10{code[1:]}"})
        assert r.status_code == 302, caller
        clients[caller] = c
    del judge
    with reading(engine) as s:
        codes = {
            (cid_of, c.code): c.lookup_code
            for cid_of, c in ((c.competition_id, c) for c in s.exec(select(m.Contestant)))
        }
    for caller, slug, cid_of, code in (
        ("contestant", DONE, cid, first.contestant),
        ("contestant_live", LIVE, live_id, "C003"),
    ):
        c = app.test_client()
        r = c.post(f"/results/{slug}/lookup", data={"code": codes[(cid_of, code)]})
        assert r.status_code == 302, caller
        clients[caller] = c
    return {
        "app": app,
        "clients": clients,
        "serials": {"valid": valid, "revoked": revoked},
        "job": job.id,
        "import_job": imported.id,
        "drill": drill,
        "sheet": sheet,
        "data": _data(engine),
    }


class _Recorded:
    """A client for pages that exist only in a state the world leaves behind (the first-run set-up
    page, shown while no account exists): their answers recorded then, replayed by ``get``."""

    def __init__(self, client, urls: list[str]):
        self._answers = {url: client.get(url) for url in urls}

    def get(self, url: str):
        return self._answers[url]


def _uphold_lowering(engine, cid: int, appeal: int, contestant: str) -> None:
    """Uphold the appeal with a lower practical mark for the contestant: version 2, a diff, the
    first certificate revoked or changed."""
    from scoring.services import appeals
    from scoring.services.readside import current_marks

    with reading(engine) as s:
        c = s.exec(
            select(m.Contestant).where(m.Contestant.competition_id == cid, m.Contestant.code == contestant)
        ).one()
        aspects = {a.id: a for a in s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid))}
        judges = {j.id: j for j in s.exec(select(m.Judge).where(m.Judge.competition_id == cid))}
        corrections = []
        for mk in current_marks(s, cid):
            a = aspects[mk.aspect_id]
            if mk.contestant_id == c.id and mk.value is not None and a.type != "time" and mk.value > a.min_value:
                low = format(a.min_value.normalize(), "f")  # the lowest the aspect allows
                corrections.append((contestant, a.code, judges[mk.judge_id].code, low))
    appeals.decide_appeal(engine, cid, appeal, True, "复核后更正。", "p-organizer", corrections[:40])


def _paper_conflict(engine, cid: int) -> str:
    """Two clerks' differing entries of judge J02's paper sheet for one contestant (the queue has
    a sheet in conflict); returns the code of another of J02's sheets, not entered yet."""
    from urllib.parse import quote

    from scoring.rules.paper import SheetRef, sheet_token, version_of
    from scoring.services import paper
    from scoring.services.judge_sheet import judge_sheet, panel_aspects

    with reading(engine) as s:
        j02 = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == "J02")).one()
    sheet = judge_sheet(engine, cid, j02.id)
    panel = sheet["panels"][0]
    with reading(engine) as s:
        version = version_of(panel_aspects(s, s.get(m.Panel, panel["id"])))
    refs = [c["ref"] for c in sheet["contestants"] if c["panel_id"] == panel["id"]]
    codes = [sheet_token(SheetRef(LIVE, "J02", ref, version)) for ref in refs[:2]]
    low = {a["code"]: a["min"] for a in panel["aspects"]}
    first = panel["aspects"][0]
    for clerk, values in (("p-clerk-1", low), ("p-clerk-2", {**low, first["code"]: first["max"]})):
        paper.enter(engine, cid, LIVE, codes[0], clerk, values)
    return quote(codes[1], safe="")


def _data(engine) -> list[str]:
    """The competitions' own words as stored (longest first, so a name is removed before its parts)."""
    words: set[str] = set()
    with reading(engine) as s:
        for c in s.exec(select(m.Competition)):
            words |= {c.name, c.organizer, c.venue}
        for g in s.exec(select(m.Group)):
            words |= {g.name, g.event}
        for p in s.exec(select(m.Contestant)):
            words |= {p.name, p.unit, p.region}
            words |= {x.get(k, "") for x in p.members for k in ("name", "unit", "region")}  # a team's members
        for j in s.exec(select(m.Judge)):
            words |= {j.name, getattr(j, "unit", "")}
        for a in s.exec(select(m.Aspect)):
            words.add(a.name)
        for x in s.exec(select(m.StageSession)):
            words.add(x.name)  # a session's name (场次), as the organizer wrote it
        for c in s.exec(select(m.Criterion)):
            words.add(c.name)
        for u in s.exec(select(m.User)):
            words |= {u.display_name, u.username}
        for g in s.exec(select(m.Group)):
            words.add(g.code)  # identifiers the organizer chose, shown where they are edited
        words |= set(s.exec(select(m.AuditEvent.actor).distinct()))
        for a in s.exec(select(m.Appeal)):
            words |= {a.filed_by, a.text, a.decision}
        for t in s.exec(select(m.CertificateTemplate)):
            words |= {t.title, t.wording, t.body, t.issuer, t.signatory, t.date_text}
        for c in s.exec(select(m.Certificate)):
            words |= {c.name, c.unit, c.group_name, c.award}
        for v in s.exec(select(m.ResultVersion)):
            for g in v.content.get("groups", []):
                for r in g.get("rows", []):
                    words |= set(r.get("awards", []))
            for ts in v.content.get("team_standings", []):  # team award names and tiers are data too
                words |= set(ts.get("tiers", []))
                for r in ts.get("rows", []):
                    words |= set(r.get("awards", [])) | {r.get("delegation", "")}
    return sorted((w for w in words if w), key=len, reverse=True)


# --------------------------------------------------------------------------- reading a page


class _Visible(HTMLParser):
    """The text a person sees or hears: body text, the title, and visible attribute values.

    ``words`` is what is read as language; ``literal`` adds what is shown but is not language:
    commands and codes in ``code``/``kbd``/``pre``, and the values already in form fields (data
    the organizer typed; checked for internals such as ``3E+1``, not for language)."""

    HIDDEN = {"script", "style", "template", "noscript"}
    LITERAL = {"code", "kbd", "samp", "pre", "textarea"}
    ATTRS = {"placeholder", "title", "aria-label", "alt"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.words: list[str] = []
        self.literal: list[str] = []
        self._hidden = 0
        self._literal = 0
        self._stack: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag in self.HIDDEN:
            self._hidden += 1
        if tag not in self.VOID:
            self._stack.append((tag, tag in self.LITERAL or a.get("aria-hidden") == "true"))  # decoration: a logo
            self._literal += self._stack[-1][1]
        for name in self.ATTRS:
            if a.get(name):
                self.words.append(a[name])
        if tag == "input" and a.get("value") and a.get("type", "text") not in ("hidden", "password"):
            (self.words if a.get("type") in ("submit", "button", "reset") else self.literal).append(a["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if any(open_tag == tag for open_tag, _ in self._stack):  # closes what it opened (and any unclosed <p>)
            while self._stack:
                open_tag, literal = self._stack.pop()
                self._literal -= literal
                if open_tag == tag:
                    break

    def handle_data(self, data):
        if not self._hidden and data.strip():
            (self.literal if self._literal else self.words).append(data.strip())


def visible_text(html: str) -> tuple[list[str], list[str]]:
    """(words, literal): see ``_Visible``."""
    parser = _Visible()
    parser.feed(html)
    return parser.words, parser.literal


INTERNALS = [
    (re.compile(r"<built-in|<bound method|<function "), "a Python object's repr"),
    (re.compile(r"\b0x[0-9a-fA-F]{4,}"), "a memory address"),
    (re.compile(r"\d(?:\.\d+)?E[+-]\d"), "a number in exponent notation"),
    (re.compile(r"Traceback|Jinja|Undefined"), "an error from the server's code"),
    (re.compile(r"\bNone\b|\bnull\b|\bNaN\b|\bTrue\b|\bFalse\b"), "a Python or JSON value"),
    (re.compile(r"\b[a-z]+(?:_[a-z]+)+\b"), "a snake_case identifier"),
    (re.compile(r"%\(\w+\)s|\{\{|\}\}"), "an unfilled placeholder"),
]
CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff5e]+")
# Words a Chinese page may show in Latin letters: formats, brands, units, the protocol names.
ALLOWED_LATIN = {
    "PDF", "QR", "ID", "UTC", "XLSX", "CSV", "JSON", "URL", "PIN", "SHA", "Wi", "Fi", "HTTP", "HTTPS", "PNG", "SVG",
    "USB", "Tab", "JPEG",  # a scanner's plug, a key, an image format (paper sheet entry)
    "English", "sha256", "sha256sum", "certutil", "hashfile", "Linux", "Windows", "macOS", "xlsx", "csv", "pdf", "json", "v1", "v2", "z", "Excel", "WPS", "Chrome", "Safari", "iPad", "Android",
}  # fmt: skip
# The language switch names each language in itself.
ALLOWED_CJK = {"中文"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z]+")
CODE_LIKE = re.compile(
    r"\{\w+\}|\?\w+=|https?://\S+|/[\w./?=&%-]+|\b[\w.-]+@[\w.-]+|\b[\w-]*\d[\w-]*\b|\b[0-9a-f]{16,}\b|\b[a-z0-9]+(?:-[a-z0-9]+)+\b"
)


def problems_of(text: tuple[list[str], list[str]], lang: str, data: list[str]) -> dict[tuple[str, str], str]:
    """(what, the offending word) -> where it stands (one example per word and page)."""
    found: dict[tuple[str, str], str] = {}
    words, literal = text
    everything = "\n".join(words + literal)
    for pattern, what in INTERNALS:
        for hit in pattern.finditer(everything):
            found.setdefault((what, hit.group()), _around(everything, hit))
    rest = "\n".join(words)
    for word in data:
        rest = rest.replace(word, " ")
    if lang == "en":
        for hit in CJK_RUN.finditer(rest):
            if hit.group() not in ALLOWED_CJK:
                found.setdefault(("Chinese on an English page", hit.group()), _around(rest, hit))
    else:
        stripped = CODE_LIKE.sub(" ", rest)
        for hit in LATIN_WORD.finditer(stripped):
            if hit.group() not in ALLOWED_LATIN:
                found.setdefault(("English on a Chinese page", hit.group()), _around(stripped, hit))
    return found


def _around(text: str, hit: re.Match) -> str:
    return repr(text[max(0, hit.start() - 25) : hit.end() + 25])


# --------------------------------------------------------------------------- the tests


def test_every_get_route_is_rendered_or_skipped_with_a_reason(world):
    rendered = {ep for ep, _c, _u in _pages(world)}
    routes = {r.endpoint for r in world["app"].url_map.iter_rules() if "GET" in r.methods}
    missing = sorted(routes - rendered - set(SKIPPED))
    assert not missing, f"GET routes neither rendered by this test nor skipped with a reason: {missing}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language_and_shows_no_internals(world, lang):
    failures = []
    for endpoint, caller, url in _pages(world):
        client = world["clients"][caller]
        sep = "&" if "?" in url else "?"
        r = client.get(f"{url}{sep}lang={lang}")
        if r.status_code != (404 if endpoint == "error" else 200):
            failures.append(f"{url} ({caller}): status {r.status_code} {r.headers.get('Location') or ''}")
            continue
        assert r.mimetype == "text/html", (endpoint, url, r.mimetype)
        for (what, word), where in problems_of(visible_text(r.get_data(as_text=True)), lang, world["data"]).items():
            failures.append(f"{url} ({caller}): {what}: {word!r} in {where}")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:300])


def test_boards_get_stage_names_in_their_language(world):
    """The board and phone pages re-render from the standings payload (HTTP and socket snapshots
    are per language): English names the stages, Chinese keeps the stored names."""
    client = world["clients"]["anonymous"]
    for slug in (LIVE, DONE):
        en = client.get(f"/api/v1/competitions/{slug}/standings?lang=en").get_json()
        zh = client.get(f"/api/v1/competitions/{slug}/standings?lang=zh").get_json()
        assert [s["name"] for s in en["stages"]] == ["Theory", "Practical"], slug
        assert [s["name"] for s in zh["stages"]] == ["理论", "实操"], slug


def test_plain_numbers_never_use_exponents():
    from decimal import Decimal

    from scoring.labels import plain

    cases = {"3E+1": "30", "30.00": "30", "7.50": "7.5", "0.25": "0.25", "1E-7": "0.0000001", "-0": "0", "100": "100"}
    assert {k: plain(Decimal(k)) for k in cases} == cases
    assert plain(None) == "" and plain(12) == "12"


def test_tablets_and_the_chief_grid_name_stages_in_their_language(world):
    judge, chief = world["clients"]["judge"], world["clients"]["chief_tablet"]
    for lang, names in (("en", {"Theory", "Practical"}), ("zh", {"理论", "实操"})):
        sheet = judge.get(f"/api/v1/judging/{LIVE}/sheet?lang={lang}").get_json()
        assert sheet["panels"] and {p["stage"] for p in sheet["panels"]} <= names, lang
        grid = chief.get(f"/api/v1/judging/{LIVE}/progress?lang={lang}").get_json()
        assert grid["panels"] and all(p["name"].rsplit(" · ", 1)[-1] in names for p in grid["panels"]), lang


def test_labels_name_known_stages_and_reasons_and_keep_other_data():
    from scoring.labels import stage_label, version_reason

    assert stage_label("理论", "theory", "en") == "Theory" and stage_label("技能操作", "s2", "en") == "Practical"
    assert stage_label("", "practical", "en") == "Practical" and stage_label("", "practical", "zh") == "实操"
    assert stage_label("综合答辩", "defence", "en") == "综合答辩"  # an unknown kind keeps its stored name
    assert stage_label("理论", "theory", "zh") == "理论" and stage_label("", "x9", "en") == "x9"
    assert (
        version_reason("first publication", "zh") == "首次发布" and version_reason("republished", "en") == "republished"
    )
    assert version_reason("appeal 3 upheld", "zh") == "申诉 3 成立"
    assert version_reason("result version 2: appeal 1 upheld", "zh") == "成绩第 2 版：申诉 1 成立"
    assert version_reason("result version 4", "en") == "result version 4"
    assert version_reason("复核后更正", "en") == "复核后更正"  # typed by a person: shown as written
