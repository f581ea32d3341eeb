"""Uploads through the console: hostile sheets and documents are refused fast with a translated 4xx
and change nothing; too-large requests are a 413; a sheet with endless bad rows gives a short page
(the first 50 problems and a count); real sheets still import."""

from __future__ import annotations

import io
import json
import time

import pytest
import upload_bombs as bombs
from admin_helpers import ORGANIZER, csrf_config, engine_of, finished, small_document
from sqlmodel import select

from scoring import models as m
from scoring.db import reading
from scoring.errors import SHOWN_PROBLEMS, InvalidInput, Problem


def login(client):
    r = client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1]})
    assert r.status_code == 302


def contestants(app, cid) -> int:
    with reading(engine_of(app)) as s:
        return len(s.exec(select(m.Contestant.id).where(m.Contestant.competition_id == cid)).all())


def upload(client, slug, data: bytes, name: str, **headers):
    started = time.perf_counter()
    r = client.post(
        f"/admin/c/{slug}/contestants",
        data={"sheet": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=headers,
    )
    return r, time.perf_counter() - started


@pytest.mark.parametrize("bomb", ["zip_bomb", "million_row_sheet", "shared_strings_bomb"])
def test_hostile_workbook_is_refused_fast_translated_and_nothing_is_stored(app, client, mini, bomb):
    slug, cid = mini
    login(client)
    r, took = upload(client, slug, getattr(bombs, bomb)(), "名单.xlsx")
    assert r.status_code == 422 and took < 5  # seconds, not the minutes a parse took; room for a busy machine
    page = r.get_data(as_text=True)
    assert "未做任何更改" in page and "不是普通的选手名单表" in page
    assert contestants(app, cid) == 0


def test_oversized_csv_is_a_413_before_it_is_read_even_with_csrf_on(sqlite_url, tmp_path, mini):
    from scoring import create_app

    slug, cid = mini
    app = create_app(csrf_config(sqlite_url, tmp_path / "csrf"))
    client = app.test_client()

    def token(path):
        return client.get(path).get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]

    client.post("/login", data={"username": ORGANIZER[0], "password": ORGANIZER[1], "csrf_token": token("/login")})
    big = (",".join(bombs.HEADER) + "\n" + "张伟,女,单位,县区,托育,,13800000000\n" * 120_000).encode()
    assert len(big) > app.config["MAX_SHEET_BYTES"]
    r = client.post(
        f"/admin/c/{slug}/contestants",
        data={"sheet": (io.BytesIO(big), "名单.csv"), "csrf_token": token(f"/admin/c/{slug}/contestants")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 413
    assert "上传的文件过大(最多 4 MB)" in r.get_data(as_text=True)
    assert contestants(app, cid) == 0
    # the same size is fine where a whole document may be sent (the app-wide cap), refused there for what it is
    r = client.post(
        "/admin/import",
        data={"document": (io.BytesIO(big), "c.json"), "csrf_token": token("/admin/")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 422


@pytest.mark.slow
def test_a_sheet_with_100000_bad_rows_gives_a_short_page_with_50_problems_and_a_count(app, client, mini):
    slug, cid = mini
    app.config.update(MAX_SHEET_ROWS=200_000, MAX_SHEET_BYTES=16 << 20)
    login(client)
    bad = (",".join(bombs.HEADER) + "\n" + "张伟,男女,单位,县区,美甲,,12345\n" * 100_000).encode()
    r, _took = upload(client, slug, bad, "名单.csv")
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and len(page.encode()) < 100_000
    assert page.count("<li><code>") == SHOWN_PROBLEMS
    assert "另有 " in page and "个问题未列出" in page
    assert "第2行" in page and "第100001行" not in page
    assert contestants(app, cid) == 0
    # a file name of 20,000 characters is refused by the input layer (file names are bounded text), never echoed
    r, _took = upload(client, slug, bad[:20_000], "名" * 20_000 + ".csv")
    assert r.status_code == 422 and len(r.data) < 100_000 and "名" * 300 not in r.get_data(as_text=True)
    # a long one within the limit is repeated shortened
    r, _took = upload(client, slug, bad[:20_000], "名" * 150 + ".csv")
    assert r.status_code == 422 and len(r.data) < 100_000 and "…" + "名" * 75 + ".csv" in r.get_data(as_text=True)
    # with the standard row limit the same sheet is one problem: too many rows
    app.config.update(MAX_SHEET_ROWS=20_000)
    r, took = upload(client, slug, bad, "名单.csv")
    assert r.status_code == 422 and "表格超过 20,000 行" in r.get_data(as_text=True) and took < 5


def test_every_renderer_of_problems_is_bounded(app, client):
    """The app's handler for InvalidInput: the error page and the API's JSON both show 50 and a count."""

    def many():
        raise InvalidInput([Problem(f"rows[{i}]", "%(column)s is empty.", {"column": "姓名"}) for i in range(10_000)])

    from scoring.web import access

    many = access.rule(read=access.ANYONE)(many)  # a test-only route, classified like every route
    app.add_url_rule("/api/v1/test-many-problems", "many_api", many)
    app.add_url_rule("/test-many-problems", "many_page", many)
    api = client.get("/api/v1/test-many-problems")
    body = api.get_json()["error"]
    assert api.status_code == 422 and len(api.data) < 20_000
    assert len(body["problems"]) == SHOWN_PROBLEMS and body["more_problems"] == 10_000 - SHOWN_PROBLEMS
    page = client.get("/test-many-problems")
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and len(page.data) < 30_000
    assert text.count("“姓名”为空") == SHOWN_PROBLEMS and "另有 9,950 个问题未列出" in text
    english = InvalidInput([Problem("x", "%(column)s is empty.", {"column": "x"})] * 60).messages("en")
    assert len(english) == SHOWN_PROBLEMS + 1 and english[-1] == "… and 10 more problems not listed here."


def test_deeply_nested_or_non_utf8_document_is_a_422(app, client, mini):
    login(client)
    nested: object = 1
    for _ in range(40):  # deep enough for the bound, shallow enough for json.loads
        nested = [nested]
    for data in (
        b"[" * 100_000 + b"]" * 100_000,
        json.dumps({"format": "scoring-competition", "x": nested}).encode(),
        '{"名": 1}'.encode("gb18030"),
    ):
        r = client.post(
            "/admin/import", data={"document": (io.BytesIO(data), "c.json")}, content_type="multipart/form-data"
        )
        assert r.status_code == 422
        assert "未做任何更改" in r.get_data(as_text=True)


def test_a_document_with_10000_bad_contestants_gives_a_short_page(app, client, mini):
    login(client)
    doc = small_document("many-2025")
    doc["contestants"] = [{"code": f"C{i}", "name": f"选手{i}", "group": "nope"} for i in range(10_000)]
    r = client.post(
        "/admin/import",
        data={"document": (io.BytesIO(json.dumps(doc).encode()), "c.json")},
        content_type="multipart/form-data",
    )
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and len(page.encode()) < 100_000
    assert page.count("<li><code>") == SHOWN_PROBLEMS and "个问题未列出" in page
    with reading(engine_of(app)) as s:
        assert s.exec(select(m.Competition).where(m.Competition.slug == "many-2025")).first() is None


def test_the_template_and_a_5000_row_sheet_import_through_the_console(any_app, mini_any):
    app, slug, cid = mini_any
    client = app.test_client()
    login(client)
    r, _ = upload(client, slug, client.get(f"/admin/c/{slug}/contestants/template.xlsx").data, "模板.xlsx")
    assert r.status_code == 302 and contestants(app, cid) == 1
    big = bombs.workbook(bombs.sheet(bombs.contestant_rows(5_000, start=3), dimension="A1:G5002"))
    r, _ = upload(client, slug, big, "名单.xlsx")
    # more rows than a request writes on the serving loop: read here, written by a job (web.admin.jobs)
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    status = finished(client, r.headers["Location"])
    assert status["state"] == "done" and status["message"] == "已导入 5000 名选手。", status
    assert contestants(app, cid) == 5_001


def test_a_parse_slower_than_the_time_limit_is_refused_with_a_clear_message(app, client, mini):
    slug, cid = mini
    app.config.update(UPLOAD_SECONDS=0.01)
    login(client)
    r, _ = upload(client, slug, bombs.workbook(bombs.sheet(bombs.contestant_rows(5_000))), "名单.xlsx")
    assert r.status_code == 422 and "读取文件未能在 0.01 秒内完成" in r.get_data(as_text=True)
    assert contestants(app, cid) == 0


@pytest.fixture
def mini_any(any_app):
    from scoring.services.accounts import create_user
    from scoring.services.transfer import import_document

    cid = import_document(engine_of(any_app), small_document())
    create_user(engine_of(any_app), *ORGANIZER, role="organizer")
    return any_app, "mini-2025", cid


def _png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` (the pixels themselves are never needed)."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_a_seal_image_declaring_huge_dimensions_or_too_many_bytes_is_refused(app, client, mini):
    from scoring import models as m

    slug, cid = mini
    login(client)

    def seal(data):
        return client.post(
            f"/admin/c/{slug}/certificates",
            content_type="multipart/form-data",
            data={"award": "", "title": "荣誉证书", "seal": (io.BytesIO(data), "seal.png")},
        )

    for width, height in ((5_000, 5_000), (40_000, 40_000)):
        r = seal(_png(width, height))
        assert r.status_code == 422 and "百万像素" in r.get_data(as_text=True)
    assert seal(b"\x89PNG" + b"\0" * (3 << 20)).status_code == 413
    with reading(engine_of(app)) as s:
        assert s.exec(select(m.CertificateTemplate).where(m.CertificateTemplate.competition_id == cid)).first() is None
    assert seal(_png(400, 400)).status_code == 302
