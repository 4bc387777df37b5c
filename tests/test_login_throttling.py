"""Admin login throttling (django-axes): the fifth failed login from an address starts a lockout,
and every attempt from it is then refused with 429 and a Chinese page, even with the right
password; a forged X-Forwarded-For does not get around it."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_user("editor", password="correct-horse-42")


def attempt(password, ip="203.0.113.9", **headers):
    client = Client(REMOTE_ADDR=ip, **headers)
    return client.post("/admin/login/", {"username": "editor", "password": password})


def test_five_failures_then_429_even_with_the_right_password(editor):
    for _ in range(4):
        assert attempt("wrong").status_code == 200  # the form again, with its error
    assert attempt("wrong").status_code == 429  # the fifth failure starts the lockout
    response = attempt("correct-horse-42")
    assert response.status_code == 429
    assert "登录尝试次数过多" in response.content.decode()


def test_a_forged_forwarded_for_does_not_reset_the_count(editor):
    for number in range(5):
        attempt("wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert attempt("wrong", HTTP_X_FORWARDED_FOR="192.0.2.77").status_code == 429


def test_other_addresses_can_still_log_in(editor):
    for _ in range(5):
        attempt("wrong")
    response = attempt("correct-horse-42", ip="198.51.100.20")
    assert response.status_code == 302


def test_a_success_before_the_limit_clears_the_failures(editor):
    for _ in range(4):
        attempt("wrong")
    assert attempt("correct-horse-42").status_code == 302
    for _ in range(4):
        assert attempt("wrong").status_code == 200
