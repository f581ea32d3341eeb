"""Sign-off, unlock with a reason, confirmation by the chief judge, the spread rule and re-score rounds."""

from __future__ import annotations

from judge_helpers import SLUG, a_value, engine_of, panel_of, post_mark, sheet_of, signin
from sqlmodel import select

from scoring import models as m
from scoring.db import reading

PANEL = ("J02", "J03", "J04", "J05", "J06")


def _clients(app):
    out = {}
    for code in PANEL:
        cl = app.test_client()
        signin(cl, code)
        out[code] = cl
    return out


def _common_unmarked(clients) -> dict:
    """A contestant no judge of the panel is recused from, with no marks yet."""
    sheets = [sheet_of(cl) for cl in clients.values()]
    refs = [{c["ref"] for c in s["contestants"] if c["status"] == "missing"} for s in sheets]
    ref = sorted(set.intersection(*refs))[0]
    return next(c for c in sheets[0]["contestants"] if c["ref"] == ref), sheets[0]


def _mark_all(cl, c, sheet, prefix, judgement="2"):
    for a in panel_of(sheet, c)["aspects"]:
        value = judgement if a["type"] == "judgement" else a_value(a)
        r = post_mark(cl, c["ref"], a["code"], value, f"{prefix}-{a['code']}")
        assert r.status_code == 201, r.get_json()


def _api(cl, what, **body):
    return cl.post(f"/api/v1/judging/{SLUG}/{what}?lang=en", json=body)


def test_sign_off_locks_unlock_needs_a_reason_and_confirmation_needs_every_signature(app, seeded, chief_client):
    clients = _clients(app)
    c, sheet = _common_unmarked(clients)
    j2 = clients["J02"]
    r = _api(j2, "sign", contestant=c["ref"])
    assert r.status_code == 422  # nothing marked yet: every aspect must be marked first
    _mark_all(j2, c, sheet, "j2")
    assert _api(j2, "sign", contestant=c["ref"]).status_code == 200
    mine = next(x for x in sheet_of(j2)["contestants"] if x["ref"] == c["ref"])
    assert mine["status"] == "signed" and mine["marks"]["A1.1"]["state"] == "signed"
    # a signed mark cannot be corrected
    r = post_mark(j2, c["ref"], "A1.1", "4", "j2-fix", based_on=mine["marks"]["A1.1"]["version"])
    assert (
        r.status_code == 409
        and "unlock" in r.get_json()["error"]["message"].lower()
        or "解锁" in r.get_json()["error"]["message"]
    )
    # only the chief judge unlocks, and only with a reason
    assert _api(j2, "unlock", judge="J02", contestant=c["ref"], reason="x").status_code == 403
    r = _api(chief_client, "unlock", judge="J02", contestant=c["ref"], reason="  ")
    assert r.status_code == 422 and r.get_json()["error"]["problems"][0]["field"] == "reason"
    assert _api(chief_client, "unlock", judge="J02", contestant=c["ref"], reason="A1.1 misread").status_code == 200
    mine = next(x for x in sheet_of(j2)["contestants"] if x["ref"] == c["ref"])
    assert mine["status"] == "submitted"
    assert post_mark(j2, c["ref"], "A1.1", "4", "j2-fix2", based_on=mine["marks"]["A1.1"]["version"]).status_code == 201
    with reading(engine_of(app)) as s:
        ev = s.exec(select(m.AuditEvent).where(m.AuditEvent.kind == "sheet.unlocked")).one()
        versions = s.exec(
            select(m.Mark.version, m.Mark.state, m.Mark.entered_by, m.Mark.reason)
            .join(m.Aspect, m.Aspect.id == m.Mark.aspect_id)
            .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Mark.contestant_id)
            .join(m.Judge, m.Judge.id == m.Mark.judge_id)
            .where(m.Aspect.code == "A1.1", m.DrawEntry.code == c["ref"], m.Judge.code == "J02")
            .order_by(m.Mark.version)
        ).all()
    assert ev.actor == "J01" and ev.payload["reason"] == "A1.1 misread"
    assert [(v, st) for v, st, _, _ in versions] == [
        (1, "submitted"),
        (2, "signed"),
        (3, "submitted"),
        (4, "submitted"),
    ]
    assert versions[2][2:] == ("J01", "A1.1 misread")
    # confirmation waits for every judge's signature
    panel_id = c["panel_id"]
    r = _api(chief_client, "confirm", panel=panel_id, contestant=c["ref"])
    assert r.status_code == 409 and "J02" in r.get_json()["error"]["message"]
    for code, cl in clients.items():
        if code != "J02":
            _mark_all(cl, c, sheet, code)
        assert _api(cl, "sign", contestant=c["ref"]).status_code == 200
    # a judge who entered marks can never confirm (and a plain judge may not anyway)
    assert _api(j2, "confirm", panel=panel_id, contestant=c["ref"]).status_code == 403
    assert _api(chief_client, "confirm", panel=panel_id, contestant=c["ref"]).status_code == 200
    grid = chief_client.get(f"/api/v1/judging/{SLUG}/progress").get_json()
    row = next(r for p in grid["panels"] if p["id"] == panel_id for r in p["rows"] if r["ref"] == c["ref"])
    assert row["confirmed_by"] == "J01" and set(row["cells"].values()) == {"signed"}


