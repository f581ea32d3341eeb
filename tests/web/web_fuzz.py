"""The parts of the HTTP fuzzing test (test_web_fuzz.py): what a probe is, the hostile values it
draws from, and the harness that sends it as an anonymous visitor, a judge, the chief judge or
the organizer of the seeded demo competition."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from hypothesis import strategies as st
from sqlmodel import select
from web_helpers import SLUG, engine_of, stored
from werkzeug.test import encode_multipart

from scoring import models as m
from scoring.db import reading, transaction
from scoring.demo import demo_pins
from scoring.services.accounts import create_user
from scoring.services.judging import judge_sheet

ROLES = ("anonymous", "judge", "chief", "organizer")
FUZZ_ORGANIZER = ("fuzz-organizer", "fuzz-organizer-password")
# Routes whose answer is as large as the competition (never as large as the request): 8 MB.
BIG = {
    "admin.export_document",
    "admin.export",
    "admin.team_export",
    "admin.certificate_pdf",
    "admin.certificate_job_file",
    "admin.tickets_pdf",  # 准考证: four per page, one per contestant
    "admin.job_file",
    "public_results.public_export",
    "public_results.public_team_export",
    "static",
}
BODY_LIMIT, BIG_LIMIT = 256 * 1024, 8 * 1024 * 1024
# Requests that may end the sending session (sign-out, new cards, accounts): sessions are made anew after.
SESSION_ENDING = {
    ("POST", "/logout"),
    ("POST", "/judge/c/<slug>/signout"),
    ("POST", "/judge/c/<slug>/cards"),
    ("POST", "/admin/accounts"),
}

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "²",
    "١٢",
    "１０",
    "1e-300000000",
    "1e999999",
    "1e1",
    "99999999999999999999",
    "2147483648",
    "-1",
    "0",
    "1",
    "-0",
    " 7 ",
    "3.",
    ".5",
    "1_0",
    "NaN",
    "Infinity",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00",
    "%(x)s",
    "{0}",
    "\u202e",
    "\r\nX-Injected: 1",
    "null",
    "[]",
    "{}",
    "x" * 5000,
    "长" * 600,
    "#²",
    "#99999999999999999999",
]
FIELDS = [
    "action",
    "what",
    "state",
    "password",
    "password2",
    "name",
    "code",
    "username",
    "user_id",
    "role",
    "contestant",
    "text",
    "reason",
    "judge_id",
    "group",
    "filed_by",
    "display_name",
    "contestant_id",
    "contact",
    "wording",
    "venue",
    "unit",
    "title",
    "theme",
    "stage",
    "signatory",
    "serial_prefix",
    "seed",
    "replace",
    "remove_seal",
    "region",
    "pin",
    "orientation",
    "organizer",
    "notice_days",
    "note",
    "max_mark",
    "issuer",
    "error",
    "decision",
    "date_text",
    "date",
    "columns",
    "color",
    "c_value",
    "c_judge",
    "c_contestant",
    "c_aspect",
    "body",
    "award",
    "appeal_id",
    "weight_theory",
    "weight_practical",
    "delta",
]
JSON_KEYS = [
    "contestant",
    "aspect",
    "value",
    "idempotency_key",
    "based_on_version",
    "client_id",
    "state",
    "reason",
    "judge",
    "panel",
    "unsent",
    "delta",
]
QUERY_KEYS = ["audience", "group", "v", "public", "screen", "lang", "format", "contestant", "next", "columns", "theme"]
GOOD_WORDS = [
    "add",
    "apply_all",
    "create",
    "deny",
    "draw",
    "file",
    "finding",
    "lock",
    "password",
    "remove",
    "reveal",
    "role",
    "seal",
    "unlock",
    "uphold",
    "deactivate",
    "activate",
    "competition",
    "judge",
    "aspect",
    "embargoed",
    "live",
    "frozen",
    "published",
    "void",
    "submitted",
    "organizer",
    "viewer",
    "chief",
    "en",
    "zh",
    "public",
    "audience",
    "csv",
    "xlsx",
    "pdf",
    "json",
    "dark",
    "compact",
    "A1.1",
    "A1.3",
    "J04",
    "4.5",
    "1001",
    "1004",
    "demo-organizer",
]
FILES = {
    "document": [
        b"[" * 100_000,
        b'{"format": "scoring-competition", "version": 1}',
        b'{"a": 1e999999}',
        b'{"x": "\\u0000"}',
        b"\xff\xfe",
        b'{"a": NaN}',
    ],
    "sheet": ["姓名,单位,县区,组别\n张\x00三,单位,区,托育\n".encode(), b"\x00\x01", b"PK\x03\x04junk"],
    "seal": [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"GIF89a"],
}
FILE_NAMES = ["x.json", "x.csv", "x.xlsx", "seal.png", "", "a\x00.csv", "../../x.csv", "长" * 300 + ".csv"]


@dataclass(frozen=True)
class Probe:
    """One request, apart from who sends it: route arguments, query pairs and a body
    (``kind`` none | form | multipart | json | raw)."""

    args: dict = field(default_factory=dict)
    query: tuple = ()
    kind: str = "none"
    body: object = None


def encoded(text: str) -> str:
    """Percent-encoding that carries even a lone surrogate (as the bytes a client could send)."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def raw_json(value) -> str:
    """JSON text in which ``RawNumber`` leaves (``"#num:1e999999"``) become bare number literals."""
    return re.sub(r'"#num:([^"]*)"', r"\1", json.dumps(value))


