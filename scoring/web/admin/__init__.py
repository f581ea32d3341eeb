"""The organizer console (one blueprint, ``admin``), split by concern into view modules."""
from scoring.web.admin.setup import bp  # noqa: F401
from scoring.web.admin import review  # noqa: E402,F401  (routes attach to bp)
