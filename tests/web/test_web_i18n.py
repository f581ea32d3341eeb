"""Pages speak Chinese first, English on request; errors are friendly, never tracebacks."""


def test_home_is_chinese_by_default(client):
    r = client.get("/")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "技能竞赛评分" in html  # translated brand
    assert "Skills competition scoring" not in html


def test_language_switch_to_english_is_remembered(client):
    html = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Skills competition scoring" in html
    html = client.get("/").get_data(as_text=True)  # remembered in the session
    assert "Skills competition scoring" in html
    html = client.get("/?lang=zh_Hans_CN").get_data(as_text=True)
    assert "技能竞赛评分" in html


def test_missing_page_is_a_friendly_translated_page(client):
    r = client.get("/board/no-such-competition")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "页面不存在" in html
    assert "Traceback" not in html


def test_api_errors_have_one_json_shape(client):
    r = client.get("/api/v1/competitions/nope/standings")
    assert r.status_code == 404
    body = r.get_json()
    assert body["error"]["status"] == 404
    assert body["error"]["message"]
