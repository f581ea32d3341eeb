"""Security headers on every response, set in one place.

Why: a name or reason that slipped past escaping must not run as script, the console must not be
framed by another site (click-jacking a "publish" button), a download must not be sniffed into
HTML, and a tablet's URLs must not leak to other sites. The pages carry no inline script or event
handler (data for scripts travels in ``data-*`` attributes or ``<script type="application/json">``
blocks read with ``JSON.parse``), so the policy can say ``script-src 'self'``; styles come only from
our stylesheets (no ``style`` attributes either), so ``style-src 'self'`` too.

``connect-src`` names ``ws://`` and ``wss://`` on the page's own host for Socket.IO (older
browsers do not count WebSockets as ``'self'``); a Host header that is not a plain host name is
left out rather than copied into the policy.

``SCORING_SECURE_COOKIES`` (``SECURE_COOKIES``) marks the session cookie ``Secure`` and sends
``Strict-Transport-Security``: turn it on when browsers reach the service over HTTPS, directly or
through a TLS-terminating proxy (the flag concerns the browser's side of the connection, so the
proxy may talk plain HTTP to us). Browsers ignore HSTS received over plain HTTP, so it is sent
whether or not this process sees the request as secure.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'; worker-src 'self'; "
    "manifest-src 'self'; connect-src 'self'"
)
FIXED = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=15552000"  # 180 days; no includeSubDomains: other hosts of the venue are not ours to bind
_PLAIN_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def content_security_policy(host: str) -> str:
    if _PLAIN_HOST.fullmatch(host or ""):
        return f"{POLICY} ws://{host} wss://{host}"
    return POLICY


def install(app: Flask) -> None:
    secure = bool(app.config.get("SECURE_COOKIES"))
    if secure:
        app.config["SESSION_COOKIE_SECURE"] = True

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = content_security_policy(request.host)
        for name, value in FIXED.items():
            response.headers.setdefault(name, value)
        if secure:
            response.headers["Strict-Transport-Security"] = HSTS
        return response
