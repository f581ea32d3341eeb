"""The gate on the pure core: mypy in strict mode over scoring/rules and scoring/document (the
settings are in pyproject.toml, [tool.mypy]; the rest of the package is not checked yet).

Why a test and not a separate step: `.ci/run` runs exactly `bash scripts/test`, so the gate runs
wherever the tests run, names itself in the summary and can be run alone
(`bash scripts/test tests/project`). mypy keeps its cache in .mypy_cache: a second run is fast.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_pure_core_type_checks_strictly():
    if importlib.util.find_spec("mypy") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("mypy is required under CI=true: bash scripts/setup --test installs it")
        pytest.skip("mypy is not installed here (bash scripts/setup --test installs it)")
    r = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, (
        f"mypy (strict, pyproject.toml [tool.mypy]) found problems:\n{r.stdout[-8000:]}{r.stderr[-2000:]}"
    )
