"""Who may read and who may write each route, in which competition: declared once per route,
enforced in one place.

Why: the console, the API and the sockets each asked "who is this?" in their own way
(``role_required``, ``may_act_on`` in two routes, ``may_watch`` without the competition), and
routes that forgot to ask let a chief judge or viewer see the draw map before the reveal, start
certificate batches, or let an account of one competition read another's document. Now every
view carries a ``Rule`` (the ``rule`` decorator), one ``before_request`` hook (``enforce``)
checks it with the competition from the URL before the view runs, and an endpoint without a
rule is refused (deny by default; tests/web/test_web_access_matrix.py names it). Socket.IO
connects ask the same ``allows`` and ``may_watch``.

The callers (principals), each only within its competition scope (``User.competition_id``;
None means every competition):

- ``anyone``: no sign-in needed (public pages, boards, sign-in forms);
- ``tablet`` / ``tablet-chief``: a judge (a chief judge) signed in on a tablet for this very
  competition (``tablet_session.current_judge``; a tablet is not an account);
- ``organizer`` / ``chief`` / ``viewer``: accounts of that role in scope;
- ``clerk``: a clerk's account (录分员) in scope: the paper sheet entry form and nothing else;
- ``installation``: an organizer account of the whole installation (accounts, imports: an
  account scoped to one competition must not create accounts or replace other competitions).

What a caller may *see* on a page it may read is the visibility policy's answer
(``scoring.visibility``: ``audience_of`` the account's role, ``view_for`` the competition's
state): ``console_view`` gives it to the console views.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, g, redirect, request, url_for
from flask_babel import gettext as _

from scoring.visibility import Audience, View, audience_of, sees_personal_data, view_for
from scoring.visibility import may_watch as _may_watch
from scoring.web import auth
from scoring.web.common import competition_id_or_404, engine
from scoring.web.responses import error_response, wants_json
from scoring.web.tablet_session import current_judge

ANYONE = frozenset({"anyone"})
NOBODY: frozenset[str] = frozenset()
TABLET = frozenset({"tablet"})
TABLET_CHIEF = frozenset({"tablet-chief"})
ORGANIZER = frozenset({"organizer"})
CHIEF = ORGANIZER | {"chief"}
STAFF = CHIEF | {"viewer"}
INSTALLATION = frozenset({"installation"})
CLERK = frozenset({"clerk"})  # 录分员: types in paper score sheets (web.clerk), sees nothing else
# The chief judge's live grid (HTTP and its Socket.IO room): the chief's tablet or a chief/organizer account.
CHIEF_GRID = TABLET_CHIEF | CHIEF

_TABLETS = TABLET | TABLET_CHIEF
_ROLES = frozenset({"organizer", "chief", "viewer", "clerk"})
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Rule:
    read: frozenset[str]  # GET and HEAD
    write: frozenset[str]  # every other method
    # The service itself checks a tablet's credentials from its cache (the marks hot path): the
    # hook then checks only that the sign-in is for this competition, without a query.
    lean: bool = False


def rule(read: frozenset[str], write: frozenset[str] = NOBODY, lean: bool = False) -> Callable:
    """Classify a view: ``@bp.get(...)`` above, ``@access.rule(read=..., write=...)`` below it."""

    def classify(view: Callable) -> Callable:
        view.access_rule = Rule(frozenset(read), frozenset(write), lean)
        return view

    return classify


# Endpoints that are not ours to decorate.
BUILT_IN = {"static": Rule(ANYONE, NOBODY)}


def rule_for(endpoint: str) -> Rule | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None) or BUILT_IN.get(endpoint)


# --------------------------------------------------------------------------- the one check


def _tablet(cid: int | None, created_at=None, verify: bool = True):  # noqa: ANN001, ANN202
    """The tablet's sign-in for ``cid``; with ``verify`` only if made with the judge's current
    credentials (a reissued card or a removal ends it on the next request)."""
    if cid is None:
        return None
    return current_judge(cid, created_at, verify=verify)


def in_scope(user, cid: int | None) -> bool:  # noqa: ANN001
    return user.competition_id is None or cid is None or user.competition_id == cid


def allows(need: frozenset[str], cid: int | None, created_at=None, lean: bool = False) -> bool:  # noqa: ANN001
    """Whether whoever is asking (tablet sign-in, account, or nobody) holds one of ``need`` for
    competition ``cid`` (None: a route of no competition). ``lean``: see ``Rule.lean``."""
    if "anyone" in need:
        return True
    if need & _TABLETS:
        who = _tablet(cid, created_at, verify=not lean)
        if who is not None and ("tablet" in need or who.role == "chief"):
            return True
    if need & (_ROLES | INSTALLATION):
        user = auth.current_user()
        if user is not None:
            if "installation" in need and user.role == "organizer" and user.competition_id is None:
                return True
            if user.role in need and user.role in _ROLES and in_scope(user, cid):
                return True
    return False


def enforce():  # noqa: ANN201
    """before_request: the route's rule, for this method, with the competition named in the URL."""
    endpoint = request.endpoint
    if endpoint is None or request.method == "OPTIONS":  # Flask answers these itself; no view runs
        return None
    found = rule_for(endpoint)
    if found is None:
        current_app.logger.error("route %s has no access rule: refused", endpoint)
        return _refused(403, _("You are not allowed to do this."))
    need = found.read if request.method in _SAFE else found.write
    if "anyone" in need:
        return None
    slug = (request.view_args or {}).get("slug")
    cid = None
    if slug is not None:
        cid = competition_id_or_404(slug)
        if not allows(need, cid, lean=found.lean):
            fresh = competition_id_or_404(slug, fresh=True)  # the remembered id may be of a replaced one
            if fresh == cid or not allows(need, fresh, lean=found.lean):
                return _deny(need, fresh, slug)
            cid = fresh
    elif not allows(need, None):
        return _deny(need, None, None)
    g.access_cid = cid
    return None


