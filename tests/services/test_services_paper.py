"""Double-blind entry of paper score sheets (services.paper, services.paper_queue): two agreeing
clerks make the judge's marks through the one write path; a mismatch or a differing tablet mark
waits for the chief judge, who decides against the paper."""

from __future__ import annotations

import pytest
from paper_helpers import SLUG, paper_document, token
from services_helpers import count, ids
from sqlmodel import select

from scoring import models as m
from scoring.db import make_engine, reading
from scoring.errors import Conflict, InvalidInput
from scoring.services import paper, paper_queue, standings
from scoring.services.marks import submit_mark
from scoring.services.transfer import import_document

SHEETS = {  # judge -> contestant -> values as written on the paper
    "J01": {"C001": {"P1": "8.5", "P2": "17", "P3": "4.2"}, "C002": {"P1": "7", "P2": "15", "P3": "3.9"}},
    "J02": {"C001": {"P1": "9", "P2": "18", "P3": "4.5"}, "C002": {"P1": "6.5", "P2": "16", "P3": "4"}},
    "J03": {"C001": {"P1": "8", "P2": "16", "P3": "4.1"}, "C002": {"P1": "7.5", "P2": "14", "P3": "3.5"}},
}


def _marks(engine, cid):
    with reading(engine) as s:
        return [
            (k.judge_id, k.contestant_id, k.aspect_id, k.version, format(k.value, "f"), k.entered_by, k.idempotency_key)
            for k in s.exec(select(m.Mark).where(m.Mark.competition_id == cid).order_by(m.Mark.id))
        ]


def _enter(engine, cid, clerk, judge, contestant, values):
    return paper.enter(engine, cid, SLUG, token(engine, cid, judge, contestant), clerk, dict(values))


def _rows(engine, cid):
    """Each contestant's total and rank as the standings give them."""
    _v, _doc, st = standings.computed(engine, cid)
    return {g: [(r.contestant, r.total, r.rank) for r in gs.rows] for g, gs in st.groups.items()}


