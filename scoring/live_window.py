"""Windows on a big group: a board gets the rows it shows, a phone the row it follows (issue 14).

Why: a national group of 10,000 contestants is about 2 MB of rows, and one mark can move
thousands of ranks (every row between the old and the new place shifts by one). Sending the
group to every board made the push grow with the group. A projector shows twenty rows at a time
and a phone in the seats wants the leaders and one contestant, so a client watching a big group
asks for a *window*:

- a board: one group's positions ``start`` .. ``start + size`` (its page; ``size`` is what fits its
  screen, at most ``PAGE_MAX``), optionally only the contestants seated in a session (场次);
- a phone: the row it follows (by code, anonymous code, or name where names are public);

and every window message also carries the group's leaders (the first ``LEADERS`` rows), the
number of rows (for "page 3 of 400") and the index of groups with their counts (for paging over
groups). A push carries the round's changed scores for the "latest changes" strip (at most
``LATEST_MAX``, each with its rank before), only the rows of the window that differ from the
room's last push (a row that kept its content but moved is a patch of the keys that changed,
usually its rank), and the window's order only when it changed. So a push is bounded by the
window, never by the group.

Where content comes from: every message is cut from the one visible payload of its audience
(``services.results.visible_standings``, which asks ``scoring.visibility``); this module only
slices it. Rooms are per window (group, session, start, size or followed row) × view class ×
locale, so boards on the same page share one message, computed once per version.

This module is pure (no Flask, no Socket.IO): ``scoring.live`` joins the rooms and emits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scoring.rules.numbers import plain_id

WINDOW_FROM = 150  # a group with more rows than this is shown by window (pages and phones)
LEADERS = 3  # the podium, in every window message
LATEST_MAX = 4  # changed scores per push (the board's strip shows four)
PAGE_MAX = 40  # rows a window may ask for
PAGE_GUESS = 20  # the first page a board gets before it has measured its screen
TEXT_MAX = 60  # a group, session or followed code in a window request
_HEADER_SKIP = ("version", "updated_at", "groups", "team_standings", "index", "latest")
_SCORE_KEYS = ("total", "stages", "status")


@dataclass(frozen=True)
class Window:
    group: str
    start: int = 0
    size: int = 0
    session: str = ""
    follow: str = ""

    @property
    def key(self) -> str:
        return f"{self.group}|{self.session}|{self.start}|{self.size}|{self.follow}"

    def as_dict(self) -> dict:
        return {"group": self.group, "start": self.start, "size": self.size, "session": self.session,
                "follow": self.follow}  # fmt: skip


def _text(raw: object) -> str | None:
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > TEXT_MAX or "\x00" in raw or "|" in raw:
        return None
    return raw.strip()


def parse_window(raw: object) -> Window | None:
    """A window as a client asked for it (a JSON object), or None when it is not one: strict like
    every input (bounded texts, plain whole numbers, a size at most ``PAGE_MAX``)."""
    if not isinstance(raw, dict):
        return None
    group, session, follow = _text(raw.get("group")), _text(raw.get("session")), _text(raw.get("follow"))
    start, size = plain_id(raw.get("start", 0)), plain_id(raw.get("size", 0))
    if not group or session is None or follow is None or start is None or size is None or size > PAGE_MAX:
        return None
    try:
        return Window(group, start, 0 if follow else size, session, follow)
    except ValueError:
        return None


def windowed(payload: dict, group: str | None = None) -> bool:
    """Whether a client watching ``group`` (None: every group) should be served by window."""
    return any(len(g["rows"]) > WINDOW_FROM for g in payload["groups"] if not group or g["code"] == group)


def _rows_of(group: dict, session: str) -> list[dict]:
    rows = group["rows"]
    return [r for r in rows if r.get("session") == session] if session else rows


def index(payload: dict, session: str = "") -> list[dict]:
    """Every group with its row count (in a session: its seated rows), for paging over groups."""
    out = []
    for g in payload["groups"]:
        rows = _rows_of(g, session)
        if rows or not session:
            out.append({"code": g["code"], "name": g["name"], "count": len(rows)})
    return out


def positions(rows: list[dict]) -> dict[str, int]:
    """Where each row stands, by what a phone may follow it with: its code, its anonymous code, and
    its name where the payload has names (the first row of a shared name)."""
    where: dict[str, int] = {}
    for i, r in enumerate(rows):
        for ref in (r.get("name"), r.get("label"), r.get("code")):
            if ref:
                where.setdefault(ref, i)
    return where


def window_cut(payload: dict, win: Window, latest: list[dict] | None = None, memo: dict | None = None) -> dict:
    """What a window shows of an audience's visible payload: the header, the group index, and one
    group with its count, its leaders and the window's rows. ``memo``: a dict kept while cutting
    many windows from one payload (a session's rows and where each row stands are found once)."""
    memo = {} if memo is None else memo
    out = {k: v for k, v in payload.items() if k != "groups"}
    if ("index", win.session) not in memo:
        memo[("index", win.session)] = index(payload, win.session)
    out["index"] = memo[("index", win.session)]
    out["window"] = win.as_dict()
    out["latest"] = latest or []
    out["groups"] = []
    group = next((g for g in payload["groups"] if g["code"] == win.group), None)
    if group is None:
        return out
    if ("rows", win.group, win.session) not in memo:
        memo[("rows", win.group, win.session)] = _rows_of(group, win.session)
    rows = memo[("rows", win.group, win.session)]
    start, size = win.start, win.size
    if win.follow:
        if ("where", win.group, win.session) not in memo:
            memo[("where", win.group, win.session)] = positions(rows)
        start = memo[("where", win.group, win.session)].get(win.follow, len(rows))
        size = 1
    head = {k: v for k, v in group.items() if k != "rows"}
    shown = rows[start : start + size]
    out["groups"] = [{**head, "count": len(rows), "start": start, "leaders": rows[:LEADERS], "rows": shown}]
    return out


def _score(row: dict) -> tuple:
    return tuple(row.get(k) for k in _SCORE_KEYS)


def latest_changes(before: dict | None, after: dict) -> dict[str, list[dict]]:
    """Per group: the rows whose score changed between two payloads of one audience (at most
    ``LATEST_MAX``, the first stage that changed and the rank before), for the strip."""
    if before is None:
        return {}
    out: dict[str, list[dict]] = {}
    old_groups = {g["code"]: g for g in before["groups"]}
    for g in after["groups"]:
        old = old_groups.get(g["code"])
        if old is None or old["rows"] is g["rows"]:
            continue
        was = {r["code"]: r for r in old["rows"]}
        found = []
        for r in g["rows"]:
            prev = was.get(r["code"])
            if prev is None or prev is r or _score(prev) == _score(r):
                continue
            stages = r.get("stages") or {}
            old_stages = prev.get("stages") or {}
            stage = next((st for st in stages if stages.get(st) != old_stages.get(st)), None)
            found.append({"row": r, "before": prev.get("rank"), "stage": stage})
            if len(found) == LATEST_MAX:
                break
        if found:
            out[g["code"]] = found
    return out


def _patch(old: dict, new: dict) -> dict | None:
    """The keys of ``new`` that differ from ``old`` (with its code), or None to send it whole."""
    if old.keys() != new.keys():
        return None
    return {"code": new["code"], **{k: v for k, v in new.items() if old[k] != v}}


def window_message(last: tuple[int, dict] | None, cut: dict) -> dict | None:
    """The push for a window room whose previous push was ``last``: None when nothing it shows
    changed; a snapshot when the frame changed (state, columns, reveal, another group); else a
    delta: the window's changed rows (entering rows whole, moved rows as patches), its order when
    it changed, the leaders and the index when they changed, and the round's latest changes."""
    if last is None:
        return {"kind": "snapshot", "base": None, **cut}
    base_version, prev = last
    header = {k: v for k, v in cut.items() if k not in _HEADER_SKIP}
    prev_header = {k: v for k, v in prev.items() if k not in _HEADER_SKIP}
    same_group = [g["code"] for g in prev["groups"]] == [g["code"] for g in cut["groups"]]
    if header != prev_header or not same_group:
        return {"kind": "snapshot", "base": base_version, **cut}
    delta: dict[str, Any] = {"kind": "delta", "base": base_version, "version": cut["version"],
                             "updated_at": cut.get("updated_at"), "groups": []}  # fmt: skip
    for old, new in zip(prev["groups"], cut["groups"]):
        part: dict[str, Any] = {"code": new["code"]}
        before = {r["code"]: r for r in old["rows"]}
        rows, patches = [], []
        for r in new["rows"]:
            was = before.get(r["code"])
            if was is None:
                rows.append(r)
            elif was != r:
                patch = _patch(was, r)
                (rows if patch is None else patches).append(r if patch is None else patch)
        if rows:
            part["rows"] = rows
        if patches:
            part["patch"] = patches
        order = [r["code"] for r in new["rows"]]
        if order != [r["code"] for r in old["rows"]]:
            part["order"] = order
        for key in ("count", "start", "leaders"):
            if old.get(key) != new.get(key):
                part[key] = new.get(key)
        if len(part) > 1:
            delta["groups"].append(part)
    if prev.get("index") != cut.get("index"):
        delta["index"] = cut.get("index")
    if prev.get("team_standings", []) != cut.get("team_standings", []):
        delta["team_standings"] = cut.get("team_standings", [])
    if cut.get("latest"):
        delta["latest"] = cut["latest"]
    if not delta["groups"] and len(delta) == 5:
        return None
    return delta
