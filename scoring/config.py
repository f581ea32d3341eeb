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


def _whole_number(name: str, default: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 2:
        raise ValueError(f"{name} must be a whole number from 0 to 99, not {raw[:20]!r}")
    return int(raw)


def _megabytes(name: str, default: float) -> int:
    return int(float(os.environ.get(name) or default) * (1 << 20))


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
    # Brakes on guessing (scoring/web/brakes.py). Counters live in Redis when SCORING_LIMITER_URL is
    # set, else in the message queue's Redis, else in this process's memory.
    LIMITER_URL = os.environ.get("SCORING_LIMITER_URL")
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: trust none,
    # the client address is the socket peer). Behind the README's nginx: 1.
    TRUSTED_PROXIES = _whole_number("SCORING_TRUSTED_PROXIES")
    # Failed sign-ins allowed per moving window (Flask-Limiter notation). Only failures count.
    SIGNIN_LIMIT_ACCOUNT = "10 per 10 minutes"  # staff /login, per user name
    SIGNIN_LIMIT_STAFF_ADDRESS = "30 per 10 minutes"  # staff /login, per client address
    SIGNIN_LIMIT_JUDGE = "5 per 10 minutes"  # judge PIN, per competition + judge code
    SIGNIN_LIMIT_JUDGE_ADDRESS = "60 per 10 minutes"  # judge PIN, per client address (a venue's tablets share one)
    SIGNIN_LIMIT_CARD_ADDRESS = "30 per 10 minutes"  # login-card QR, per client address
    SIGNIN_LIMIT_LOOKUP = "5 per 10 minutes"  # result lookup (成绩查询), per competition + typed name
    SIGNIN_LIMIT_LOOKUP_ADDRESS = "20 per 10 minutes"  # result lookup, per client address
    LOOKUP_SESSION_MINUTES = 15  # a successful lookup is remembered this long (the PDF links work)
    # Bounded work per request (README "Security"): every request body, a contestant sheet, the
    # rows read from it, and how long reading an upload may take before it is refused.
    MAX_CONTENT_LENGTH = _megabytes("SCORING_MAX_UPLOAD_MB", 8)
    MAX_SHEET_BYTES = _megabytes("SCORING_MAX_SHEET_MB", 4)
    MAX_IMAGE_BYTES = _megabytes("SCORING_MAX_IMAGE_MB", 2)
    MAX_SHEET_ROWS = int(os.environ.get("SCORING_MAX_SHEET_ROWS") or 20_000)
    UPLOAD_SECONDS = float(os.environ.get("SCORING_UPLOAD_SECONDS") or 10)
    # Heavy work off the serving loop (scoring.jobs): a competition (or a sheet) of more rows than
    # this is exported (imported) by a job in a child process, with a progress page; the time limit of a job.
    JOB_INLINE_ROWS = int(os.environ.get("SCORING_JOB_INLINE_ROWS") or 500)
    # A selection of more score sheets (or admission tickets) than this is drawn by a job (a sheet is about
    # 50 ms of drawing, a ticket 20 ms).
    JOB_INLINE_SHEETS = int(os.environ.get("SCORING_JOB_INLINE_SHEETS") or 20)
    JOB_SECONDS = float(os.environ.get("SCORING_JOB_SECONDS") or 600)

    def __init__(self) -> None:
        self.SECRET_KEY = _secret_key(self.INSTANCE_PATH)
