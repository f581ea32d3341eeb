"""Fixtures: a database on SQLite or PostgreSQL (real servers), an app, a client, a seeded
competition, a live server for the browser and socket tests.

PostgreSQL and Redis run on this machine kind; without them the tests that need them skip
with the reason, except under CI=true where a missing service fails the run.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from pathlib import Path

import pytest

from scoring.config import Config

PG_ADMIN_URL = os.environ.get("SCORING_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("SCORING_TEST_REDIS", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI") == "true"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    """The tiers, from what a test uses (so a new test is tiered without anyone remembering to):
    ``browser`` for every test that drives Chromium (any Playwright fixture brings ``browser_name``),
    ``postgres`` for the PostgreSQL run of ``database_url`` and for users of ``pg_template``,
    ``redis`` for users of ``redis_url``. ``slow`` is written on the tests themselves.
    ``bash scripts/test -m "not browser and not slow"`` is the inner loop (README)."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if "browser_name" in used:
            item.add_marker(pytest.mark.browser)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "pg_template" in used or params.get("database_url") == "postgresql":
            item.add_marker(pytest.mark.postgres)
        if "redis_url" in used:
            item.add_marker(pytest.mark.redis)


def _unavailable(what: str, exc: Exception) -> None:
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not reachable: {exc}")
    pytest.skip(f"{what} not reachable on this machine: {exc}")


@pytest.fixture(scope="session")
def redis_url():
    """The Redis of this machine kind (a real server), or a skip with the reason (a failure under CI=true)."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        _unavailable("Redis", exc)
    return REDIS_URL


@pytest.fixture(scope="session")
def pg_template():
    """A migrated PostgreSQL database used as the template for each test's own database."""
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3)
    except Exception as exc:  # noqa: BLE001
        _unavailable("PostgreSQL", exc)
    name = f"scoring_tpl_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    from scoring.migrate import upgrade

    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
    yield admin, name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    from scoring.migrate import upgrade

    path = tmp_path_factory.mktemp("tpl") / "template.sqlite"
    upgrade(f"sqlite:///{path}")
    return path


def _pg_database(pg_template):
    admin, template = pg_template
    name = f"scoring_t_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    return name, url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, sqlite_template):
    """Each test gets its own freshly migrated database, on both engines."""
    if request.param == "sqlite":
        path = tmp_path / "scoring.sqlite"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    pg = request.getfixturevalue("pg_template")
    name, url = _pg_database(pg)
    yield url
    from scoring.db import dispose_all

    dispose_all()
    pg[0].execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    path = tmp_path / "scoring.sqlite"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


def make_config(url: str, instance: Path, **extra):
    class TestConfig(Config):
        INSTANCE_PATH = instance
        DATABASE_URL = url
        TESTING = True
        WTF_CSRF_ENABLED = extra.pop("csrf", False)
        SOCKETIO_ASYNC_MODE = "threading"
        MESSAGE_QUEUE_URL = extra.pop("message_queue", None)

        def __init__(self):
            self.SECRET_KEY = "test-secret"
            for k, v in extra.items():
                setattr(self, k, v)

    return TestConfig()


@pytest.fixture(autouse=True)
def _no_job_outlives_its_test():
    """A job (scoring.jobs: a child process) still running when its test ends is killed: a test
    that waits for a job does so before it ends, and a route answered with a job page by a fuzz or
    access-matrix request (the whole demo's score sheets, say) would otherwise keep a core busy
    for the rest of the run."""
    yield
    from scoring import jobs

    jobs.stop_all()


@pytest.fixture(autouse=True)
def _no_push_outlives_its_test():
    """A live push round a test's last change started (``live.hub``: a background task per dirty
    competition, about 100 ms) is waited for before the next test begins: it otherwise ran against
    a dropped database during the next test's start, and on CPython 3.11 a compile in one thread
    while another builds an AST can fail with "AST constructor recursion depth mismatch" (seen once
    in a full run, in the next test's ``create_app``)."""
    yield
    from scoring import live

    deadline = time.monotonic() + 3
    while live.hub.scheduled - _stuck_pushes and time.monotonic() < deadline:
        time.sleep(0.02)
    _stuck_pushes.update(live.hub.scheduled)  # waited for once: later tests do not wait again


_stuck_pushes: set[int] = set()


@pytest.fixture
def app(sqlite_url, tmp_path):
    from scoring import create_app

    return create_app(make_config(sqlite_url, tmp_path / "instance"))


@pytest.fixture
def any_app(database_url, tmp_path):
    """The app on SQLite and on PostgreSQL."""
    from scoring import create_app

    return create_app(make_config(database_url, tmp_path / "instance"))


@pytest.fixture
def client(app):
    return app.test_client()


def engine_of(app):
    return app.extensions["scoring.engine"]


@pytest.fixture
def seeded(app):
    """The origin story's competition with some marks entered; returns its slug."""
    from scoring.demo import build_demo

    build_demo(engine_of(app))
    return "yulin-childcare-2025"


@pytest.fixture
def live_server(app):
    """The app served by a real threaded Werkzeug server on a free port."""
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": exe, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "timezone_id": "Asia/Shanghai"}


def sign_in(app, client, role: str = "organizer", username: str | None = None, password: str = "correct-horse-1"):
    """Create an account with ``role`` (if needed) and sign the client in through the login form."""
    from scoring.errors import InvalidInput
    from scoring.services.accounts import create_user

    username = username or f"{role}-user"
    try:
        create_user(app.extensions["scoring.engine"], username, password, role=role)
    except InvalidInput:
        pass
    r = client.post("/login", data={"username": username, "password": password})
    assert r.status_code in (302, 303), r.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def organizer_client(app, client):
    return sign_in(app, client, "organizer")


@pytest.fixture(scope="session")
def make_app():
    """An app for a database URL and an instance folder, for fixtures wider than one test."""
    from scoring import create_app

    return lambda url, instance, **extra: create_app(make_config(url, instance, **extra))
