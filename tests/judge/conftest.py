"""Fixtures for the judges' side: the demo competition with known PINs, signed-in clients."""

from __future__ import annotations

import pytest
from judge_helpers import signin


@pytest.fixture
def judge_client(app, seeded):
    """J02 of the childcare practical panel, signed in with the demo PIN."""
    client = app.test_client()
    r = signin(client, "J02")
    assert r.status_code == 302, r.get_data(as_text=True)
    return client


@pytest.fixture
def chief_client(app, seeded):
    client = app.test_client()
    assert signin(client, "J01").status_code == 302
    return client


@pytest.fixture(scope="session")
def judge_demo_db(sqlite_template, tmp_path_factory):
    """The demo competition (with its PINs) built once; each test gets its own copy."""
    import shutil

    from scoring.db import make_engine
    from scoring.demo import build_demo

    path = tmp_path_factory.mktemp("judge-demo") / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    build_demo(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path, judge_demo_db):
    import shutil

    path = tmp_path / "scoring.sqlite"
    shutil.copy(judge_demo_db, path)
    return f"sqlite:///{path}"


@pytest.fixture
def seeded(app):
    """Already in the copied database (see judge_demo_db)."""
    return "yulin-childcare-2025"
