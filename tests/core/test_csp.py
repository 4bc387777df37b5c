"""Every public page carries a strict Content-Security-Policy; the admin one that lets its widgets
run and loads nothing from elsewhere; a preview may be framed by the admin only; browsers'
violation reports are logged, and bad reports refused."""

import json

import pytest
from django.urls import reverse

from tests.admin_forms import article_form
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


def test_admin_allows_its_inline_scripts_and_nothing_from_elsewhere(client, site):
    response = client.get("/admin/login/")
    enforced = directives(response["Content-Security-Policy"])
    # Wagtail's widgets are inline scripts; everything else stays on the site itself.
    assert enforced["script-src"] == "'self' 'unsafe-inline'"
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert enforced["default-src"] == "'self'"
    assert enforced["connect-src"] == "'self'"
    assert enforced["img-src"] == "'self' data: blob:"
    assert enforced["object-src"] == "'none'"
    assert enforced["form-action"] == "'self'"
    assert enforced["frame-src"] == "'self'"  # its own preview panel
    assert enforced["frame-ancestors"] == "'self'"
    # No report-only policy: it would only report every widget Wagtail has.
    assert "Content-Security-Policy-Report-Only" not in response


def test_a_preview_keeps_the_public_policy_but_may_be_framed_by_the_admin(admin_client, column):
    article = ArticlePageFactory(parent=column)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(article.pk,))
    assert admin_client.post(url, article_form()).json()["is_valid"]
    response = admin_client.get(url, {"in_preview_panel": "true"})
    assert "后台创建的文章" in response.content.decode()
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_admin_asks_no_outside_host_for_avatars_or_upgrades(admin_client, site):
    page = admin_client.get("/admin/").content.decode()
    assert "gravatar.com" not in page
    assert "releases.wagtail.org" not in page
    assert 'data-controller="w-upgrade' not in page


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
    [record] = [r for r in caplog.records if r.name == "core.csp_reports"]
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
    # Deeper than Python's parser goes: refused like any other bad report.
    for deep in (b"[" * 3000 + b"]" * 3000, b'{"a":' * 3000 + b"1" + b"}" * 3000):
        assert client.post("/csp-report/", deep, content_type="application/json").status_code == 400
    assert not [r for r in caplog.records if r.name == "core.csp_reports"]


def test_one_address_cannot_fill_the_log_with_reports(client, caplog):
    body = json.dumps({"csp-report": {"violated-directive": "script-src", "blocked-uri": "x"}})
    statuses = [
        client.post("/csp-report/", body, content_type="application/csp-report").status_code
        for _ in range(40)
    ]
    assert statuses.count(204) == 30 and statuses[-1] == 429
    assert len([r for r in caplog.records if r.name == "core.csp_reports"]) == 30
