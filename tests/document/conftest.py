"""Fixtures for the portable document tests: a small valid document to break in many ways."""

from __future__ import annotations

import copy

import pytest
from doc_samples import SMALL


@pytest.fixture
def small_raw() -> dict:
    """A fresh copy of a small valid document (safe to mutate)."""
    return copy.deepcopy(SMALL)
