"""`scoring serve --workers N`: refused with a clear message where N processes cannot work
(SQLite, no Redis, the threaded development server); the production settings every process
gets (a short graceful stop, no shared gunicorn control socket); the standings relay's messages.
The processes themselves, behind nginx: tests/live/test_live_processes.py."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from scoring import live_relay, processes
from scoring.cli import main

PG = "postgresql+psycopg://scoring@127.0.0.1/scoring"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize("lang", ["zh_Hans_CN", "en"])
def test_more_than_one_process_on_sqlite_is_refused_and_says_what_to_set(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("SCORING_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SCORING_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["serve", "--workers", "2", "--lang", lang])
    assert result.exit_code == 2
    assert "SCORING_DATABASE_URL=postgresql+psycopg://" in result.output
    assert ("PostgreSQL" in result.output) and (("需要" in result.output) == (lang != "en"))
    assert not (tmp_path / "scoring.sqlite").exists()  # refused before anything was touched


def test_the_refusals():
    assert processes.refusal(1, "sqlite:///x.sqlite", None, "gevent") is None  # one process: as before
    assert processes.refusal(2, "sqlite:///x.sqlite", REDIS, "gevent") == processes.NEEDS_POSTGRESQL
    assert processes.refusal(2, PG, None, "gevent") == processes.NEEDS_REDIS
    assert processes.refusal(2, PG, "amqp://x", "gevent") == processes.NEEDS_REDIS
    assert processes.refusal(2, PG, REDIS, "threading") == processes.NEEDS_GEVENT
    assert processes.refusal(3, PG, REDIS, "gevent") is None


def test_every_process_stops_within_the_graceful_seconds_and_has_no_shared_control_socket(monkeypatch):
    import importlib

    from scoring import gunicorn_conf

    assert gunicorn_conf.control_socket_disable is True
    for raw, seconds in (("", 10), ("1", 1), ("0", 0), ("abc", 10), ("-1", 10), ("9999", 10), ("120", 120)):
        monkeypatch.setenv("SCORING_GRACEFUL_SECONDS", raw)
        assert importlib.reload(gunicorn_conf).graceful_timeout == seconds, raw
    monkeypatch.delenv("SCORING_GRACEFUL_SECONDS")
    importlib.reload(gunicorn_conf)


def test_the_relay_channel_is_the_installations_and_its_messages_are_parsed_strictly():
    assert live_relay.channel({"DATABASE_URL": PG}) == "scoring:scoring"
    assert live_relay.channel({"DATABASE_URL": "sqlite:////srv/a/scoring.sqlite"}) == "scoring:scoring.sqlite"
    assert live_relay.redis_url({"MESSAGE_QUEUE_URL": REDIS}) == REDIS
    assert live_relay.redis_url({"MESSAGE_QUEUE_URL": "amqp://x"}) is None
    assert live_relay.parse(b"abc 12 345") == ("abc", 12, 345)
    for bad in (b"", b"abc 12", b"abc x 3", b"abc 1 2 3", b"abc -1 2", "a " + "1" * 200 + " 2", None, 5):
        assert live_relay.parse(bad) is None, bad


def test_a_worker_that_inherited_psycopg_from_the_master_waits_through_gevent():
    """`scoring serve` migrates (imports psycopg) before gunicorn forks and patches the worker:
    psycopg had then picked its blocking C wait, and every query stopped the whole worker. The
    worker's start-up hook switches it to gevent's poll (in a process of its own: it patches)."""
    import subprocess
    import sys

    code = (
        "import psycopg, psycopg.waiting as w\n"
        "assert w.wait is w.wait_c\n"  # chosen before the patch, as in gunicorn's master
        "from gevent import monkey; monkey.patch_all()\n"
        "from scoring.gunicorn_conf import cooperative_psycopg\n"
        "from scoring.pg_waits import wait_gevent\n"
        "assert cooperative_psycopg() and w.wait is wait_gevent\n"
        "assert not cooperative_psycopg()\n"  # once is enough
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]


def test_the_marks_of_one_group_commit_are_announced_to_the_other_processes_once():
    sent = []

    class Redis:
        def publish(self, topic, message):
            sent.append((topic, message))

    relay = live_relay.Relay()
    relay.client, relay.topic = Redis(), "scoring:x:standings"
    for version in (5, 5, 5, 4, 6, 6):  # 25 tablets' marks in one commit share its version
        relay.announce(7, version)
    relay.announce(8, 5)
    assert [m.split()[1:] for _, m in sent] == [["7", "5"], ["7", "6"], ["8", "5"]]


def test_psycopg_waits_on_the_gevent_loop_and_answers_as_before(pg_template):
    """``pg_waits.wait_gevent`` (the worker's psycopg wait): five slow queries on five connections
    run at once while the loop keeps running; results, errors, a transaction and a big result come
    back as with psycopg's own waits."""
    import os
    import subprocess
    import sys

    url = os.environ.get("SCORING_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    code = (
        "from gevent import monkey; monkey.patch_all()\n"
        "import sys, time, gevent, psycopg, psycopg.waiting as w\n"
        "from scoring.pg_waits import wait_gevent\n"
        "w.wait = wait_gevent\n"
        "conns = [psycopg.connect(sys.argv[1], autocommit=True) for _ in range(5)]\n"
        "ticks = []\n"
        "def tick():\n"
        "    while True:\n"
        "        ticks.append(1); gevent.sleep(0.05)\n"
        "ticker = gevent.spawn(tick)\n"
        "t0 = time.monotonic()\n"
        "gevent.joinall([gevent.spawn(c.execute, 'SELECT pg_sleep(0.5)') for c in conns], raise_error=True)\n"
        "elapsed = time.monotonic() - t0\n"
        "assert elapsed < 1.5, elapsed\n"  # at once: one after the other would take 2.5 s
        "assert len(ticks) >= 5, ticks\n"  # the loop ran meanwhile
        "assert conns[0].execute('SELECT 1 + 1').fetchone() == (2,)\n"
        "try:\n"
        "    conns[0].execute('SELECT 1 / 0')\n"
        "    raise SystemExit('no error')\n"
        "except psycopg.errors.DivisionByZero:\n"
        "    pass\n"
        "with conns[1].transaction():\n"
        "    rows = conns[1].execute('SELECT generate_series(1, 100000)').fetchall()\n"
        "assert len(rows) == 100000\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr[-2000:]
