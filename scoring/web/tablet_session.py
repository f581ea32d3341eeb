"""The judge's sign-in on a tablet: who is marking on this device, for which competition.

Why a separate judge session: a judge at a tablet is not an account holder. The tablet holds
a signed cookie naming the judge, its expiry and the judge's credential epoch at sign-in; it
never carries an account's rights, and an account sign-in (``scoring.web.auth.login``) clears
it. Every request checks the epoch (``services.credentials``): new cards or PINs, or the judge's
removal, end the sign-in on the tablet's next request. Guessing is braked in ``web.brakes``.

Why its own module: the judge's pages, the judging API, the chief judge's socket and the one
access check (``web.access``) all ask "which judge is this?"; none of them owns the answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps

from flask import g, redirect, session, url_for

from scoring import models as m
from scoring.models.competition import generation
from scoring.services import credentials
from scoring.services.credentials import JudgeIdentity
from scoring.web.common import competition_or_404, engine

SESSION_KEY = "judge_session"
SESSION_HOURS = 14  # one competition day; a judge signs in again the next morning


def sign_in(judge: m.Judge, comp: m.Competition) -> None:
    session[SESSION_KEY] = {
        "id": judge.id,
        "cid": judge.competition_id,
        "code": judge.code,
        "role": judge.role,
        "exp": int(time.time()) + SESSION_HOURS * 3600,
        "gen": generation(comp.created_at),
        "ep": judge.credential_epoch or 0,
    }
    session.permanent = True


def sign_out() -> None:
    session.pop(SESSION_KEY, None)


def current_judge(
    competition_id: int | None = None,
    created_at=None,  # noqa: ANN001
    verify: bool = False,
) -> JudgeIdentity | None:
    """The judge signed in on this tablet (for this competition), if the session has not expired.
    With ``created_at``: only a sign-in to that very competition, not to one it replaced (see
    models.competition.generation). With ``created_at`` or ``verify``: made with the judge's
    current credentials (one small query, once per request). With neither (the marks hot path)
    the service checks both from its cache."""
    data = session.get(SESSION_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("exp"), int) or data["exp"] < time.time():
        return None
    if competition_id is not None and data.get("cid") != competition_id:
        return None
    gen = data.get("gen")
    if created_at is not None and gen is not None and gen != generation(created_at):
        return None
    ep = data.get("ep", 0)  # sign-ins from before epochs existed count as epoch 0
    who = JudgeIdentity(
        data["id"], data["cid"], data["code"], data.get("role", "judge"), gen, ep if isinstance(ep, int) else -1
    )
    if created_at is not None or verify:
        checked = g.get("scoring_judge_checked")
        if checked is None or checked[0] != who:
            checked = g.scoring_judge_checked = (who, credentials.still_signed_in(engine(), who))
        if not checked[1]:
            return None
    return who


def judge_page(view: Callable) -> Callable:
    """Pages for a signed-in judge of this competition; others go to the sign-in page."""

    @wraps(view)
    def wrapped(slug: str, *args, **kwargs):
        comp = competition_or_404(slug)
        who = current_judge(comp.id, comp.created_at)
        if who is None:
            return redirect(url_for("judge.start", slug=slug))
        return view(comp, who, *args, **kwargs)

    return wrapped
