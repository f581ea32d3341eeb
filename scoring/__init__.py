"""scoring: skills-competition scoring and live leaderboards."""

from __future__ import annotations

from typing import Any

from flask import Flask

from scoring.config import ROOT, Config


def create_app(config: Any = None) -> Flask:
    """Wire configuration, database, translations, socket layer and blueprints. Nothing else."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str((config or Config).INSTANCE_PATH if config is not None else Config.INSTANCE_PATH),
        instance_relative_config=False,
    )
    app.config.from_object(config if config is not None else Config())
    from scoring.web import inputs

    inputs.install(app)  # JSON without floats, bounded route parts, hostile text refused: before any route
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    from scoring.web.sessions import QuietSessionInterface

    app.session_interface = QuietSessionInterface()

    from scoring import db
    from scoring.extensions import babel, csrf, socketio
    from scoring.web import locale, register_blueprints

    app.extensions["scoring.engine"] = db.make_engine(app.config["DATABASE_URL"])
    babel.init_app(app, locale_selector=locale.select_locale, timezone_selector=locale.select_timezone)
    csrf.init_app(app)
    from scoring.live_relay import channel

    socketio.init_app(
        app,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE", "threading"),
        message_queue=app.config.get("MESSAGE_QUEUE_URL"),
        channel=channel(app.config),  # one installation's processes, not another's on the same Redis
        cors_allowed_origins=app.config.get("SOCKETIO_CORS", None),
    )
    from scoring import live
    from scoring.web import judge_live

    # Socket.IO handlers are bound here, per app: SocketIO.init_app makes a new server each time.
    live.init_live(app)  # boards: rooms, a snapshot on connect, versioned pushes
    judge_live.register(app)  # the chief judge's grid, namespace /judging
    register_blueprints(app)
    from scoring.wiring import connect_listeners

    connect_listeners()  # what happens after a commit: live pushes, the spread check (scoring.signals)
    from scoring.web import brakes

    brakes.init_app(app)  # last: its ProxyFix (when configured) must see every request first
    return app