def _refused(status: int, message: str, code: str = "forbidden"):  # noqa: ANN202
    return error_response(status, message, code=code)


def _deny(need: frozenset[str], cid: int | None, slug: str | None):  # noqa: ANN202
    api = wants_json()
    tablet = _tablet(cid) if need & _TABLETS else None
    if need <= _TABLETS and tablet is None:  # a judge's page or API: the tablet's own sign-in
        if api:
            return _refused(
                401, _("Your judge sign-in has expired. Sign in again; unsent marks are kept."), "not_signed_in"
            )
        return redirect(url_for("judge.start", slug=slug))
    user = auth.current_user()
    if user is None and tablet is None:
        if api:
            if need & _TABLETS:
                return _refused(
                    401, _("Your judge sign-in has expired. Sign in again; unsent marks are kept."), "not_signed_in"
                )
            return _refused(401, _("Sign in to continue."), "not_signed_in")
        return redirect(url_for("accounts.login", next=auth.here()))
    if tablet is not None and "tablet-chief" in need and user is None:
        return _refused(403, _("Only the chief judge may do this."))
    if user is not None and cid is not None and not in_scope(user, cid) and user.role in need:
        return _refused(403, _("Your account is limited to another competition."))
    return _refused(403, _("You are not allowed to do this."))


# --------------------------------------------------------------------------- what may be seen


def account_audience(cid: int | None) -> Audience:
    """The audience the signed-in account watches this competition as (public when out of scope)."""
    user = auth.current_user()
    if user is None or not in_scope(user, cid):
        return Audience.PUBLIC
    return audience_of(user.role)


def may_watch(audience: Audience | str, cid: int) -> bool:
    """Whether the caller may ask for ``audience``'s view of competition ``cid`` (API and sockets)."""
    user = auth.current_user()
    role = user.role if user is not None and in_scope(user, cid) else None
    return _may_watch(role, audience)


@dataclass(frozen=True)
class Seen:
    """What the caller's console pages may show of the people in one competition."""

    audience: Audience
    view: View
    personal: bool  # ID numbers, phones

    @property
    def names(self) -> bool:
        return self.view.names


def console_view(comp) -> Seen:  # noqa: ANN001
    from scoring.services.results import identities_revealed

    audience = account_audience(comp.id)
    view = view_for(audience, comp.visibility, identities_revealed(engine(), comp.id))
    return Seen(audience, view, sees_personal_data(audience))


def may(endpoint: str, write: bool = False) -> bool:
    """For templates: may the caller use ``endpoint`` (read or write) in this request's competition?"""
    found = rule_for(endpoint)
    if found is None:
        return False
    return allows(found.write if write else found.read, g.get("access_cid"))


def init_app(app) -> None:  # noqa: ANN001
    app.before_request(enforce)
    app.context_processor(lambda: {"may": may})
