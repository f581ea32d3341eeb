"""Helpers of the organizer console tests: a small competition with no contestants yet, an organizer
signed in, and helpers that enter marks through the one write path (the judges' tablets are
another area; here marks are only the means to reach publication)."""

from __future__ import annotations

import time

from competitions import small_document  # noqa: F401  (the console tests import it from here)

ORGANIZER = ("boss", "secret-pass-1")


def engine_of(app):
    return app.extensions["scoring.engine"]


def enter_marks(app, cid: int, values: dict[str, str]) -> None:
    """contestant code -> theory mark, entered as judge J01 through services.marks.submit_mark."""
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.services.marks import submit_mark

    eng = engine_of(app)
    with reading(eng) as s:
        judge = s.exec(select(m.Judge).where(m.Judge.competition_id == cid, m.Judge.code == "J01")).one()
        aspect = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == "T1")).one()
        people = {c.code: c.id for c in s.exec(select(m.Contestant).where(m.Contestant.competition_id == cid))}
    for code, value in values.items():
        submit_mark(
            eng,
            competition_id=cid,
            judge_id=judge.id,
            contestant_id=people[code],
            aspect_id=aspect.id,
            value=value,
            idempotency_key=f"test-{code}-{value}",
            based_on_version=0,
            entered_by="test",
        )


TEAM_PEOPLE = {  # code -> (name, region): 东县 160.5 (90.5 + 70), 西县 95 (+ 0), "=1+1" 60
    "C001": ("张伟", "东县"),
    "C002": ("杨堃", "西县"),
    "C003": ("周玥", "东县"),
    "C004": ("李娜", "=1+1"),
}
TEAM_MARKS = {"C001": "90.5", "C002": "95", "C003": "70", "C004": "60"}
COUNTY = {
    "code": "county",
    "name": "县区团体总分",
    "name_en": "County team score",
    "method": "sum",
    "best": 2,
    "short": "zero",
}


def team_standing_competition(app, standing: dict = COUNTY) -> int:
    """The small competition with TEAM_PEOPLE in its one group, one team standing declared, marks
    entered, the stage locked and the draw revealed: ready to publish."""
    from scoring.services import draw, publication
    from scoring.services.transfer import import_document

    doc = small_document()
    doc["rules"]["team_standings"] = [standing]
    doc["contestants"] = [
        {"code": code, "name": name, "gender": "女", "region": region, "group": "childcare"}
        for code, (name, region) in TEAM_PEOPLE.items()
    ]
    eng = engine_of(app)
    cid = import_document(eng, doc)
    draw.draw_lots(eng, cid, "t", seed="fixed")
    enter_marks(app, cid, TEAM_MARKS)
    publication.set_stage_state(eng, cid, "theory", True, "t")
    draw.reveal(eng, cid, "t")
    return cid


CSV_GOOD = (
    "姓名,性别,单位,县区,组别,身份证号,手机号\n"
    "张伟,女,榆阳区第一幼儿园,榆阳区,托育,,13800000001\n"
    "杨堃,男,神木市第一幼儿园,神木市,托育,,13800000002\n"
    "赵喆,女,府谷县实验幼儿园,府谷县,托育,,13800000003\n"
)
CSV_BAD = (
    "姓名,性别,单位,县区,组别,身份证号,手机号\n"
    "张伟,女,榆阳区第一幼儿园,榆阳区,托育,,13800000001\n"
    ",男,神木市第一幼儿园,神木市,托育,,13800000002\n"
    "赵喆,女,府谷县实验幼儿园,府谷县,美甲,,13800000003\n"
    "张伟,女,榆阳区第一幼儿园,榆阳区,托育,,12345\n"
)


def csrf_config(url: str, instance):
    """The app's configuration with CSRF protection on (the shared test config turns it off)."""
    from scoring.config import Config

    class CsrfConfig(Config):
        INSTANCE_PATH = instance
        DATABASE_URL = url
        TESTING = True
        WTF_CSRF_ENABLED = True

        def __init__(self):
            self.SECRET_KEY = "test-secret"

    return CsrfConfig()


def finished(client, where: str, seconds: float = 60) -> dict:
    """Poll the job's status as its page does, until it is done or failed; every answer seen."""
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        r = client.get(where, headers={"Accept": "application/json"})
        assert r.status_code == 200
        seen.append(r.get_json())
        if seen[-1]["state"] in ("done", "failed"):
            return {**seen[-1], "seen": seen}
        time.sleep(0.1)
    raise AssertionError(f"the job did not finish: {seen[-1]}")
