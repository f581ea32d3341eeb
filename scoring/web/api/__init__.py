"""JSON API, one module per concern; every error has one shape (scoring.web.error_response)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from scoring.web.api import standings  # noqa: E402,F401  (routes attach to bp)
from scoring.web.api import marks  # noqa: E402,F401  (judging: marks, sheets, sign-off, progress)
