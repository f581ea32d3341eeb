"""A certificate serial means one holder, award and result version forever (issue 11, item 2): the
scenario of the issue on both databases: issue, print, revoke by an upheld appeal, export,
``import --replace``, publish again, issue again."""

from __future__ import annotations

import copy
import hashlib

import pytest
from admin_helpers import CSV_GOOD, engine_of, enter_marks, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import InvalidInput

BASE = "http://venue.example"


def _publishable(app, cid: int) -> None:
    from scoring.services import draw, publication

    eng = engine_of(app)
    publication.set_stage_state(eng, cid, "theory", True, "t")
    draw.seal(eng, cid, "t")  # an imported draw comes without its hash (services.readside.LEFT_OUT)
    draw.reveal(eng, cid, "t")


@pytest.fixture
def published(any_app):
    """v1 published (张伟 一等奖, 杨堃 二等奖), then an upheld appeal: v2 (杨堃 一等奖, 张伟 二等奖)."""
    from scoring.services import draw, publication
    from scoring.services.setup import import_contestants
    from scoring.services.transfer import import_document

    eng = engine_of(any_app)
    cid = import_document(eng, small_document())
    import_contestants(eng, cid, "a.csv", CSV_GOOD.encode(), "t")
    draw.draw_lots(eng, cid, "t")
    enter_marks(any_app, cid, {"C001": "90", "C002": "80", "C003": "70"})
    _publishable(any_app, cid)
    assert publication.publish(eng, cid, "t", notice_days=5) == 1
    return any_app, cid


def _certs(eng, cid=None):
    with reading(eng) as s:
        q = select(m.Certificate)
        if cid is not None:
            q = q.where(m.Certificate.competition_id == cid)
        return {c.serial: c for c in s.exec(q.order_by(m.Certificate.id))}


def _number(serial: str) -> int:
    return int(serial.rsplit("-", 1)[1])


def test_serials_survive_export_and_replace_and_are_never_reused(published):
    from scoring.certificates import service as certs
    from scoring.services import appeals, publication
    from scoring.services.transfer import export_document, import_document

    app, cid = published
    eng = engine_of(app)
    v1 = {c.name: c for c in _certs(eng).values()}
    first = v1["张伟"]
    assert first.award == "一等奖" and first.result_version == 1
    printed = certs.certificate_pdf(eng, cid, first.serial, BASE)
    aid = appeals.file_appeal(eng, cid, "C002", "杨堃", "13800000002", "理论成绩登记有误，应为95分", "public")
    assert appeals.decide_appeal(eng, cid, aid, True, "核实后更正", "t", [("C002", "T1", "J01", "95")]) == 2
    before = _certs(eng)
    assert before[first.serial].state == "revoked" and "result version 2" in before[first.serial].revoked_reason

    # the README's tour: export, then import --replace (with one mark corrected in the file)
    doc = copy.deepcopy(export_document(eng, cid))
    for mark in doc["marks"]:
        if mark["contestant"] == "C003":
            mark["value"] = "99"
    with pytest.raises(InvalidInput) as refused:
        import_document(eng, doc, actor="cli", replace=True)
    message = " ".join(refused.value.messages("en"))
    assert "(versions: 2)" in message and f"issued certificates ({len(before)})" in message
    assert "--confirm-keep-history" in message
    with reading(eng) as s:  # the refusal changed nothing
        assert s.exec(select(m.Competition).where(m.Competition.slug == "mini-2025")).one().id == cid
    assert _certs(eng) == before and len(publication.versions(eng, cid)) == 2

    new_cid = import_document(eng, doc, actor="cli", replace=True, keep_history=True)
    kept = _certs(eng, new_cid)
    assert set(kept) == set(before)  # every issued certificate kept, moved to the new competition
    assert [v.number for v in publication.versions(eng, new_cid)] == [1, 2]
    found, comp = certs.lookup(eng, first.serial)
    assert (found.name, found.award, found.result_version, found.state) == ("张伟", "一等奖", 1, "revoked")
    assert comp.slug == "mini-2025" and found.pdf == printed
    assert found.pdf_sha256 == hashlib.sha256(printed).hexdigest()

    _publishable(app, new_cid)
    assert publication.publish(eng, new_cid, "t") == 3  # the numbering of versions goes on
    after = _certs(eng)
    new = {s: c for s, c in after.items() if s not in before}
    assert {(c.name, c.award, c.result_version) for c in new.values()} == {("赵喆", "一等奖", 3), ("杨堃", "二等奖", 3)}
    assert min(_number(s) for s in new) > max(_number(s) for s in before)  # new numbers, never reused
    assert len({s.rsplit("-", 1)[0] for s in after}) == 1  # the same prefix, although the id changed
    old = after[first.serial]
    assert (old.name, old.award, old.result_version, old.state) == ("张伟", "一等奖", 1, "revoked")
    assert old.revoked_reason == before[first.serial].revoked_reason
    assert all(c.state == "revoked" for s, c in after.items() if s in before)  # v3 moved every award


def test_verify_page_shows_holder_version_state_and_pdf_hash(published, tmp_path):
    from scoring.certificates import service as certs

    app, cid = published
    eng = engine_of(app)
    cert = next(c for c in _certs(eng).values() if c.name == "张伟")
    client = app.test_client()
    page = client.get(f"/verify/{cert.serial}").get_data(as_text=True)
    assert 'data-test="verify-status" data-state="valid"' in page and 'data-sha256=""' in page
    pdf = certs.certificate_pdf(eng, cid, cert.serial, BASE)
    digest = hashlib.sha256(pdf).hexdigest()
    page = client.get(f"/verify/{cert.serial}?lang=en").get_data(as_text=True)
    assert f'data-sha256="{digest}"' in page and f"{digest[:16]}…" in page
    assert '<span id="verify-name" data-test="verify-holder">张伟</span>' in page
    assert 'data-version="1"' in page
    missing = client.get("/verify/ZS209999-9999")
    assert missing.status_code == 404 and 'data-state="unknown"' in missing.get_data(as_text=True)


def test_an_issued_pdf_is_not_redrawn_with_a_later_template(published):
    from scoring.certificates import service as certs

    app, cid = published
    eng = engine_of(app)
    serials = list(_certs(eng))
    printed = certs.certificate_pdf(eng, cid, serials[0], BASE)
    certs.save_template(eng, cid, "", {"title": "新的标题", "color": "#123456"}, None, "t")
    assert certs.certificate_pdf(eng, cid, serials[0], "http://elsewhere") == printed
    # one never printed before takes the new template, and keeps it from then on
    other = certs.certificate_pdf(eng, cid, serials[1], BASE)
    assert other != printed and certs.certificate_pdf(eng, cid, serials[1], BASE) == other
    # a batch draws each certificate from the design of its first print
    items = {d.serial: d for d in certs.batch_data(eng, cid, None, "http://elsewhere")}
    assert items[serials[0]].title == "荣誉证书" and items[serials[1]].title == "新的标题"
    assert items[serials[0]].verify_url == f"{BASE}/verify/{serials[0]}"