def mostly(good, odd):
    """``good`` four times in five: deep enough into a route to meet its checks, odd often enough."""
    return st.integers(0, 4).flatmap(lambda n: odd if n == 0 else good)


class Pools:
    """Values worth sending to this demo: good ones (so requests get past the first check) and hostile ones."""

    def __init__(self, app) -> None:
        with reading(engine_of(app)) as s:
            comp = s.exec(select(m.Competition).where(m.Competition.slug == SLUG)).one()
            self.cid = comp.id
            j02 = s.exec(select(m.Judge.id).where(m.Judge.competition_id == comp.id, m.Judge.code == "J02")).one()
            others = list(
                s.exec(
                    select(m.DrawEntry.code)
                    .where(m.DrawEntry.competition_id == comp.id)
                    .order_by(m.DrawEntry.id)
                    .limit(2)
                )
            )
            self.groups = list(s.exec(select(m.Group.code).where(m.Group.competition_id == comp.id)))
            self.stages = list(s.exec(select(m.Stage.code).where(m.Stage.competition_id == comp.id)))
            self.judges = list(
                s.exec(select(m.Judge.code).where(m.Judge.competition_id == comp.id).order_by(m.Judge.code))
            )
            self.panels = [str(p) for p in s.exec(select(m.Panel.id).where(m.Panel.competition_id == comp.id))]
            ids = {
                name: [str(i) for i in s.exec(select(model.id).where(model.competition_id == comp.id).limit(3))]
                for name, model in (("judge_id", m.Judge), ("contestant_id", m.Contestant))
            }
            aspects = list(s.exec(select(m.Aspect.code).where(m.Aspect.competition_id == comp.id).limit(6)))
        sheet = judge_sheet(engine_of(app), self.cid, j02)
        self.refs = [c["ref"] for c in sheet["contestants"][:4]] + others  # mostly J02's own contestants
        self.good = [SLUG, *self.refs, *self.groups, *self.stages, *self.judges[3:6], *self.panels, *GOOD_WORDS]
        # per field: values that get a request past its first check (the judges J01, J02 stay out: see Harness)
        self.by_field = {
            "contestant": self.refs,
            "c_contestant": self.refs,
            "aspect": aspects,
            "c_aspect": aspects,
            "judge": self.judges[2:6],
            "c_judge": self.judges[2:6],
            "stage": self.stages,
            "group": self.groups,
            "value": ["4.5", "2", "1", "0"],
            "c_value": ["4.5", "2"],
            "panel": self.panels,
            "notice_days": ["3", "0"],
            "user_id": ["1", "2", "3"],
            "appeal_id": ["1"],
            "state": ["embargoed", "live", "frozen", "published", "void"],
            "what": ["competition", "group", "judge", "aspect"],
            "idempotency_key": [f"fz-{i}" for i in range(40)],
            **ids,
        }

    def text(self):
        return st.one_of(st.sampled_from(HOSTILE), st.sampled_from(self.good), st.text(max_size=12))

    def field_text(self, name: str):
        good = self.by_field.get(name)
        return mostly(st.sampled_from(good), self.text()) if good else self.text()

    def field_json(self, name: str):
        numbers = {
            "based_on_version": [0, 1, 2],
            "panel": [int(p) for p in self.panels],
            "unsent": [0, 3],
            "delta": [1, -1],
        }.get(name)
        return mostly(st.sampled_from(numbers) if numbers else self.field_text(name), self.json_value())

    def route_arg(self, name: str):
        good = {
            "slug": [SLUG],
            "group": self.groups,
            "fmt": ["csv", "xlsx", "pdf", "json"],
            "kind": ["csv", "xlsx"],
            "name": ["s1"],
            "number": ["1", "2"],
            "filename": ["js/judge.js", "css/app.css", "../scoring/config.py"],
            "token": ["1.1.x"],
        }.get(name, [])
        hostile = [t for t in HOSTILE if "/" not in t] + ["99999999999999999999", "٣", "4294967296"]
        odd = st.one_of(st.sampled_from(hostile), st.text(max_size=8))
        return mostly(st.sampled_from(good or [SLUG]), odd)  # mostly a route that exists

    def json_value(self):
        leaf = st.one_of(
            self.text(),
            st.integers(min_value=-(10**30), max_value=10**30),
            st.booleans(),
            st.none(),
            st.sampled_from(["#num:1e-300000000", "#num:1e999999", "#num:4.5e0", "#num:-0.0", "#num:2.5"]),
        )
        return st.recursive(
            leaf,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(st.sampled_from(JSON_KEYS) | st.text(max_size=4), inner, max_size=3)
            ),
            max_leaves=8,
        )

    def body(self, method: str, api: bool):
        """A JSON object mostly for the JSON routes, a form mostly for the others, anything sometimes."""
        if method == "GET":
            return st.just(("none", None))
        form = st.lists(
            (st.sampled_from(FIELDS) | st.text(max_size=6)).flatmap(
                lambda f: st.tuples(st.just(f), self.field_text(f))
            ),
            max_size=7,
        )
        obj = st.fixed_dictionaries({}, optional={k: self.field_json(k) for k in JSON_KEYS})
        files = st.tuples(st.sampled_from(sorted(FILES)), st.integers(0, 5), st.sampled_from(FILE_NAMES))
        anything = st.one_of(
            st.tuples(st.just("none"), st.none()),
            st.tuples(st.just("form"), form),
            st.tuples(st.just("multipart"), st.tuples(form, files)),
            st.tuples(st.just("json"), self.json_value()),
            st.tuples(
                st.just("raw"),
                st.sampled_from(
                    ["[" * 50_000, "{", '{"delta": NaN}', "[1]", "1e999999", '"\\ud800"', "\x00", "{}" * 1000]
                ),
            ),
        )
        return mostly(st.tuples(st.just("json"), obj) if api else st.tuples(st.just("form"), form), anything)

    def probes(self, rule, method: str):
        names = list(rule.arguments)
        args = st.fixed_dictionaries({n: self.route_arg(n) for n in names})
        query = st.lists(st.tuples(st.sampled_from(QUERY_KEYS) | st.text(max_size=5), self.text()), max_size=3)
        body = self.body(method, api=rule.rule.startswith("/api/") or rule.rule.endswith("/step"))
        return st.builds(lambda a, q, b: Probe(a, tuple(q), b[0], b[1]), args, query, body)