def test_chief_who_entered_marks_cannot_confirm(app, seeded):
    """A chief judge sitting on the panel is never the confirmer of a sheet they marked."""
    with reading(engine_of(app)) as s:
        j = s.exec(select(m.Judge).where(m.Judge.code == "J02")).one()
    from scoring.db import transaction

    with transaction(engine_of(app)) as s:
        j = s.get(m.Judge, j.id)
        j.role = "chief"
        s.add(j)
    clients = _clients(app)
    c, sheet = _common_unmarked(clients)
    for code, cl in clients.items():
        _mark_all(cl, c, sheet, code)
        assert _api(cl, "sign", contestant=c["ref"]).status_code == 200
    r = _api(clients["J02"], "confirm", panel=c["panel_id"], contestant=c["ref"])
    assert r.status_code == 403 and "another chief judge" in r.get_json()["error"]["message"]


def test_spread_violation_flags_at_once_and_a_rescore_round_keeps_both_rounds(app, seeded, chief_client):
    clients = _clients(app)
    c, sheet = _common_unmarked(clients)
    ref = c["ref"]
    values = {"J02": "0", "J03": "2", "J04": "2", "J05": "3", "J06": "2"}  # spread 3 > 1 on a 0..3 judgement
    for i, (code, v) in enumerate(values.items()):
        assert post_mark(clients[code], ref, "A1.3", v, f"sp-{code}").status_code == 201
        grid = chief_client.get(f"/api/v1/judging/{SLUG}/progress").get_json()
        row = next(
            r
            for p in grid["panels"]
            for r in p["rows"]
            if r["ref"] == ref and r["flags"] is not None and p["id"] == c["panel_id"]
        )
        # no flag until the panel's marks for the aspect are all in
        assert bool(row["flags"]) == (i == len(values) - 1)
    assert row["flags"] == [{"aspect": "A1.3", "round": 1, "state": "open", "spread": "3", "allowed": "1"}]
    # judges cannot open a round; the chief judge can, once
    assert _api(clients["J02"], "rescore", contestant=ref, aspect="A1.3").status_code == 403
    r = _api(chief_client, "rescore", contestant=ref, aspect="A1.3", reason="discussed")
    assert r.status_code == 200 and r.get_json()["round"] == 2
    assert _api(chief_client, "rescore", contestant=ref, aspect="A1.3").status_code == 409
    # the judges see only that they must re-mark (no value, nobody else's marks)
    for cl in clients.values():
        cell = next(x for x in sheet_of(cl)["contestants"] if x["ref"] == ref)["marks"]["A1.3"]
        assert cell == {"value": None, "version": 0, "state": "remark", "round": 2}
    grid = chief_client.get(f"/api/v1/judging/{SLUG}/progress").get_json()
    row = next(r for p in grid["panels"] for r in p["rows"] if r["ref"] == ref and p["id"] == c["panel_id"])
    assert set(row["cells"].values()) == {"remark"} and row["flags"][0]["state"] == "rescoring"
    # round 2 within the rule resolves the flag
    for code, cl in clients.items():
        r = post_mark(cl, ref, "A1.3", "2" if code != "J05" else "3", f"sp2-{code}")
        assert r.status_code == 201 and r.get_json()["round"] == 2
    grid = chief_client.get(f"/api/v1/judging/{SLUG}/progress").get_json()
    row = next(r for p in grid["panels"] for r in p["rows"] if r["ref"] == ref and p["id"] == c["panel_id"])
    assert row["flags"] == []
    with reading(engine_of(app)) as s:
        rounds = s.exec(
            select(m.Mark.round, m.Mark.value)
            .join(m.Aspect, m.Aspect.id == m.Mark.aspect_id)
            .join(m.DrawEntry, m.DrawEntry.contestant_id == m.Mark.contestant_id)
            .where(m.Aspect.code == "A1.3", m.DrawEntry.code == ref)
        ).all()
        kinds = [
            e.kind
            for e in s.exec(select(m.AuditEvent).where(m.AuditEvent.subject.like("%/A1.3%")).order_by(m.AuditEvent.id))
        ]
    assert sorted(r for r, _ in rounds) == [1] * 5 + [2] * 5
    assert "spread.flagged" in kinds and "round.opened" in kinds and "spread.resolved" in kinds
    assert kinds.index("spread.flagged") < kinds.index("round.opened") < kinds.index("spread.resolved")


