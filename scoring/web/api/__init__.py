"""JSON API, one module per concern; every error has one shape (scoring.web.responses)."""

from scoring.web.api import marks, standings  # noqa: F401  (routes attach to bp; marks: judging, sheets, sign-off, progress)
from scoring.web.api.blueprint import bp

__all__ = ["bp"]