class Harness:
    """Signed-in clients per role, made anew after a request that may have ended their session.
    Their identities (judges J02 and J01, the account ``fuzz-organizer``) are never in the fuzzed
    values, and each sign-in comes from an address of its own, so no fuzzed wrong PIN or password
    throttles them; the account and the PINs are put back before signing in again."""

    def __init__(self, app) -> None:
        self.app = app
        self.pools = Pools(app)
        self.clients: dict[str, object] = {}
        self.sent = 0
        self.sign_ins = 0
        self.statuses: dict[int, int] = {}
        create_user(engine_of(app), *FUZZ_ORGANIZER, role="organizer")
        self._saved()

    def client(self, role: str):
        if role not in self.clients:
            self.sign_ins += 1
            client = self.app.test_client()
            client.environ_base["REMOTE_ADDR"] = f"10.77.{self.sign_ins // 250}.{self.sign_ins % 250 + 1}"
            if role in ("judge", "chief"):
                code = "J02" if role == "judge" else "J01"
                r = client.post(f"/judge/c/{SLUG}/signin", data={"code": code, "pin": demo_pins([code])[code]})
            elif role == "organizer":
                r = client.post("/login", data={"username": FUZZ_ORGANIZER[0], "password": FUZZ_ORGANIZER[1]})
            assert role == "anonymous" or r.status_code in (302, 303), (role, r.get_data(as_text=True)[:300])
            self.clients[role] = client
        return self.clients[role]

    def _saved(self) -> None:
        """The harness identities as stored now (hashes as text: putting them back costs no hashing)."""
        with reading(engine_of(self.app)) as q:
            self.user = q.exec(select(m.User).where(m.User.username == FUZZ_ORGANIZER[0])).one()
            self.pins = {
                j.code: j.pin_hash
                for j in q.exec(
                    select(m.Judge).where(m.Judge.competition_id == self.pools.cid, m.Judge.code.in_(("J01", "J02")))
                )
            }

    def repair(self, role: str, rule) -> None:
        """After a request that may have ended sessions: the harness identities as they were, no
        throttled sign-ins, and a new session for the sender (for every judge after new cards)."""
        with transaction(engine_of(self.app)) as q:
            user = q.get(m.User, self.user.id)
            user.active, user.role, user.competition_id = True, "organizer", None
            user.password_hash = self.user.password_hash
            q.add(user)
            for j in q.exec(
                select(m.Judge).where(m.Judge.competition_id == self.pools.cid, m.Judge.code.in_(("J01", "J02")))
            ):
                j.pin_hash = self.pins[j.code]
                q.add(j)
        from scoring.web.brakes import limiter

        with self.app.app_context():
            limiter.reset()  # no throttled sign-ins for the harness's own identities
        self.clients.pop(role, None)
        if "cards" in rule.rule:
            self.clients.pop("judge", None)
            self.clients.pop("chief", None)

    def send(self, role: str, rule, method: str, probe: Probe):
        path = rule.rule
        for name, value in probe.args.items():
            safe = "/" if name == "filename" else ""
            part = quote(value.encode("utf-8", "surrogatepass"), safe=safe)
            path = re.sub(r"<(?:[^:<>]+:)?%s>" % re.escape(name), lambda _, part=part: part, path)
        query = "&".join(f"{encoded(k)}={encoded(v)}" for k, v in probe.query)
        kw: dict = {"method": method, "query_string": query}
        if probe.kind == "form":
            kw.update(
                data="&".join(f"{encoded(k)}={encoded(v)}" for k, v in probe.body),
                content_type="application/x-www-form-urlencoded",
            )
        elif probe.kind == "multipart":
            fields, (name, i, filename) = probe.body
            contents = FILES[name][i % len(FILES[name])]
            data = {k: v for k, v in fields if k and "\ud800" not in k + v and "\udfff" not in k + v}
            data[name] = (io.BytesIO(contents), filename)
            # a fixed boundary: werkzeug's own draws from the global random module, which hypothesis forbids
            boundary, body = encode_multipart(data, boundary="fuzz-boundary")
            kw.update(data=body, content_type=f"multipart/form-data; boundary={boundary}")
        elif probe.kind == "json":
            kw.update(data=raw_json(probe.body), content_type="application/json")
        elif probe.kind == "raw":
            kw.update(data=probe.body.encode("utf-8", "surrogatepass"), content_type="application/json")
        client = self.client(role)
        before = stored(self.app)
        r = client.open(path, **kw)
        self.sent += 1
        self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
        where = f"{role} {method} {path[:120]} {probe!r}"[:600]
        assert r.status_code < 500, f"{r.status_code} for {where}: {r.get_data(as_text=True)[:300]}"
        limit = BIG_LIMIT if rule.endpoint in BIG else BODY_LIMIT
        assert len(r.get_data()) <= limit, f"{len(r.get_data())} bytes for {where}"
        if 400 <= r.status_code < 500:
            assert stored(self.app) == before, f"{r.status_code} but something was stored: {where}"
        if (method, rule.rule) in SESSION_ENDING and role != "anonymous":
            self.repair(role, rule)
        return r
