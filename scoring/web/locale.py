"""Which language a page speaks: ?lang= (remembered in the session), else Chinese."""

from __future__ import annotations

from flask import current_app, request, session

from scoring.i18n import normalise_locale


def select_locale() -> str:
    asked = request.args.get("lang")
    if asked:
        session["lang"] = normalise_locale(asked)
    # Chinese unless someone chose English: a venue PC with an English system must still show Chinese.
    return session.get("lang") or normalise_locale(None)


def select_timezone() -> str:
    return current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")


def html_lang() -> str:
    return "en" if select_locale() == "en" else "zh-CN"
