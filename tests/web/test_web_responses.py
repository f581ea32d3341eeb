"""The one error shape (web.responses): JSON for the API and for clients that ask for JSON, a friendly
translated page for browsers; a long list of problems is cut to the first few and a count."""

from __future__ import annotations

from scoring.errors import InvalidInput, Problem, ProblemReport
from scoring.web.responses import error_response, wants_json


def test_the_api_and_json_clients_get_json_and_browsers_a_page(app):
    for path, accept, json in (
        ("/api/v1/anything", "text/html", True),
        ("/admin/", "application/json", True),
        ("/admin/", "text/html,application/xhtml+xml", False),
        ("/", "*/*", False),
    ):
        with app.test_request_context(path, headers={"Accept": accept}):
            assert wants_json() is json, (path, accept)


def test_json_errors_have_one_shape(app):
    with app.test_request_context("/api/v1/x"):
        response, status = error_response(409, "changed meanwhile", code="conflict")
    assert status == 409
    assert response.get_json() == {"error": {"status": 409, "code": "conflict", "message": "changed meanwhile"}}
    with app.test_request_context("/api/v1/x"):
        response, status = error_response(404, "gone")
    assert response.get_json()["error"]["code"] == "404"


def test_a_long_list_of_problems_is_cut_and_counted(app):
    report = ProblemReport([Problem(f"row {i}", "Choose a file to upload.") for i in range(500)], "en")
    with app.test_request_context("/api/v1/x"):
        response, status = error_response(422, "rejected", report, code="invalid_input")
    error = response.get_json()["error"]
    assert status == 422 and len(error["problems"]) == len(report) < 500
    assert error["more_problems"] == 500 - len(report)
    assert error["problems"][0]["message"] == "Choose a file to upload."


def test_a_browser_gets_the_page_in_its_language_with_the_problems_and_the_count(app):
    many = InvalidInput([Problem(f"row {i}", "Choose a file to upload.") for i in range(1, 1001)])
    with app.test_request_context("/admin/", headers={"Accept": "text/html"}):
        body, status = error_response(422, "输入被拒绝", many.report("zh_Hans_CN"))
    assert status == 422 and "<html" in body and "输入被拒绝" in body
    assert "请选择要上传的文件" in body and "row 1<" in body and "row 1000<" not in body
    assert "另有 950 个问题未列出" in body
