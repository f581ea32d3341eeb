"""A read-only install (a system package, a container image) starts, serves Chinese and English
pages, and the `scoring` command still speaks Chinese: translations are compiled in memory,
nothing is written next to the code (scoring/i18n.py)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "childcare.json"
# Capabilities by which root ignores file modes (linux/capability.h), dropped for the child.
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24

SERVE = r"""
import os, sys
from pathlib import Path
import scoring
root = Path(sys.argv[1])
assert Path(scoring.__file__).resolve().is_relative_to(root), scoring.__file__
try:
    (root / "scoring" / "translations" / "probe").write_text("x")
except OSError:
    pass
else:
    raise SystemExit("the copy is writable: this test would prove nothing")
from scoring import create_app
from scoring.config import Config
from scoring.migrate import upgrade
upgrade(os.environ["SCORING_DATABASE_URL"])
client = create_app(Config()).test_client()
zh = client.get("/")
en = client.get("/?lang=en")
print(zh.status_code, "技能竞赛评分" in zh.get_data(as_text=True),
      en.status_code, "Skills competition scoring" in en.get_data(as_text=True))
"""


@pytest.fixture
def readonly_copy():
    """The package, templates and static files copied to a fresh directory and made read-only;
    a writable directory beside it for the database."""
    base = Path(tempfile.mkdtemp(prefix="scoring-ro-"))
    ro, data = base / "ro", base / "data"
    ro.mkdir()
    data.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.mo", "*.pyc")
    for name in ("scoring", "templates", "static"):
        shutil.copytree(ROOT / name, ro / name, ignore=skip)
    for path in [ro, *ro.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(
            (mode | stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH) & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
            | (0o555 if path.is_dir() else 0)
        )
    before = sorted(str(p.relative_to(ro)) for p in ro.rglob("*"))
    yield ro, data
    after = sorted(str(p.relative_to(ro)) for p in ro.rglob("*"))
    for path in [ro, *ro.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    shutil.rmtree(base, ignore_errors=True)
    assert after == before, "nothing may be written into the installed package"


def _obey_file_modes() -> None:
    """In the child, before exec: as root, drop the capabilities that bypass file modes, so the
    read-only copy is read-only for it too (the interpreter under /root stays reachable)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _run(ro: Path, data: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORING_")}
    env.update(
        SCORING_INSTANCE=str(data / "instance"),
        SCORING_SECRET_KEY="read-only-test",
        SCORING_DATABASE_URL=f"sqlite:///{data / 'scoring.sqlite'}",
        HOME=str(data),
    )
    return subprocess.run(
        [sys.executable, *args],
        cwd=ro,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=_obey_file_modes if os.geteuid() == 0 else None,
    )


def test_a_read_only_install_serves_pages_in_chinese_and_english(readonly_copy):
    ro, data = readonly_copy
    r = _run(ro, data, "-c", SERVE, str(ro))
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["200", "True", "200", "True"], r.stdout
    assert not list(ro.rglob("*.mo"))


def test_a_read_only_install_prints_cli_messages_in_chinese_and_english(readonly_copy):
    ro, data = readonly_copy
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["contestants"][3]["group"] = "nope"
    bad = data / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    zh = _run(ro, data, "-m", "scoring.cli", "results", str(bad))
    assert zh.returncode == 2, zh.stderr[-2000:]
    assert "未做任何更改" in zh.stderr and "contestants[3].group" in zh.stderr
    en = _run(ro, data, "-m", "scoring.cli", "results", str(bad), "--lang", "en")
    assert en.returncode == 2, en.stderr[-2000:]
    assert "nothing was changed" in en.stderr
