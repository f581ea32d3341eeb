"""Brakes on guessing: failed sign-ins are limited per account or judge and per client address,
and the client address is the socket peer unless the app is told to trust a reverse proxy.

Why Flask-Limiter (with its ``limits`` storages) rather than the database table it replaced:
counters in memory or Redis cost no write transaction per failure (on SQLite those queued behind
the marks), expire by themselves, and are shared by every process when Redis is configured
(``LIMITER_URL``, else the message queue's Redis, else this process's memory).

Why only failures count (``deduct_when``): fifty tablets behind a venue's one NAT address all
sign in each morning; only wrong PINs should use up an allowance, and one judge's typos must
lock out that judge (a tight limit per competition + judge code) long before the address that
every tablet shares (a generous limit). The figures are ``SIGNIN_LIMIT_*`` in scoring/config.py:
staff sign-in 10 failures per user name and 30 per address, judge PIN 5 per judge and 60 per
address, login-card QR 30 per address, the result lookup (成绩查询) 5 per name typed and 20 per
address, each per moving window of 10 minutes. A throttled
request gets 429, a ``Retry-After`` header and a translated message: the sign-in form again for
the two sign-in pages (see their blueprints), the friendly page or the one JSON error shape
elsewhere.

Why one module-level limiter with fixed settings: like the other extensions it is bound to each
app in create_app; settings Flask-Limiter keeps from the first app it meets (strategy, key prefix,
headers) are given here once, and only the storage and the figures come from each app's config.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from werkzeug.middleware.proxy_fix import ProxyFix

from scoring.web.responses import error_response


def client_address() -> str:
    """The socket peer, or the client a trusted proxy names (``TRUSTED_PROXIES``, via ProxyFix)."""
    return request.remote_addr or "unknown"


limiter = Limiter(
    key_func=client_address,
    strategy="moving-window",
    headers_enabled=True,
    key_prefix="scoring",
    in_memory_fallback_enabled=True,
    swallow_errors=True,
)


def storage_uri(config) -> str:  # noqa: ANN001
    """Redis when a limiter URL is set, else the message queue's Redis, else this process's memory."""
    for url in (config.get("LIMITER_URL"), config.get("MESSAGE_QUEUE_URL")):
        if url and url.split(":", 1)[0] in ("redis", "rediss", "redis+unix", "memory"):
            return url
    return "memory://"


def init_app(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    app.config["RATELIMIT_ENABLED"] = True
    limiter.init_app(app)
    _no_check_on_every_request(app)
    app.register_error_handler(RateLimitExceeded, _throttled)


def _no_check_on_every_request(app: Flask) -> None:
    """Drop Flask-Limiter's before-request check. Why: it costs about 30 µs on every request (the
    marks hot path included), request filter or not, and has nothing to do here: every limit is
    declared on its view (below) and checked by the view's own wrapper. Its after-request hook
    stays: it counts the failures (``deduct_when``) and sets Retry-After. An app-wide or default
    limit added later would need the check back."""
    hooks = app.before_request_funcs.get(None, [])
    hooks[:] = [f for f in hooks if getattr(f, "__func__", None) is not Limiter._check_request_limit]


# --------------------------------------------------------------------------- keys and figures


def _digest(*parts: str) -> str:
    """A bounded key from what the client typed (no raw user input in Redis keys)."""
    raw = "\x1f".join(parts).encode("utf-8", "replace")
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _account() -> str:
    return "account:" + _digest(request.form.get("username", "").strip())


def _judge() -> str:
    slug = str((request.view_args or {}).get("slug", ""))
    return "judge:" + _digest(slug, request.form.get("code", "").strip().upper())


def _figure(key: str) -> Callable[[], str]:
    return lambda: current_app.config[key]


def _failed(response: Response) -> bool:
    return response.status_code == 401


def _brake(figure: str, key: Callable[[], str], scope: str, methods: list[str] | None = None):
    return limiter.limit(_figure(figure), key_func=key, scope=scope, methods=methods, deduct_when=_failed)


def staff_sign_in(view: Callable) -> Callable:
    """POST /login: failures per user name and per address."""
    view = _brake("SIGNIN_LIMIT_STAFF_ADDRESS", client_address, "address", ["POST"])(view)
    return _brake("SIGNIN_LIMIT_ACCOUNT", _account, "account", ["POST"])(view)


def judge_pin_sign_in(view: Callable) -> Callable:
    """A judge's code + PIN: failures per competition + judge code and per address."""
    view = _brake("SIGNIN_LIMIT_JUDGE_ADDRESS", client_address, "address")(view)
    return _brake("SIGNIN_LIMIT_JUDGE", _judge, "judge")(view)


def card_sign_in(view: Callable) -> Callable:
    """A login card's QR link: failures per address."""
    return _brake("SIGNIN_LIMIT_CARD_ADDRESS", client_address, "address")(view)


def _looked_up() -> str:
    """The result lookup by name: per competition + the name typed (a code: the address key)."""
    from scoring.rules.lookup import plain_name

    name = plain_name(request.form.get("name", ""))
    if request.form.get("code", "").strip() or not name:
        return "lookup-address:" + client_address()
    slug = str((request.view_args or {}).get("slug", ""))
    return "lookup:" + _digest(slug, name)


def result_lookup(view: Callable) -> Callable:
    """POST of the result lookup (成绩查询): failures per address, and per name typed (so one
    contestant's ID tail cannot be guessed from many addresses)."""
    view = _brake("SIGNIN_LIMIT_LOOKUP_ADDRESS", client_address, "address", ["POST"])(view)
    return _brake("SIGNIN_LIMIT_LOOKUP", _looked_up, "lookup", ["POST"])(view)


# --------------------------------------------------------------------------- the answer


def wait_minutes() -> int:
    """Whole minutes until the limit that was hit lets one more attempt through (at least 1)."""
    hit = limiter.current_limit
    seconds = (hit.reset_at - time.time()) if hit is not None else 60
    return max(1, math.ceil(seconds / 60))


def throttled_message() -> str:
    return _("Too many failed sign-ins. Please wait %(minutes)s min and try again.", minutes=wait_minutes())


def lookup_throttled_message() -> str:
    return _("Too many failed lookups. Please wait %(minutes)s min and try again.", minutes=wait_minutes())


def _throttled(_exc: RateLimitExceeded):
    return error_response(429, throttled_message(), code="too_many")
