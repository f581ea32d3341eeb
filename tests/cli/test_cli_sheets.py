"""`scoring sheets`: the printed score sheets (评分表) of a competition from the command line, with
the QR codes on SCORING_PUBLIC_URL, and a clear refusal (exit code 2) for a selection naming nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "childcare.json"


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scoring.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=300,
    )


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-sheets")
    env = {
        "SCORING_INSTANCE": str(root / "instance"),
        "SCORING_DATABASE_URL": f"sqlite:///{root / 'cli.sqlite'}",
        "SCORING_PUBLIC_URL": "https://venue.example.org/",
    }
    r = run(env, "import", str(EXAMPLE))
    assert r.returncode == 0, r.stderr
    slug = json.loads(EXAMPLE.read_text(encoding="utf-8"))["competition"]["slug"]
    return env, slug, root


def test_one_judges_sheets_of_one_session_as_a_pdf(imported, tmp_path):
    env, slug, _ = imported
    out = tmp_path / "sheets.pdf"
    r = run(env, "sheets", slug, "--judge", "J02", "--session", "P1", "-o", str(out))
    assert r.returncode == 0, r.stderr
    count = int(re.search(r"(\d+)", r.stdout).group(1))
    assert count > 10 and str(out) in r.stdout and r.stdout.startswith("已将")
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "A4" in info and int(re.search(r"Pages:\s+(\d+)", info).group(1)) == 2 * count  # 19 aspects: 2 pages
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "实操第一场" in text and "实操第二场" not in text and "裁判签名" in text
    image = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(out), str(image)], check=True)
    qr = subprocess.run(["zbarimg", "-q", "--raw", f"{image}.png"], capture_output=True, text=True).stdout
    assert qr.startswith(f"https://venue.example.org/clerk/c/{slug}?sheet=SCS1%2F")


def test_a_grid_in_english(imported, tmp_path):
    env, slug, _ = imported
    out = tmp_path / "grid.pdf"
    r = run(env, "sheets", slug, "--panel", "1", "--layout", "grid", "--lang", "en", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Wrote ")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "score sheet by session" in text


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        (("--judge", "J99"), "没有编号为 J99 的裁判。", "No judge with the code J99."),
        (("--session", "P9"), "没有编号为 P9 的场次。", "No session with the code P9."),
        (("--panel", "nope"), "没有编号或名称为 nope 的裁判组。", "No panel with the number or name nope."),
    ],
)
def test_a_selection_naming_nothing_exits_2_with_the_reason(imported, tmp_path, args, zh, en):
    env, slug, _ = imported
    out = tmp_path / "none.pdf"
    r = run(env, "sheets", slug, *args, "-o", str(out))
    assert r.returncode == 2 and zh in r.stderr and not out.exists()
    r = run(env, "sheets", slug, *args, "--lang", "en", "-o", str(out))
    assert r.returncode == 2 and en in r.stderr


def test_an_unknown_competition_exits_2(imported, tmp_path):
    env, _, _ = imported
    r = run(env, "sheets", "no-such-2025", "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 2 and "no-such-2025" in r.stderr
