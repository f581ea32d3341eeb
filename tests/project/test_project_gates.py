"""The house rules as gates (issue 10): ruff's lint and format, the import contracts, and small
modules. Each runs where the tests run (``.ci/run`` runs exactly ``bash scripts/test``), so a
change that breaks one fails CI with the tool's own explanation.

- ruff: ``[tool.ruff]`` in pyproject.toml, over the whole project (tests and benchmarks too);
- import-linter: ``[tool.importlinter]``: web above services above document/models/db above rules,
  no cycles inside scoring.services or scoring.web, services never reach the live or web layer,
  the pure core imports neither Flask nor the database;
- no module of the package over 400 lines (migrations excepted: they are written once).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def _tool(module: str, binary: str) -> str:
    if importlib.util.find_spec(module) is None and shutil.which(binary) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{binary} is required under CI=true: bash scripts/setup --test installs it")
        pytest.skip(f"{binary} is not installed here (bash scripts/setup --test installs it)")
    local = Path(sys.executable).parent / binary
    return str(local) if local.exists() else binary


def _run(*cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_lint_passes():
    r = _run(_tool("ruff", "ruff"), "check", ".")
    assert r.returncode == 0, f"ruff check found problems (ruff check --fix . fixes many):\n{r.stdout[-8000:]}"


def test_ruff_format_is_applied():
    r = _run(_tool("ruff", "ruff"), "format", "--check", ".")
    assert r.returncode == 0, f"files not formatted (run: ruff format .):\n{r.stdout[-4000:]}"


def test_import_contracts_are_kept():
    r = _run(_tool("importlinter", "lint-imports"))
    assert r.returncode == 0, f"an import contract is broken:\n{r.stdout[-8000:]}{r.stderr[-2000:]}"


def test_no_module_of_the_package_is_over_400_lines():
    long = {}
    for path in (ROOT / "scoring").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > MAX_LINES:
            long[str(path.relative_to(ROOT))] = n
    assert not long, f"split these modules by concern (at most {MAX_LINES} lines): {long}"
