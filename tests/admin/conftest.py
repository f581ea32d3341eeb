"""Fixtures of the organizer console (helpers are in admin_helpers.py)."""

from __future__ import annotations

import pytest
from admin_helpers import ORGANIZER, engine_of, small_document


@pytest.fixture
def mini(app):
    """The small competition imported, plus the organizer account; returns (slug, competition id)."""
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    cid = import_document(engine_of(app), small_document())
    create_user(engine_of(app), *ORGANIZER, role="organizer")
    return "mini-2025", cid