def test_heartbeats_show_tablets_and_unsent_counts_in_the_grid(app, judge_client, chief_client):
    r = judge_client.post(f"/api/v1/judging/{SLUG}/heartbeat", json={"client_id": "tab-J02", "unsent": 3})
    assert r.status_code == 200
    assert (
        judge_client.post(f"/api/v1/judging/{SLUG}/heartbeat", json={"client_id": "tab-J02", "unsent": "x"}).status_code
        == 422
    )
    grid = chief_client.get(f"/api/v1/judging/{SLUG}/progress").get_json()
    assert grid["tablets"] == [
        {**grid["tablets"][0], "client_id": "tab-J02", "judge": "J02", "unsent": 3, "online": True}
    ]
    # judges do not get the grid
    assert judge_client.get(f"/api/v1/judging/{SLUG}/progress").status_code == 403


def test_each_judge_is_listed_once_with_the_newest_tablet_state(app, judge_client, chief_client):
    """Old browser sessions of a judge are not listed again as offline beside the live one."""
    from datetime import timedelta

    from scoring import models as m
    from scoring.db import transaction

    for client_id, unsent in (("tab-old", 5), ("tab-new", 1)):
        assert (
            judge_client.post(
                f"/api/v1/judging/{SLUG}/heartbeat", json={"client_id": client_id, "unsent": unsent}
            ).status_code
            == 200
        )
    with transaction(app.extensions["scoring.engine"]) as s:  # the old session last spoke an hour ago
        old = s.get(m.TabletHeartbeat, "tab-old")
        old.last_seen = old.last_seen - timedelta(hours=1)
        s.add(old)
    tablets = chief_client.get(f"/api/v1/judging/{SLUG}/progress").get_json()["tablets"]
    assert [(t["judge"], t["client_id"], t["online"], t["unsent"], t["sessions"]) for t in tablets] == [
        ("J02", "tab-new", True, 1, 2)
    ]
