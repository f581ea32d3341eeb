"""The demo: the origin story's competition, ready to click through."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from scoring.demo_data import childcare_document
from scoring.demo_teams import add_team_event
from scoring.services.transfer import import_document


def build_demo(engine: Engine) -> list[tuple[str, str]]:
    """(Re)build the demo competition and return (label, path) pairs of what to open."""
    raw = add_team_event(childcare_document(marks="some"))  # with a two-person 育婴 team event
    raw["competition"]["visibility"] = "live"
    # an earlier demo's published results and certificates are kept: its serials still verify
    cid = import_document(engine, raw, actor="demo", replace=True, keep_history=True)
    _publish_theory(engine, cid)
    slug = raw["competition"]["slug"]
    urls = [
        ("组织者 Organizer", f"/admin/c/{slug}"),
        ("裁判 Judge", f"/judge/c/{slug}"),
        ("大屏 Board", f"/board/{slug}"),
    ]
    urls.extend(_judging_demo(engine, slug))
    urls.extend(_console_demo(engine, slug))
    urls.append(_lookup_demo(raw))
    return urls


def _lookup_demo(raw: dict) -> tuple[str, str]:
    """The result lookup (成绩查询) with one demo contestant's lookup code and name + ID tail
    (the demo's codes are fixed: demo_data.demo_lookup_codes)."""
    from scoring.rules.lookup import shown_code

    c = next(x for x in raw["contestants"] if x["code"] == "C003")
    label = f"成绩查询 Result lookup ({c['name']}: {shown_code(c['lookup_code'])}, 或 or {c['id_number'][-6:]})"
    return label, f"/results/{raw['competition']['slug']}/lookup"


def _publish_theory(engine: Engine, cid: int) -> None:
    """Theory results announced before the practical ends (issue 12): the theory stage locked and
    published as a stage publication (by anonymous code, the draw map still sealed) while the
    practical is still being marked. A rerun keeps the earlier demo's versions: when they already
    cover the theory unchanged, or everything is published, there is nothing new to publish."""
    from scoring.errors import Conflict
    from scoring.services import publication, staged

    publication.set_stage_state(engine, cid, "theory", True, actor="demo")
    try:
        staged.publish_stage(engine, cid, "theory", "", "demo")
    except Conflict:
        pass  # a rerun: the kept history already publishes this theory (or everything)


def _console_demo(engine: Engine, slug: str) -> list[tuple[str, str]]:
    """The organizer account of the console (tolerates the judges' demo having made it already)."""
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.services.accounts import ensure_user

    ensure_user(engine, "organizer", "demo-organizer", role="organizer", display_name="演示组织者")
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == slug)).one()
    for n, (user, password) in enumerate(DEMO_CLERKS, start=1):  # 录分员: paper sheets typed in twice
        ensure_user(engine, user, password, role="clerk", display_name=f"演示录分员{n}", competition_id=cid)
    return [
        ("组织者登录 Organizer sign-in (organizer / demo-organizer)", f"/login?next=/admin/c/{slug}"),
        ("录分员 Clerks (clerk1 / demo-clerk1, clerk2 / demo-clerk2)", f"/login?next=/clerk/c/{slug}"),
        ("公开成绩 Public results", f"/results/{slug}"),
        ("抽签核验 Draw check", f"/draw/{slug}"),
    ]


DEMO_ORGANIZER = ("organizer", "demo-organizer")
DEMO_CLERKS = (("clerk1", "demo-clerk1"), ("clerk2", "demo-clerk2"))


def demo_pins(codes) -> dict[str, str]:
    """The demo judges' known PINs: J01 -> 1001, J02 -> 1002, ... J17 -> 1017."""
    return {code: f"10{code[1:]}" for code in codes}


def _judging_demo(engine: Engine, slug: str) -> list[tuple[str, str]]:
    """Known PINs for the demo judges and the demo organizer account (shared with the organizer console)."""
    from sqlmodel import select

    from scoring import models as m
    from scoring.db import reading
    from scoring.errors import InvalidInput
    from scoring.services.accounts import create_user
    from scoring.services.judging import set_pins

    with reading(engine) as s:
        comp = s.exec(select(m.Competition).where(m.Competition.slug == slug)).one()
        codes = [
            j.code for j in s.exec(select(m.Judge).where(m.Judge.competition_id == comp.id).order_by(m.Judge.code))
        ]
        exists = s.exec(select(m.User).where(m.User.username == DEMO_ORGANIZER[0])).first() is not None
    pins = demo_pins(codes)
    set_pins(engine, comp.id, pins, actor="demo")
    if not exists:
        try:
            create_user(
                engine, DEMO_ORGANIZER[0], DEMO_ORGANIZER[1], role="organizer", display_name="演示组织者", actor="demo"
            )
        except InvalidInput:
            pass  # created meanwhile by the organizer console's demo set-up
    return [
        ("裁判长 Chief judge (J01, PIN 1001)", f"/judge/c/{slug}"),
        ("裁判 PIN Judge PINs", "  ".join(f"{c}={p}" for c, p in pins.items())),
        ("登录卡 Login cards (organizer / demo-organizer)", f"/judge/c/{slug}/cards"),
    ]
