"""Fixtures for the judges' side: the demo competition with known PINs, signed-in clients."""
from __future__ import annotations

import pytest

from judge_helpers import signin


@pytest.fixture
def judge_client(app, seeded):
    """J02 of the childcare practical panel, signed in with the demo PIN."""
    client = app.test_client()
    r = signin(client, "J02")
    assert r.status_code == 302, r.get_data(as_text=True)
    return client


@pytest.fixture
def chief_client(app, seeded):
    client = app.test_client()
    assert signin(client, "J01").status_code == 302
    return client
