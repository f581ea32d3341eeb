"""The one error shape: JSON for the API (and clients that ask for JSON), a friendly page for
browsers. Every blueprint, the access check, the brakes and the input layer answer through it."""

from __future__ import annotations

from flask import jsonify, render_template, request


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(status: int, message: str, problems: list[dict] | None = None, code: str | None = None):
    """One JSON shape for the API, one friendly page for browsers."""
    if wants_json():
        body = {"error": {"status": status, "code": code or str(status), "message": message}}
        if problems:
            body["error"]["problems"] = list(problems)
            if getattr(problems, "more", 0):  # a ProblemReport: the first N and a count of the rest
                body["error"]["more_problems"] = problems.more
        return jsonify(body), status
    return render_template("error.html", status=status, message=message, problems=problems or []), status
