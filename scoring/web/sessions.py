"""The signed-cookie session, minus two costs on the marks hot path.

Why: every tablet request carries the same signed cookie until the judge signs out, and Flask
verifies its signature and decodes it on every request, then re-signs and re-sends a permanent
session's cookie on every response to slide its expiry. Together that was about a quarter of a
mark's server time. Here a cookie that verified once is remembered (by its exact text, with the
time it was signed, so it still expires on time), and views that gain nothing from the sliding
refresh set ``g.quiet_session``: a judge's sign-in carries its own expiry inside the session
(``tablet_session.current_judge``). A session a view changed is always saved.

Remembering a cookie never keeps a withdrawn sign-in alive: it only saves re-checking the
signature. Whether the sign-in still counts is asked of the server on every request (a staff
session's row, ``web.auth.current_user``; a judge's credential epoch, ``services.credentials``).
"""

from __future__ import annotations

import copy
import threading
import time
from collections import OrderedDict

from flask import g
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature


class QuietSessionInterface(SecureCookieSessionInterface):
    remembered_max = 4096

    def __init__(self) -> None:
        self._verified: OrderedDict[str, tuple[dict, float]] = OrderedDict()
        self._lock = threading.Lock()

    def open_session(self, app, request):  # noqa: ANN001
        s = self.get_signing_serializer(app)
        if s is None:
            return None
        val = request.cookies.get(self.get_cookie_name(app))
        if not val:
            return self.session_class()
        max_age = app.permanent_session_lifetime.total_seconds()
        hit = self._verified.get(val)
        if hit is not None and time.time() - hit[1] <= max_age:
            return self.session_class(copy.deepcopy(hit[0]))
        try:
            data, signed_at = s.loads(val, max_age=int(max_age), return_timestamp=True)
        except BadSignature:
            return self.session_class()
        with self._lock:
            self._verified[val] = (copy.deepcopy(data), signed_at.timestamp())
            while len(self._verified) > self.remembered_max:
                self._verified.popitem(last=False)
        return self.session_class(data)

    def should_set_cookie(self, app, session) -> bool:  # noqa: ANN001
        if not session.modified and g.get("quiet_session"):
            return False
        return super().should_set_cookie(app, session)
