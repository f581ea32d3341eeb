"""Paper from end to end (issue 13's "done when"): the panel's sheets are printed as the PDF the
judges mark on, each sheet's QR code is read off the printed page (pdftoppm + zbarimg, as a USB
scanner or a camera reads it), two clerks type every sheet in from what the scanner read (one
mismatch, reconciled by the chief judge), and the standings are those of the same marks entered on
tablets."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from paper_helpers import SLUG, paper_document
from services_helpers import ids
from sqlmodel import select

from scoring import models as m
from scoring.certificates.score_sheets import score_sheets_pdf
from scoring.db import make_engine, reading
from scoring.rules.paper import parse_sheet_token
from scoring.services import paper, paper_queue, standings
from scoring.services.marks import submit_mark
from scoring.services.paper_sheets import paper_sheets
from scoring.services.transfer import import_document

WRITTEN = {  # what each judge wrote on the paper, by contestant code
    "J01": {"C001": {"P1": "8.5", "P2": "17", "P3": "4.2"}, "C002": {"P1": "7", "P2": "15", "P3": "3.9"}},
    "J02": {"C001": {"P1": "9", "P2": "18", "P3": "4.5"}, "C002": {"P1": "6.5", "P2": "16", "P3": "4"}},
    "J03": {"C001": {"P1": "8", "P2": "16", "P3": "4.1"}, "C002": {"P1": "7.5", "P2": "14", "P3": "3.5"}},
}
THIRD = {"P1": "5", "P2": "10", "P3": "2.5"}  # C003, every judge


def _scanned(pdf: bytes, tmp_path: Path) -> list[str]:
    """What a scanner reads off every printed page, in page order."""
    if not (shutil.which("pdftoppm") and shutil.which("zbarimg")):
        pytest.fail("pdftoppm and zbarimg are needed: bash scripts/test installs poppler-utils and zbar-tools")
    path = tmp_path / "sheets.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(path), str(tmp_path / "page")], check=True)
    codes: list[str] = []
    for image in sorted(tmp_path.glob("page*.png")):
        out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, text=True, check=False)
        codes += out.stdout.split()
    return codes


def _totals(engine, cid):
    _v, _doc, st = standings.computed(engine, cid)
    return {g: [(r.contestant, r.total, r.rank) for r in gs.rows] for g, gs in st.groups.items()}


def test_printed_sheets_scanned_and_entered_by_two_clerks_give_the_standings_of_tablets(sqlite_url, tmp_path):
    engine = make_engine(sqlite_url)
    cid = import_document(engine, paper_document())
    tablet = import_document(engine, paper_document("tablet-2025"))
    known, here = ids(engine, tablet), ids(engine, cid)
    by_ref = {f"#{here[code]}": code for code in ("C001", "C002", "C003")}  # no draw: sheets name #<id>

    with reading(engine) as s:
        panel = s.exec(select(m.Panel).where(m.Panel.competition_id == cid)).one()
    printed = paper_sheets(engine, cid, "http://venue.local", panel=str(panel.id))
    assert len(printed.sheets) == 9  # three judges x three contestants, one sheet each
    scanned = _scanned(score_sheets_pdf(printed), tmp_path)
    assert len(scanned) == 9 and all(
        code.startswith("http://venue.local/clerk/c/paper-2025?sheet=") for code in scanned
    )

    mismatches = 0
    for code in scanned:
        ref = parse_sheet_token(code)
        assert ref is not None and ref.slug == SLUG
        contestant = by_ref[ref.contestant]
        values = WRITTEN.get(ref.judge, {}).get(contestant, THIRD)
        first = paper.enter(engine, cid, SLUG, code, "clerk-a", dict(values))
        assert (first.state, first.written) == ("pending", 0)
        if (ref.judge, contestant) == ("J02", "C001"):  # clerk B misreads 18 as 13
            second = paper.enter(engine, cid, SLUG, code, "clerk-b", {**values, "P2": "13"})
            assert (second.state, second.conflict) == ("conflict", "entries")
            assert paper_queue.decide(engine, cid, SLUG, second.sheet_id, values, "the paper says 18", "chief") == 3
            mismatches += 1
        else:
            second = paper.enter(engine, cid, SLUG, code, "clerk-b", dict(values))
            assert (second.state, second.written) == ("matched", 3)
        for aspect, value in values.items():
            submit_mark(
                engine,
                competition_id=tablet,
                judge_id=known[ref.judge],
                contestant_id=known[contestant],
                aspect_id=known[aspect],
                value=value,
                idempotency_key=f"t-{ref.judge}-{contestant}-{aspect}",
                based_on_version=0,
            )
    assert mismatches == 1
    assert _totals(engine, cid) == _totals(engine, tablet)
