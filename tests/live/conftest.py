"""Fixtures for live boards: the demo competition with every mark in, signed-in accounts and
real Socket.IO clients. Helpers live in live_helpers.py."""

from __future__ import annotations

import shutil

import pytest
from live_helpers import SLUG, BoardClient, engine_of, import_competition
from sqlmodel import select

from scoring import models as m
from scoring.db import reading


@pytest.fixture(scope="session")
def seeded_template(sqlite_template, tmp_path_factory):
    """A migrated SQLite file with the demo competition fully marked, boards live, and one account
    per role (built once; each test gets its own copy)."""
    from scoring.db import make_engine
    from scoring.services.accounts import create_user

    path = tmp_path_factory.mktemp("live") / "seeded.sqlite"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    import_competition(engine)
    for role in ("organizer", "chief", "judge"):
        create_user(engine, role, "correct-horse-1", role=role, display_name=role)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path, seeded_template):
    """Overrides the root fixture: every live test starts from the seeded copy."""
    path = tmp_path / "scoring.sqlite"
    shutil.copy(seeded_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def comp(app):
    """(engine, competition id) of the demo competition, fully marked, boards live."""
    engine = engine_of(app)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == SLUG)).one()
    return engine, cid


@pytest.fixture
def accounts(comp):
    """One account per role (in the seeded template); password 'correct-horse-1'."""
    return ("organizer", "chief", "judge")


@pytest.fixture
def board_client(live_server):
    made: list[BoardClient] = []

    def make(**kw):
        client = BoardClient(live_server, **kw)
        made.append(client)
        return client

    yield make
    for client in made:
        try:
            client.close()
        except Exception:  # noqa: BLE001
            pass


NATIONAL_SIZE = 10_000


@pytest.fixture(scope="session")
def national_template(sqlite_template, tmp_path_factory):
    """A migrated SQLite file with 10,000 contestants in one group, boards live (built once)."""
    from scoring.db import make_engine
    from scoring.demo_national import national_document
    from scoring.services import live_admin
    from scoring.services.transfer import import_document

    path = tmp_path_factory.mktemp("national") / "national.sqlite"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    cid = import_document(engine, national_document(NATIONAL_SIZE), actor="test")
    live_admin.set_visibility(engine, cid, "live", "test")
    engine.dispose()
    return path


@pytest.fixture
def national_url(tmp_path, national_template):
    """A copy of the national template; a module that uses it sets ``sqlite_url = national_url``."""
    path = tmp_path / "scoring.sqlite"
    shutil.copy(national_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def national(app):
    """(engine, competition id, the public rows) of the national group, its standings computed."""
    from scoring.demo_national import SLUG as NATIONAL_SLUG
    from scoring.services.results import visible_standings
    from scoring.visibility import Audience

    engine = engine_of(app)
    with reading(engine) as s:
        cid = s.exec(select(m.Competition.id).where(m.Competition.slug == NATIONAL_SLUG)).one()
    rows = visible_standings(engine, cid, Audience.PUBLIC, "zh_Hans_CN")["groups"][0]["rows"]
    return engine, cid, rows
