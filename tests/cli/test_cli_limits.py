"""The command line refuses absurd document files with a clear message and exit code 2, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args, tmp_path):
    env = {
        **os.environ,
        "SCORING_INSTANCE": str(tmp_path / "inst"),
        "SCORING_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}",
    }
    return subprocess.run(
        [sys.executable, "-m", "scoring.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def test_an_absurdly_large_file_is_refused_before_it_is_read(tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as f:
        f.truncate(65 << 20)  # sparse: 65 MB by its size, nothing on disk
    r = run("import", str(huge), tmp_path=tmp_path)
    assert r.returncode == 2 and "文件大于 64 MB" in r.stderr and "Traceback" not in r.stderr


def test_deep_nesting_is_refused_by_import_and_results(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50_000 + "]" * 50_000)
    for command in ("import", "results"):
        r = run(command, str(deep), "--lang", "en", tmp_path=tmp_path)
        assert r.returncode == 2, r.stderr[-500:]
        assert "nested more than 32 levels deep" in r.stderr and "Traceback" not in r.stderr
