"""The contestant's papers as printed: admission tickets (准考证) and the score report (成绩单), read
back with pdftotext and (the QR code) pdftoppm + zbarimg, from the console, the CLI and the lookup."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from competitions import publish_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.demo_data import childcare_document
from scoring.demo_teams import add_team_event
from scoring.rules.lookup import shown_code
from scoring.services.transfer import import_document

SLUG = "yulin-childcare-2025"
ROOT = Path(__file__).resolve().parents[2]


def text_of(pdf: bytes, tmp_path: Path, name: str = "paper") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def qr_of(pdf: bytes, tmp_path: Path) -> list[str]:
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.fail("pdftoppm and zbarimg are needed: bash scripts/test installs poppler-utils and zbar-tools")
    path = tmp_path / "qr.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(path), str(tmp_path / "qr")],
        check=True,
    )
    out = subprocess.run(
        ["zbarimg", "-q", "--raw", str(tmp_path / "qr.png")], capture_output=True, text=True, timeout=60
    )
    return out.stdout.split()


def _people(engine, cid):
    with reading(engine) as s:
        return {c.code: c for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}


def test_tickets_show_session_station_and_code_never_the_full_id(app, organizer_client, tmp_path):
    engine = app.extensions["scoring.engine"]
    cid = import_document(engine, add_team_event(childcare_document(marks="none")), actor="test")
    people = _people(engine, cid)
    app.config["JOB_INLINE_SHEETS"] = 10**6  # drawn in the request (a job's: tests/admin/test_admin_jobs_paper.py)
    r = organizer_client.get(f"/admin/c/{SLUG}/tickets.pdf?group=childcare")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = text_of(r.data, tmp_path)
    assert text.count("准考证") == 78
    with reading(engine) as s:
        seat = s.exec(select(m.DrawEntry).where(m.DrawEntry.contestant_id == people["C003"].id)).one()
        sitting = s.exec(select(m.StageSession).where(m.StageSession.code == seat.session)).one()
    block = text.split("选手编号：C003")[0].rsplit("姓名", 1)[1] + text.split("选手编号：C003")[1][:2000]
    me = people["C003"]
    assert me.name in text and shown_code(me.lookup_code) in text
    assert f"工位号：{seat.station}" in block and sitting.date in block and sitting.start in block
    assert "*" * 14 + me.id_number[-4:] in text
    assert not [c.id_number for c in people.values() if c.id_number and c.id_number in text]
    assert not [c.lookup_code for c in people.values() if c.lookup_code in text]  # printed with its hyphen
    codes = qr_of(r.data, tmp_path)
    first = people["C001"]
    assert f"http://localhost/results/{SLUG}/lookup?code={first.lookup_code}" in codes
    # a team entry: a ticket for each member, naming the team
    team = next(c for c in people.values() if c.members)
    r = organizer_client.get(f"/admin/c/{SLUG}/tickets.pdf?group=infant-pairs")
    text = text_of(r.data, tmp_path, "teams")
    assert text.count("准考证") == sum(len(c.members) for c in people.values())
    assert all(p["name"] in text for p in team.members) and team.name in text
    assert organizer_client.get(f"/admin/c/{SLUG}/tickets.pdf?group=no-such").status_code == 404


def test_before_the_draw_the_ticket_says_when_its_session_is_announced(tmp_path):
    from scoring.certificates.papers import Ticket, tickets_pdf

    ticket = Ticket(
        "测试竞赛", "张伟", "**************1234", "托育", "某单位", "榆阳区", "C001", "ABCDE-FGHJK", "http://x"
    )
    text = text_of(tickets_pdf([ticket]), tmp_path)
    assert text.count("抽签后公布") == 2 and "ABCDE-FGHJK" in text
    assert "Admission ticket" in text_of(tickets_pdf([ticket], "en"), tmp_path, "en")


def test_the_cli_prints_tickets(tmp_path):
    env = {
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
        "SCORING_PUBLIC_URL": "https://scores.example.org",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "scoring.cli", *args],
            capture_output=True,
            text=True,
            env={**__import__("os").environ, **env},
            cwd=ROOT,
            timeout=120,
        )

    assert run("import", str(ROOT / "docs/examples/childcare.json")).returncode == 0
    out = tmp_path / "tickets.pdf"
    r = run("tickets", SLUG, "--group", "hairdressing", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "20" in r.stdout and text_of(out.read_bytes(), tmp_path).count("准考证") == 20
    assert any(
        x.startswith(f"https://scores.example.org/results/{SLUG}/lookup?code=")
        for x in qr_of(out.read_bytes(), tmp_path)
    )
    assert run("tickets", SLUG, "--group", "nope", "-o", str(out)).returncode == 2


def test_the_score_report_shows_the_published_scores(app, tmp_path):
    from scoring.services import lookup

    engine = app.extensions["scoring.engine"]
    raw = childcare_document(marks="all")
    raw["rules"]["criterion_breakdown"] = True
    cid = publish_document(engine, raw)
    me = _people(engine, cid)["C003"]
    client = app.test_client()
    assert client.post(f"/results/{SLUG}/lookup", data={"code": shown_code(me.lookup_code)}).status_code == 302
    r = client.get(f"/results/{SLUG}/lookup/report.pdf")
    assert r.status_code == 200
    text = text_of(r.data, tmp_path)
    seen = lookup.personal(engine, cid, lookup.find(engine, cid, code=me.lookup_code))
    assert "成绩单" in text and me.name in text and "C003" in text
    for st in seen["stages"]:
        assert st["score"] in text
        assert all(c["name"] in text for c in st["criteria"])
    assert f"总成绩：{seen['total']}" in text and seen["awards"][0] in text
    assert seen["version"]["hash"] in text.replace("\n", "")
    assert me.id_number not in text and me.lookup_code not in text
    assert qr_of(r.data, tmp_path) == [f"http://localhost/results/{SLUG}/lookup"]
