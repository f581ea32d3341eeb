"""The web layer: blueprints split by audience, wired to an app with the access check, the
headers and the error handlers (the error shape itself is ``web.responses``).

Why nothing here is imported by the modules below it: they would import their own package
back, an import cycle; what they share lives in modules of its own (common, responses, ...).
"""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from scoring.errors import InvalidInput
from scoring.web.locale import html_lang, select_locale
from scoring.web.responses import error_response


def register_blueprints(app: Flask) -> None:
    from scoring.web import accounts, admin, api, board, judge, public, public_results

    for module in (public, accounts, admin, judge, board, api, public_results):
        app.register_blueprint(module.bp)
    from scoring.web import access, headers, screens, uploads

    app.register_blueprint(screens.bp)
    from scoring.web import schedule  # 场次安排: the public schedule

    app.register_blueprint(schedule.bp)
    from scoring.web import lookup  # 成绩查询: a contestant's own result

    app.register_blueprint(lookup.bp)
    from scoring.web import clerk  # 录分员: paper score sheets typed in

    app.register_blueprint(clerk.bp)
    uploads.install(app)
    access.init_app(app)
    headers.install(app)

    _install_filters(app)

    @app.context_processor
    def _globals():
        return {"html_lang": html_lang(), "current_locale": select_locale()}

    @app.errorhandler(InvalidInput)
    def _invalid(exc: InvalidInput):
        locale = select_locale()
        return error_response(
            422, _("The input was rejected; nothing was changed."), exc.report(locale), code="invalid_input"
        )

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        messages = {
            400: _("The request could not be understood."),
            403: _("You are not allowed to do this."),
            404: _("This page does not exist."),
            405: _("This action is not allowed here."),
            409: _("This was changed by someone else in the meantime."),
            413: _("The upload is too large."),
            429: _("Too many attempts. Please wait a moment and try again."),
        }
        if exc.code == 413:
            from scoring.web.uploads import too_large_message

            messages[413] = too_large_message(_)
        message = getattr(exc, "scoring_message", None) or messages.get(exc.code or 500, _("Something went wrong."))
        return error_response(exc.code or 500, message)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unhandled error")
        return error_response(500, _("Something went wrong on our side; nothing was changed. Please try again."))


def _install_filters(app: Flask) -> None:
    """Display filters (``scoring.labels``) in the page's language: one place formats each value."""
    from scoring import labels
    from scoring.document.team_report import standing_title

    app.add_template_filter(labels.plain, "plain")
    app.add_template_filter(lambda name, code=None: labels.stage_label(name, code, select_locale()), "stage")
    app.add_template_filter(lambda status: labels.status_label(status, select_locale()), "status")
    app.add_template_filter(lambda reason: labels.version_reason(reason, select_locale()), "reason")
    app.add_template_filter(lambda reason: labels.recusal_reason(reason, select_locale()), "recusal_reason")
    app.add_template_filter(lambda kind: labels.flag_kind(kind, select_locale()), "flag_kind")
    app.add_template_filter(lambda gender: labels.gender_label(gender, select_locale()), "gender")
    app.add_template_filter(lambda items: labels.joined(items, select_locale()), "joined")
    app.add_template_filter(
        lambda stages: labels.joined(
            [labels.stage_label(st["name"], st["code"], select_locale()) for st in stages], select_locale()
        ),
        "stage_list",
    )
    # a function, not a filter: Jinja folds a filter over a constant when it compiles the template,
    # which would fix the separator of whichever language rendered it first
    app.add_template_global(lambda: labels.list_separator(select_locale()), "list_separator")
    app.add_template_filter(
        lambda ts: standing_title(ts.get("name", ""), ts.get("name_en", ""), select_locale()), "team_title"
    )
