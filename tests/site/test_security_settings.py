"""The production settings pass Django's deployment checks, and every response carries the
security headers; Wagtail's preview may still be framed by the admin itself."""

import secrets

from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from tests.factories import ArticlePageFactory
from tests.production import run_with_production_settings


def production(*command, **env):
    """A manage.py command under the production settings, with a fresh secret key and `env`."""
    return run_with_production_settings(
        "manage.py",
        *command,
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="www.example.cn",
        **env,
    )


def test_production_settings_pass_the_deployment_checks():
    result = production("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_settings_send_hsts_for_a_year_with_subdomains():
    result = production(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.X_FRAME_OPTIONS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)",
    )
    assert result.stdout.split()[-5:] == ["31536000", "True", "DENY", "True", "True"], result


def test_production_takes_the_proxys_word_for_https_only_when_told():
    """Behind deploy/nginx.conf (TRUST_X_FORWARDED_PROTO=1) Django knows a request came over
    HTTPS. Otherwise it ignores the header: facing clients itself, it would believe whatever a
    client claimed."""
    show = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    untold = production("shell", "-c", show, TRUST_X_FORWARDED_PROTO="")
    told = production("shell", "-c", show, TRUST_X_FORWARDED_PROTO="1")
    assert untold.stdout.split()[-1] == "None", untold
    assert told.stdout.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')", told


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_public_pages_carry_the_security_headers(column):
    article = ArticlePageFactory(parent=column)
    response = Client().get(article.url, secure=True)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_wagtail_preview_may_be_framed_by_the_admin_only(column):
    article = ArticlePageFactory(parent=column)
    admin = get_user_model().objects.create_superuser("preview-admin", password="x" * 12)
    client = Client()
    client.force_login(admin)
    response = client.get(f"/admin/pages/{article.pk}/edit/preview/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_an_unknown_host_gets_a_chinese_400_page(column, settings):
    settings.ALLOWED_HOSTS = ["www.example.cn"]
    response = Client(HTTP_HOST="evil.example.com").get("/")
    assert response.status_code == 400
    assert "无法处理这个请求" in response.content.decode()


def test_a_form_posted_without_its_csrf_token_gets_a_chinese_403_page(column):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已过期或缺少安全验证信息" in html and 'lang="zh-CN"' in html
