"""Configuration. Tests subclass ``Config``; deployment sets environment variables.

Why environment variables: the same code runs the demo on SQLite and a venue on
PostgreSQL + Redis; switching is configuration, not code (see README "Configuration").
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _instance_dir() -> Path:
    return Path(os.environ.get("SCORING_INSTANCE", ROOT / "instance"))


def _secret_key(instance: Path) -> str:
    """A per-installation secret kept in instance/, so sessions survive restarts."""
    if os.environ.get("SCORING_SECRET_KEY"):
        return os.environ["SCORING_SECRET_KEY"]
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def env_flag(name: str) -> bool:
    """An on/off setting from the environment: 1, true, yes or on (any case) is on."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


class Config:
    INSTANCE_PATH = _instance_dir()
    DATABASE_URL = os.environ.get("SCORING_DATABASE_URL") or f"sqlite:///{_instance_dir() / 'scoring.sqlite'}"
    MESSAGE_QUEUE_URL = os.environ.get("SCORING_MESSAGE_QUEUE_URL")  # redis://127.0.0.1:6379/0 for several processes
    SOCKETIO_ASYNC_MODE = os.environ.get("SCORING_ASYNC_MODE", "threading")
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("SCORING_TIMEZONE", "Asia/Shanghai")
    PUBLIC_BASE_URL = os.environ.get("SCORING_PUBLIC_URL", "")  # for QR codes on cards and certificates
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_SAMESITE = "Lax"
    # on when browsers reach the service over HTTPS (also behind a TLS proxy): Secure cookie + HSTS (web/headers.py)
    SECURE_COOKIES = env_flag("SCORING_SECURE_COOKIES")
    JSON_SORT_KEYS = False

    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key(self.INSTANCE_PATH)