def test_two_clerks_entering_every_sheet_with_one_mismatch_reconciled_give_the_standings_of_tablets(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    tablet = import_document(engine, paper_document("tablet-2025"))
    known = ids(engine, tablet)
    for judge, sheets in SHEETS.items():
        for contestant, values in sheets.items():
            first = _enter(engine, cid, "clerk-a", judge, contestant, values)
            assert (first.ordinal, first.state, first.written) == (1, "pending", 0)
            typed = {k: v + ("0" if "." in v else ".0") for k, v in values.items()}  # 7.50 is 7.5
            if (judge, contestant) == ("J03", "C002"):  # one mismatch, decided against the paper
                second = _enter(engine, cid, "clerk-b", judge, contestant, {**typed, "P2": "4"})
                assert (second.state, second.conflict) == ("conflict", "entries")
                assert paper_queue.decide(engine, cid, SLUG, second.sheet_id, values, "paper: 14", "chief") == 3
            else:
                second = _enter(engine, cid, "clerk-b", judge, contestant, typed)
                assert (second.ordinal, second.state, second.written) == (2, "matched", 3)
            for code, value in values.items():
                submit_mark(
                    engine,
                    competition_id=tablet,
                    judge_id=known[judge],
                    contestant_id=known[contestant],
                    aspect_id=known[code],
                    value=value,
                    idempotency_key=f"t-{judge}-{contestant}-{code}",
                    based_on_version=0,
                )
    assert _rows(engine, cid) == _rows(engine, tablet)
    marks = _marks(engine, cid)
    assert len(marks) == 18 and {k[3] for k in marks} == {1}
    assert {k[5] for k in marks} == {
        "paper: entered by clerk clerk-a, confirmed by clerk clerk-b",
        "paper: decided by chief against the paper",
    }
    assert all(k[6].startswith("paper-") for k in marks)
    assert count(engine, m.AuditEvent, competition_id=cid, kind="paper.matched") == 5
    assert count(engine, m.AuditEvent, competition_id=cid, kind="paper.resolved") == 1
    assert count(engine, m.AuditEvent, competition_id=cid, kind="mark.submitted") == 18


def test_the_same_clerk_cannot_enter_a_sheet_twice(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    values = SHEETS["J02"]["C001"]
    _enter(engine, cid, "clerk-a", "J02", "C001", values)
    for again in (values, {**values, "P1": "1"}):  # a double submit, or a changed mind
        with pytest.raises(Conflict) as refused:
            _enter(engine, cid, "clerk-a", "J02", "C001", again)
        assert refused.value.msgid == paper.ALREADY_ENTERED
    assert count(engine, m.PaperEntry, competition_id=cid) == 1 and _marks(engine, cid) == []


def test_a_mismatch_waits_for_the_chief_judge_who_decides_against_the_paper(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    values = SHEETS["J02"]["C001"]
    _enter(engine, cid, "clerk-a", "J02", "C001", values)
    out = _enter(engine, cid, "clerk-b", "J02", "C001", {**values, "P2": "13"})
    assert (out.state, out.conflict, out.written) == ("conflict", "entries", 0)
    assert _marks(engine, cid) == []
    q = paper_queue.queue(engine, cid, SLUG)
    [row] = q["conflicts"]
    assert row["clerks"] == ["clerk-a", "clerk-b"] and row["kind"] == "entries"
    assert [(a["code"], a["entries"], a["differs"]) for a in row["aspects"]] == [
        ("P1", ["9", "9"], False),
        ("P2", ["18", "13"], True),
        ("P3", ["4.5", "4.5"], False),
    ]
    assert q["counts"]["conflict"] == 1
    with pytest.raises(InvalidInput) as no_reason:  # the reason is required; nothing written
        paper_queue.decide(engine, cid, SLUG, row["id"], values, "  ", "chief")
    assert [p.path for p in no_reason.value.problems] == ["reason"]
    with pytest.raises(InvalidInput) as hostile:
        paper_queue.decide(engine, cid, SLUG, row["id"], {**values, "P2": "1e3"}, "paper says 18", "chief")
    assert [p.path for p in hostile.value.problems] == ["P2"]
    assert paper_queue.decide(engine, cid, SLUG, row["id"], values, "the paper says 18", "chief") == 3
    marks = _marks(engine, cid)
    assert sorted(k[4] for k in marks) == sorted(values.values())
    assert {k[5] for k in marks} == {"paper: decided by chief against the paper"}
    with pytest.raises(Conflict):  # decided already: a retried decision writes nothing
        paper_queue.decide(engine, cid, SLUG, row["id"], values, "again", "chief")
    assert len(_marks(engine, cid)) == 3
    assert count(engine, m.AuditEvent, competition_id=cid, kind="paper.resolved") == 1


def test_a_third_clerk_decides_each_aspect_two_of_three(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    values = SHEETS["J03"]["C002"]
    _enter(engine, cid, "clerk-a", "J03", "C002", {**values, "P1": "5"})
    assert _enter(engine, cid, "clerk-b", "J03", "C002", {**values, "P3": "3"}).state == "conflict"
    third = _enter(engine, cid, "clerk-c", "J03", "C002", values)
    assert (third.ordinal, third.state, third.written) == (3, "matched", 3)
    assert sorted(k[4] for k in _marks(engine, cid)) == sorted(values.values())
    with pytest.raises(Conflict) as done:
        _enter(engine, cid, "clerk-d", "J03", "C002", values)
    assert done.value.msgid == paper.NO_MORE_ENTRIES


def test_a_sheet_printed_before_the_scheme_changed_is_refused(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    old = token(engine, cid, "J02", "C001")
    with reading(engine) as s:
        a = s.exec(select(m.Aspect).where(m.Aspect.competition_id == cid, m.Aspect.code == "P3")).one()
    from scoring.db import transaction

    with transaction(engine) as s:
        a = s.get(m.Aspect, a.id)
        a.max_mark = a.max_mark + 1  # the scheme changed after printing
        s.add(a)
    with pytest.raises(Conflict) as stale:
        paper.enter(engine, cid, SLUG, old, "clerk-a", SHEETS["J02"]["C001"])
    assert stale.value.msgid == paper.STALE_SHEET
    assert count(engine, m.PaperSheet, competition_id=cid) == 0


@pytest.mark.parametrize(
    "hostile", ["1e3", "８", " 9", "9" + " " * 39 + "x", "-0", "9.25", "11", "", "NaN", "9" * 5000]
)
def test_hostile_numbers_are_refused_naming_the_box(database_url, hostile):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    with pytest.raises(InvalidInput) as bad:
        _enter(engine, cid, "clerk-a", "J02", "C001", {**SHEETS["J02"]["C001"], "P1": hostile})
    assert [p.path for p in bad.value.problems] == ["P1"]
    assert all(len(str(v)) < 40 for p in bad.value.problems for v in p.params.values())
    assert count(engine, m.PaperEntry, competition_id=cid) == 0


@pytest.mark.parametrize(
    "code", ["", "nonsense", "SCS1/other-2025/J02/#1/00000000", "J99 #1 0123abcd", "J02 #999 0123abcd"]
)
def test_codes_of_no_sheet_here_are_refused(database_url, code):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    with pytest.raises(InvalidInput) as bad:
        paper.open_sheet(engine, cid, SLUG, code)
    assert [p.path for p in bad.value.problems] == ["sheet"]


def test_a_typed_code_opens_the_same_sheet_as_the_scanned_one(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    scanned = token(engine, cid, "J02", "C001")
    _s, _slug, judge, ref, version = scanned.split("/")
    typed = paper.open_sheet(engine, cid, SLUG, f" {judge} {ref.replace('%23', '#')}  {version.upper()} ")
    address = paper.open_sheet(engine, cid, SLUG, f"http://venue.local/clerk/c/{SLUG}?sheet={scanned}")
    assert typed == address == paper.open_sheet(engine, cid, SLUG, scanned)
    assert [a["code"] for a in typed.aspects] == ["P1", "P2", "P3"]


def test_a_tablet_mark_with_another_value_is_never_overwritten_silently(database_url):
    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    known = ids(engine, cid)
    values = SHEETS["J02"]["C001"]

    def tablet(code, value, key, base=0):
        submit_mark(
            engine,
            competition_id=cid,
            judge_id=known["J02"],
            contestant_id=known["C001"],
            aspect_id=known[code],
            value=value,
            idempotency_key=key,
            based_on_version=base,
        )

    tablet("P1", "9", "tab-1")  # the same as the paper: confirmed, no new version
    tablet("P2", "12", "tab-2")  # another value: a conflict
    _enter(engine, cid, "clerk-a", "J02", "C001", values)
    out = _enter(engine, cid, "clerk-b", "J02", "C001", values)
    assert (out.state, out.conflict, out.written) == ("conflict", "tablet", 0)
    assert [(k[3], k[4]) for k in _marks(engine, cid)] == [(1, "9"), (1, "12")]
    [row] = paper_queue.queue(engine, cid, SLUG)["conflicts"]
    assert row["kind"] == "tablet"
    assert [(a["code"], a["tablet"], a["differs"]) for a in row["aspects"]] == [
        ("P1", "9", False),
        ("P2", "12", True),
        ("P3", None, False),
    ]
    # the chief judge decides for the paper: P2 gets a new version, P1 stays version 1
    assert paper_queue.decide(engine, cid, SLUG, row["id"], values, "signed paper sheet says 18", "chief") == 2
    assert sorted((k[3], k[4]) for k in _marks(engine, cid)) == sorted([(1, "4.5"), (1, "12"), (1, "9"), (2, "18")])
    # a tablet correction after the paper entry counts, and the queue shows the difference
    tablet("P3", "4", "tab-3", base=1)
    changed = paper_queue.queue(engine, cid, SLUG)["changed"]
    assert [(c["judge"], [(a["code"], a["paper"], a["tablet"]) for a in c["aspects"]]) for c in changed] == [
        ("J02", [("P3", "4.5", "4")])
    ]


def test_marks_written_from_paper_replay_their_idempotency_keys(database_url):
    """A retried write of the same sheet's marks (same keys, same bodies) gives the original
    receipts back and adds no version."""
    from scoring.db import transaction
    from scoring.services.mark_batches import Entry, record_marks

    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    values = SHEETS["J01"]["C002"]
    _enter(engine, cid, "clerk-a", "J01", "C002", values)
    _enter(engine, cid, "clerk-b", "J01", "C002", values)
    before = _marks(engine, cid)
    with transaction(engine) as s:
        again = record_marks(
            s,
            cid,
            [Entry(k[0], k[1], k[2], k[4], k[6], 0, k[5]) for k in before],
            standings.bump(s, cid, marks_only=True),
        )
    assert all(r.receipt.replayed for r in again) and _marks(engine, cid) == before


def test_an_image_of_the_sheet_is_checked_and_stored(database_url, tmp_path):
    import io

    from PIL import Image

    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    _enter(engine, cid, "clerk-a", "J02", "C001", SHEETS["J02"]["C001"])
    sheet = paper_queue.queue(engine, cid, SLUG)["pending"][0]["id"]
    for bad in (b"GIF89a....", b"<svg/>", b"\x89PNG\r\n\x1a\nbroken"):
        with pytest.raises(InvalidInput):
            paper_queue.attach_image(engine, cid, sheet, bad, "chief")
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buf, "JPEG")
    paper_queue.attach_image(engine, cid, sheet, buf.getvalue(), "chief")
    assert paper_queue.image_of(engine, cid, sheet) == (buf.getvalue(), "image/jpeg")


def test_replacing_the_competition_takes_its_paper_sheets_along(database_url):
    import io

    from PIL import Image

    engine = make_engine(database_url)
    cid = import_document(engine, paper_document())
    _enter(engine, cid, "clerk-a", "J02", "C001", SHEETS["J02"]["C001"])
    _enter(engine, cid, "clerk-b", "J02", "C001", {**SHEETS["J02"]["C001"], "P1": "1"})
    buf = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buf, "PNG")
    sheet = paper_queue.queue(engine, cid, SLUG)["conflicts"][0]["id"]
    paper_queue.attach_image(engine, cid, sheet, buf.getvalue(), "chief")
    new = import_document(engine, paper_document(), replace=True)
    for model in (m.PaperSheet, m.PaperEntry, m.PaperImage):
        assert count(engine, model) == 0, model
    assert paper_queue.counts_of(engine, new)["conflict"] == 0
