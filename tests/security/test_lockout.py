"""Login-failure lockout (等保2.0 登录失败处理) per account and address: a stranger's failures lock
the stranger's address out of that account and nobody else; IPv6 addresses count by their /64;
the 安全管理员 lifts a lock in 设置 → 登录锁定; the lockout and the unlock are each recorded once."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from security.administrators import SECURITY_ADMINISTRATORS, ensure_administrator_roles
from security.audit import SecurityEvent
from security.lockout import lockout_address

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")
LOCKOUTS = reverse("security_lockouts")
PASSWORD = "Lockout-pw-2024"
STRANGER = "198.51.100.23"
OFFICE = "203.0.113.9"


def events(name, **fields):
    return list(SecurityEvent.objects.filter(event=name, **fields).order_by("sequence"))


@pytest.fixture
def guard(site, django_user_model):
    ensure_administrator_roles()
    user = django_user_model.objects.create_user("guard", password=PASSWORD)
    user.groups.add(Group.objects.get(name=SECURITY_ADMINISTRATORS))
    return user


def refused(response):
    """The admin's refusal: a 403, or Wagtail's redirect to the dashboard with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def attempt(address, password, username="guard"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": password})
    return client, response


def fail_five_times(address):
    for _ in range(5):
        attempt(address, "wrong-Pass-1")


def test_five_failures_lock_that_address_out_of_the_account_and_no_other(guard, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    fail_five_times(STRANGER)
    assert attempt(STRANGER, PASSWORD)[1].status_code == 429
    assert attempt(STRANGER, "wrong-Pass-2")[1].status_code == 429
    _, response = attempt(OFFICE, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    # The office's sign-in lifts nothing for the stranger.
    assert attempt(STRANGER, PASSWORD)[1].status_code == 429
    (lockout,) = events("lockout")
    assert (lockout.username, lockout.outcome, lockout.address) == ("guard", "拒绝", STRANGER)
    assert STRANGER in lockout.detail
    # Five failures, then each of the three attempts refused while locked.
    assert len(events("login_failed", username="guard")) == 8


def test_ipv6_addresses_in_one_64_share_a_lockout(guard):
    for host in range(1, 6):
        attempt(f"2001:db8:1:2::{host}", "wrong-Pass-1")
    assert attempt("2001:db8:1:2:ffff::9", PASSWORD)[1].status_code == 429
    assert attempt("2001:db8:1:3::1", PASSWORD)[1].status_code == 302
    (lockout,) = events("lockout")
    assert "2001:db8:1:2::/64" in lockout.detail


def test_the_lockout_address_is_ipv4_itself_and_an_ipv6_64(settings):
    settings.HITCOUNT_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    assert lockout_address(request) == "203.0.113.9"
    request = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:aaaa:bbbb:cccc:dddd")
    assert lockout_address(request) == "2001:db8:1:2::"
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.1")
    assert lockout_address(request) == "192.0.2.1"


def test_the_security_administrator_lifts_a_lock_recorded_once(guard, django_user_model):
    colleague = django_user_model.objects.create_user("zhang", password=PASSWORD)
    for _ in range(5):
        attempt(STRANGER, "wrong-Pass-1", username="zhang")
    assert attempt(STRANGER, PASSWORD, username="zhang")[1].status_code == 429

    client, _ = attempt(OFFICE, PASSWORD)
    html = client.get(LOCKOUTS).content.decode()
    assert "zhang" in html and STRANGER in html and "解除锁定" in html
    response = client.post(LOCKOUTS, {"username": "zhang"})
    assert response.status_code == 302
    assert "已解除账号“zhang”的登录锁定" in client.get(LOCKOUTS).content.decode()
    (unlocked,) = events("unlock")
    assert (unlocked.username, unlocked.object, unlocked.outcome) == ("guard", "用户 zhang", "成功")
    assert attempt(STRANGER, PASSWORD, username="zhang")[1].status_code == 302
    assert colleague.pk
    assert len(events("lockout")) == 1


def test_only_who_may_change_accounts_sees_or_lifts_locks(site, django_user_model):
    django_user_model.objects.create_user("zhang", password=PASSWORD).groups.add(
        Group.objects.get(name="编辑")
    )
    client, _ = attempt(OFFICE, PASSWORD, username="zhang")
    assert refused(client.get(LOCKOUTS))
    assert refused(client.post(LOCKOUTS, {"username": "guard"}))
    assert events("unlock") == []
    assert "登录锁定" not in client.get(reverse("wagtailadmin_home")).content.decode()
