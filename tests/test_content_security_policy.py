"""Every public page carries a strict Content-Security-Policy; the admin a relaxed one, with the
strict one report-only; browsers' violation reports are logged, and bad reports refused."""

import json

import pytest

from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def directives(header):
    return {
        name: values
        for name, _, values in (part.strip().partition(" ") for part in header.split(";"))
    }


def test_public_pages_allow_only_the_sites_own_scripts_styles_and_pictures(reader, column):
    article = ArticlePageFactory(parent=column)
    for url in ["/", column.url, article.url, "/search/?q=党建", "/no-such-page/"]:
        response = reader.get(url)
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == "'self'", url
        assert policy["style-src"] == "'self'", url
        assert policy["img-src"] == "'self'", url
        assert policy["object-src"] == "'none'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert policy["base-uri"] == "'self'", url
        assert "Content-Security-Policy-Report-Only" not in response, url


def test_admin_enforces_a_relaxed_policy_and_reports_against_the_strict_one(client, site):
    response = client.get("/admin/login/")
    enforced = directives(response["Content-Security-Policy"])
    assert "script-src" not in enforced  # the admin's inline scripts still run
    assert enforced["object-src"] == "'none'"
    assert enforced["frame-ancestors"] == "'self'"  # its own preview panel
    reported = directives(response["Content-Security-Policy-Report-Only"])
    assert reported["script-src"] == "'self'"
    assert reported["report-uri"] == "/csp-report/"


def test_a_browsers_violation_report_is_logged_as_one_line(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://www.example.cn/news/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/x.js",
            "original-policy": "x" * 5000,
        }
    }
    response = client.post(
        "/csp-report/", json.dumps(report), content_type="application/csp-report"
    )
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "sitecms.csp"]
    assert "https://evil.example/x.js" in record.getMessage()
    assert "xxxxx" not in record.getMessage()  # the policy itself is not repeated


def test_a_report_that_is_not_json_is_refused(client, caplog):
    assert (
        client.post("/csp-report/", b"\xff\xfe<", content_type="application/json").status_code
        == 400
    )
    assert (
        client.post("/csp-report/", b"[1, 2]", content_type="application/json").status_code == 400
    )
    assert client.get("/csp-report/").status_code == 405
    assert not [r for r in caplog.records if r.name == "sitecms.csp"]
