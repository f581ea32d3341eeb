"""The `scoring` command: results from a document alone, all-or-nothing import, export."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "childcare.json"


def run(*args, env_extra=None, cwd=None):
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "scoring.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd or ROOT,
        timeout=120,
    )


def test_results_from_a_document_alone_prints_standings_awards_and_flags():
    r = run("results", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    groups = {g["code"]: g for g in report["groups"]}
    childcare = groups["childcare"]
    assert len(childcare["rows"]) == 78
    awards = [a for row in childcare["rows"] for a in row["awards"]]
    # 78 contestants: 10/20/30 % half-up -> 8/16/23 (ties at a cut may add, never remove)
    assert awards.count("一等奖") >= 8
    assert awards.count("二等奖") >= 16 - (awards.count("一等奖") - 8)
    assert "flags" in report
    text = r.stdout
    for person in json.loads(EXAMPLE.read_text(encoding="utf-8"))["contestants"][:10]:
        for private in ("id_number", "phone"):
            if person.get(private):
                assert person[private] not in text


def test_results_table_is_readable_in_chinese():
    r = run("results", str(EXAMPLE), "--format", "table")
    assert r.returncode == 0, r.stderr
    assert "托育" in r.stdout


def test_bad_document_fails_with_field_and_reason_in_both_languages(tmp_path):
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["stages"][0]["weight"] = "abc"
    doc["contestants"][3]["group"] = "nope"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    zh = run("results", str(bad))
    assert zh.returncode != 0
    assert "stages[0].weight" in zh.stderr and "contestants[3].group" in zh.stderr
    assert "未做任何更改" in zh.stderr
    en = run("results", str(bad), "--lang", "en")
    assert en.returncode != 0
    assert "contestants[3].group" in en.stderr and "nothing was changed" in en.stderr


def test_malformed_json_names_the_line(tmp_path):
    bad = tmp_path / "broken.json"
    bad.write_text('{\n  "format": "scoring-competition",\n  "version": 1,,\n}', encoding="utf-8")
    r = run("results", str(bad))
    assert r.returncode != 0
    assert "3" in r.stderr  # the line of the syntax error


@pytest.mark.slow
def test_import_is_all_or_nothing_and_export_round_trips(tmp_path):
    env = {
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["marks"][5]["judge"] = "NO-SUCH-JUDGE"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = run("import", str(bad), env_extra=env)
    assert r.returncode == 2
    assert "marks[5].judge" in r.stderr
    out = tmp_path / "out.json"
    r = run("export", doc["competition"]["slug"], "-o", str(out), env_extra=env)
    assert r.returncode == 2  # nothing was imported
    r = run("import", str(EXAMPLE), env_extra=env)
    assert r.returncode == 0, r.stderr
    r = run("export", doc["competition"]["slug"], "-o", str(out), env_extra=env)
    assert r.returncode == 0, r.stderr
    again = run("results", str(out))
    first = run("results", str(EXAMPLE))
    assert json.loads(again.stdout)["groups"] == json.loads(first.stdout)["groups"]


def test_demo_builds_without_serving(tmp_path):
    env = {
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite'}",
    }
    r = run("demo", "--no-serve", env_extra=env)
    assert r.returncode == 0, r.stderr
    assert "/board/yulin-childcare-2025" in r.stdout
    assert "/admin/c/yulin-childcare-2025" in r.stdout


@pytest.mark.slow
def test_an_account_limited_to_one_competition_is_created_by_its_code(tmp_path):
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import make_engine, reading

    env = {
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }
    slug = json.loads(EXAMPLE.read_text(encoding="utf-8"))["competition"]["slug"]
    r = run("user", "create", "scoped", "--competition", "no-such", "--password", "long-enough-1", env_extra=env)
    assert r.returncode == 2 and "no-such" in r.stderr
    assert run("import", str(EXAMPLE), env_extra=env).returncode == 0
    r = run("user", "create", "scoped", "--competition", slug, "--password", "long-enough-1", env_extra=env)
    assert r.returncode == 0, r.stderr
    engine = make_engine(env["SCORING_DATABASE_URL"])
    with reading(engine) as s:
        user = s.exec(select(m.User).where(m.User.username == "scoped")).one()
        comp = s.exec(select(m.Competition).where(m.Competition.slug == slug)).one()
    engine.dispose()
    assert user.competition_id == comp.id and user.role == "organizer"


def test_replace_of_a_published_competition_needs_confirmation_and_keeps_its_certificates(tmp_path):
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import make_engine, reading, transaction

    env = {
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }
    slug = json.loads(EXAMPLE.read_text(encoding="utf-8"))["competition"]["slug"]
    assert run("import", str(EXAMPLE), env_extra=env).returncode == 0
    engine = make_engine(env["SCORING_DATABASE_URL"])
    with transaction(engine) as s:  # as a publication leaves them (the services' tests publish for real)
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one()
        s.add(m.ResultVersion(competition_id=cid, number=1, content_hash="0" * 64))
        s.add(m.Certificate(competition_id=cid, serial="ZS202501-0001", contestant="C001", name="张伟", award="一等奖"))
    r = run("import", str(EXAMPLE), "--replace", env_extra=env)
    assert r.returncode == 2 and "--confirm-keep-history" in r.stderr and "版本数：1" in r.stderr
    with reading(engine) as s:
        assert s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one() == cid
    r = run("import", str(EXAMPLE), "--replace", "--confirm-keep-history", env_extra=env)
    assert r.returncode == 0, r.stderr
    with reading(engine) as s:
        new = s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one()
        cert = s.exec(select(m.Certificate).where(m.Certificate.serial == "ZS202501-0001")).one()
        versions = s.exec(select(m.ResultVersion.number).where(m.ResultVersion.competition_id == new)).all()
    engine.dispose()
    assert cert.competition_id == new and cert.name == "张伟" and versions == [1]
