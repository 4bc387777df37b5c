"""The admin's door: the fifth failed login of an account from one address locks the account from
that address (django-axes; more in tests/security/test_lockout.py), with 429 and a Chinese page
even for the right password, and locks no colleague behind the same address; one address trying many accounts is throttled; a forged X-Forwarded-For gets around
nothing; logging out takes a POST; password resets are throttled and quiet without mail."""

import stat

import pytest
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.test import Client


@pytest.fixture
def account(db):
    return get_user_model().objects.create_user("editor", password="correct-horse-42")


def attempt(password, ip="203.0.113.9", **headers):
    client = Client(REMOTE_ADDR=ip, **headers)
    return client.post("/admin/login/", {"username": "editor", "password": password})


def test_five_failures_then_429_even_with_the_right_password(account):
    for _ in range(4):
        assert attempt("wrong").status_code == 200  # the form again, with its error
    assert attempt("wrong").status_code == 429  # the fifth failure starts the lockout
    response = attempt("correct-horse-42")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录尝试次数过多" in page
    # The lock is on the account from this address: the page names the account and the wait.
    assert "账户“editor”从当前网络" in page and "15 分钟后再试" in page
    assert "安全管理员" in page


def test_a_forged_forwarded_for_does_not_reset_the_count(account):
    for number in range(5):
        attempt("wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert attempt("wrong", HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 429


def test_an_account_guessed_from_many_addresses_is_locked_from_each_not_for_its_owner(account):
    for number in range(5):
        for _ in range(5):
            attempt("wrong", ip=f"198.51.100.{number}")
        assert attempt("correct-horse-42", ip=f"198.51.100.{number}").status_code == 429
    assert attempt("correct-horse-42", ip="203.0.113.9").status_code == 302


def test_a_colleague_behind_the_same_address_is_not_locked_out(account):
    get_user_model().objects.create_user("colleague", password="another-horse-43")
    for _ in range(5):
        attempt("wrong")
    colleague = Client(REMOTE_ADDR="203.0.113.9").post(
        "/admin/login/", {"username": "colleague", "password": "another-horse-43"}
    )
    assert colleague.status_code == 302


def test_one_address_trying_many_accounts_is_throttled(account, settings):
    settings.LOGIN_RATE_LIMIT = "5/m"
    client = Client(REMOTE_ADDR="203.0.113.70")
    statuses = [
        client.post("/admin/login/", {"username": f"user{n}", "password": "x"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    refused = client.post("/admin/login/", {"username": "user9", "password": "x"})
    assert "此网络地址" in refused.content.decode()


def test_logging_out_takes_a_post_and_a_get_changes_nothing(admin_client):
    cookie = admin_client.cookies["sessionid"].value
    assert admin_client.get("/admin/logout/").status_code == 405
    assert admin_client.cookies["sessionid"].value == cookie  # not deleted
    assert admin_client.get("/admin/").status_code == 200  # and the session still works
    assert admin_client.post("/admin/logout/").status_code == 302
    assert admin_client.get("/admin/")["Location"].startswith("/admin/login/")


def test_password_resets_are_throttled_and_quiet_without_a_mail_server(account, settings, caplog):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed, 2
    settings.PASSWORD_RESET_RATE_LIMIT = "2/h"
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = True  # off unless the site turns it on
    account.email = "editor@example.cn"
    account.save()
    client = Client(REMOTE_ADDR="203.0.113.80")
    first = client.post("/admin/password_reset/", {"email": "editor@example.cn"})
    assert first.status_code == 302  # the same answer as when mail goes out
    assert not [r for r in caplog.records if r.exc_info]
    client.post("/admin/password_reset/", {"email": "editor@example.cn"})
    third = client.post("/admin/password_reset/", {"email": "editor@example.cn"})
    assert third.status_code == 429
    assert "过于频繁" in third.content.decode()


def test_a_success_before_the_limit_clears_the_failures(account):
    for _ in range(4):
        attempt("wrong")
    assert attempt("correct-horse-42").status_code == 302
    for _ in range(4):
        assert attempt("wrong").status_code == 200


def test_mail_written_to_files_is_readable_by_the_sites_user_only(tmp_path):
    folder = tmp_path / "mail"
    connection = get_connection("core.mail.PrivateFileEmailBackend", file_path=str(folder))
    connection.send_messages([EmailMessage("重置密码", "链接", "noreply@localhost", ["a@x.cn"])])
    [written] = folder.iterdir()
    assert b"Subject:" in written.read_bytes()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
