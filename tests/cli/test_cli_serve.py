"""`scoring serve` in production mode: gunicorn with the settings and start-up hooks of
scoring/gunicorn_conf.py. The worker is tuned for thousands of boards (collector frozen after
start-up, rarer full collections, no greenlet-tree tracking); building an app alone tunes nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from server_processes import free_port, start_serve, stop_server

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "scoring" / "gunicorn_conf.py"
TUNED = {
    "threshold": [700, 10, 1000],
    "frozen": True,
    "track_greenlet_tree": False,
    "switch_interval": 0.001,
    "one_write": True,
}


def _port() -> int:
    return free_port()  # below the ephemeral range (server_processes.free_port says why)


def test_scoring_serve_uses_the_production_settings_and_hooks():
    from scoring import gunicorn_conf
    from scoring.cli import production_server

    server = production_server("127.0.0.1", 5123)
    assert server.cfg.worker_class_str == "gevent"
    assert server.cfg.workers == 1 and server.cfg.worker_connections == 4000
    assert server.cfg.bind == ["127.0.0.1:5123"]
    assert server.cfg.settings["post_worker_init"].get() is gunicorn_conf.post_worker_init


@pytest.mark.slow
def test_the_gunicorn_worker_is_tuned_once_the_app_is_built(tmp_path):
    """A real gunicorn worker with the production config: its state, written by a wrapper around
    our hook, is the tuned one."""
    out = tmp_path / "worker.json"
    conf = tmp_path / "conf.py"
    conf.write_text(
        textwrap.dedent(f"""
        exec(compile(open({str(CONF)!r}).read(), {str(CONF)!r}, "exec"))
        _production_hook = post_worker_init

        def post_worker_init(worker):
            _production_hook(worker)
            import gc, json, sys, gevent
            from gunicorn.http import wsgi
            from scoring.extensions import socketio
            open({str(out)!r}, "w").write(json.dumps({{
                "threshold": gc.get_threshold(), "frozen": gc.get_freeze_count() > 0,
                "switch_interval": sys.getswitchinterval(),
                "track_greenlet_tree": gevent.config.track_greenlet_tree,
                "one_write": getattr(wsgi.Response, "_scoring_one_write", False),
                "async_mode": socketio.server.async_mode}}))
    """)
    )
    env = {
        **os.environ,
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}",
        "SCORING_ASYNC_MODE": "gevent",
        "SCORING_INSTANCE": str(tmp_path / "instance"),
        "SCORING_SECRET_KEY": "serve-test",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    proc = subprocess.Popen(
        [gunicorn, "-c", str(conf), "-b", f"127.0.0.1:{_port()}", "--log-level", "warning", "scoring:create_app()"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (out.exists() and out.stat().st_size) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.1)
        state = json.loads(out.read_text())
    finally:
        stop_server(proc)
    assert state == {**TUNED, "async_mode": "gevent"}


def test_building_the_app_leaves_the_collector_and_gevent_alone():
    """Tests, the CLI and the development server build apps too: no process-wide tuning there."""
    probe = textwrap.dedent("""
        import gc, json, tempfile
        import gevent
        before = (gc.get_threshold(), gevent.config.track_greenlet_tree)
        from scoring import create_app
        from scoring.config import Config
        cfg = Config()
        cfg.SOCKETIO_ASYNC_MODE = "gevent"
        cfg.DATABASE_URL = "sqlite:///" + tempfile.mkdtemp() + "/db.sqlite"
        create_app(cfg)
        print(json.dumps({"same": (gc.get_threshold(), gevent.config.track_greenlet_tree) == before,
                          "frozen": gc.get_freeze_count()}))
    """)
    env = {**os.environ, "SCORING_SECRET_KEY": "serve-test"}
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout.strip().splitlines()[-1]) == {"same": True, "frozen": 0}


@pytest.mark.slow
def test_answers_with_and_without_a_body_stay_whole_on_one_kept_alive_connection(tmp_path):
    """The worker writes a response's head together with its body (``one_write_answers``): a lost
    or misplaced head would garble every later answer on the same connection. HEAD, 304, a static
    file (gunicorn's sendfile), a page, a JSON refusal and a redirect, in turn on one connection."""
    import http.client

    port = _port()
    proc = start_serve(port, f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path / "instance", "serve-test")
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/static/js/common.js")
                first = conn.getresponse()
                script = first.read()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
        assert first.status == 200 and script == (ROOT / "static" / "js" / "common.js").read_bytes()
        etag = first.getheader("ETag")
        answers = []
        for method, path, headers in [
            ("HEAD", "/static/js/common.js", {}),
            ("GET", "/static/js/common.js", {"If-None-Match": etag} if etag else {}),
            ("GET", "/", {"Accept-Language": "zh-CN"}),
            ("GET", "/api/v1/competitions/no-such-slug/standings", {}),
            ("GET", "/admin/accounts", {}),
            ("GET", "/static/js/common.js", {}),
        ]:
            conn.request(method, path, headers=headers)
            r = conn.getresponse()
            answers.append((method, r.status, r.read()))
        conn.close()
    finally:
        stop_server(proc)
    head, not_modified, page, refusal, redirect, again = answers
    assert head[1] == 200 and head[2] == b""
    assert not_modified[1] == (304 if etag else 200)
    assert page[1] == 200 and page[2].rstrip().endswith(b"</html>")
    assert refusal[1] == 404 and refusal[2].startswith(b"{")
    assert redirect[1] in (302, 303) and b"/login" in redirect[2]
    assert again[1] == 200 and again[2] == script
