"""Two-factor sign-in (security/two_factor.py and the modules it names): with ADMIN_2FA_REQUIRED a
first sign-in leads to enrolment and nowhere else, enrolment shows the key and ten recovery codes
once, an account that has enrolled signs in only with a code, a TOTP code and a recovery code
each work once, django-otp's throttling says how long to wait, a password that must be changed is
changed first, the 安全管理员 resets an account's devices (never a superuser's, another
安全管理员's or their own), and each event is recorded once in the audit log. Codes are computed
from the key read on the page (stack/authenticator.py), never taken from the database."""

import io
import re
import time

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.roles import EDITORS
from security import two_factor
from security.administrators import SECURITY_ADMINISTRATORS
from security.audit import SecurityEvent
from security.passwords import PasswordHistory
from sitecms.settings import base
from stack.authenticator import Authenticator
from tests.admin_forms import user_in
from tests.production import run_with_production_settings
from tests.security.test_passwords import change_password

LOGIN = reverse("wagtailadmin_login")
LOGOUT = reverse("wagtailadmin_logout")
HOME = reverse("wagtailadmin_home")
TWO_FACTOR = reverse("security_two_factor")
PASSWORD = "pw-for-tests"

pytestmark = pytest.mark.django_db


def events(name, **fields):
    return list(SecurityEvent.objects.filter(event=name, **fields).order_by("sequence"))


@pytest.fixture
def required(settings):
    settings.ADMIN_2FA_REQUIRED = True


@pytest.fixture
def editor(site, django_user_model):
    user = django_user_model.objects.create_user(
        "zhangsan", password=PASSWORD, email="zs@example.cn", first_name="三", last_name="张"
    )
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def sign_in(username="zhangsan", code=None, password=PASSWORD):
    client = Client()
    data = {"username": username, "password": password}
    if code is not None:
        data["otp_token"] = code
    return client, client.post(LOGIN, data)


def read_phone(html):
    """The key as the page shows it for typing into an app."""
    found = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', html)
    assert found, html[:3000]
    return Authenticator(found.group(1))


def recovery_codes(html):
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", html)


def enrol(client):
    """The enrolment page read and answered as a person would: the phone, and the codes shown."""
    page = client.get(TWO_FACTOR)
    assert page.status_code == 200
    phone = read_phone(page.content.decode())
    step = phone.now_step()
    answer = client.post(TWO_FACTOR, {"otp_token": phone.code(step)})
    assert answer.status_code == 200
    phone.last_step = step
    phone.recovery_codes = recovery_codes(answer.content.decode())
    return phone


def next_code(phone):
    """The next step's code, which the site takes now (django-otp's tolerance of one step), so a
    test need not wait half a minute after the enrolment used this step's."""
    phone.last_step += 1
    return phone.code(phone.last_step)


def test_a_first_sign_in_leads_to_enrolment_and_nowhere_else(required, editor):
    client, answer = sign_in()
    assert answer.status_code == 302
    for path in [HOME, reverse("wagtailadmin_explore_root"), reverse("wagtailadmin_account")]:
        response = client.get(path)
        assert (response.status_code, response.url) == (302, TWO_FACTOR), path
    assert client.post(reverse("wagtailadmin_pages:add_subpage", args=(1,))).url == TWO_FACTOR
    assert client.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200

    page = client.get(TWO_FACTOR).content.decode()
    assert "<svg" in page and "二维码" in page
    assert "微信" in page and "Google Authenticator" in page
    assert "青溪党建网：zhangsan" in page
    secret = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page).group(1)
    assert all(len(group) == 4 for group in secret.split())
    # The same key when the page is opened again (the app may have scanned it already).
    assert read_phone(client.get(TWO_FACTOR).content.decode()).key == read_phone(page).key
    assert client.post(LOGOUT).status_code == 302


def test_enrolment_shows_ten_recovery_codes_once_and_opens_the_admin(required, editor):
    client, _ = sign_in()
    phone = enrol(client)
    assert len(phone.recovery_codes) == 10 == len(set(phone.recovery_codes))
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert client.get(HOME).status_code == 200
    # Shown once: the page now says how many are left, never which.
    page = client.get(TWO_FACTOR).content.decode()
    assert "剩余恢复码：10 个" in page
    assert not any(code in page for code in phone.recovery_codes)
    (enrolled,) = events("otp_enrolled")
    assert (enrolled.username, enrolled.object) == ("zhangsan", "用户 zhangsan")


def test_a_wrong_first_code_enrols_nothing(required, editor):
    client, _ = sign_in()
    phone = read_phone(client.get(TWO_FACTOR).content.decode())
    wrong = str((int(phone.code()) + 1) % 1_000_000).zfill(6)
    answer = client.post(TWO_FACTOR, {"otp_token": wrong}).content.decode()
    assert "动态验证码不正确" in answer
    assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
    assert client.get(HOME).url == TWO_FACTOR
    assert len(events("otp_failed")) == 1
    assert events("otp_enrolled") == []


def test_a_second_sign_in_needs_the_code_and_takes_each_code_once(required, editor):
    client, _ = sign_in()
    phone = enrol(client)
    client.post(LOGOUT)

    _, without = sign_in()
    assert without.status_code == 200
    assert "请填写手机验证器上的 6 位动态验证码" in without.content.decode()
    (missing,) = events("otp_failed")
    assert (missing.username, missing.outcome, missing.detail) == (
        "zhangsan",
        "失败",
        "未填写动态验证码",
    )

    code = next_code(phone)
    client, answer = sign_in(code=code)
    assert answer.status_code == 302
    assert client.get(HOME).status_code == 200
    # Once at enrolment, once now; the refused one was no sign-in.
    assert len(events("login", username="zhangsan")) == 2
    client.post(LOGOUT)

    # A wrong password is a failed sign-in, whatever the code: the code is not looked at.
    _, wrong_password = sign_in(code=phone.code(phone.last_step + 1), password="Wrong-pass-1")
    assert wrong_password.status_code == 200
    assert len(events("login_failed", username="zhangsan")) == 1
    assert len(events("otp_failed")) == 1

    # The same code again, within its half minute: refused, and the wait is said.
    _, again = sign_in(code=code)
    assert again.status_code == 200
    assert "动态验证码不正确或已使用过" in again.content.decode()
    assert "秒后再试" in again.content.decode()
    assert len(events("otp_failed")) == 2


def test_throttling_says_how_many_seconds_to_wait(required, editor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client, _ = sign_in()
    phone = enrol(client)
    wrong = str((int(phone.code(phone.last_step + 1)) + 1) % 1_000_000).zfill(6)
    first = sign_in(code=wrong)[1].content.decode()
    assert re.search(r"请等待 (59|60) 秒后再试", first), first
    # While locked even the right code is not tried, and the page says how long is left.
    locked = sign_in(code=next_code(phone))[1].content.decode()
    assert re.search(r"请等待 \d+ 秒后再试", locked)
    assert TOTPDevice.objects.get(user=editor).last_t == phone.last_step - 1


def test_a_recovery_code_signs_in_once(required, editor):
    client, _ = sign_in()
    phone = enrol(client)
    client.post(LOGOUT)
    code = phone.recovery_codes[3]

    client, answer = sign_in(code=code.upper().replace("-", " "))
    assert answer.status_code == 302
    assert client.get(HOME).status_code == 200
    (used,) = events("recovery_code_used")
    assert (used.username, used.detail) == ("zhangsan", "剩余 9 个恢复码")
    assert StaticToken.objects.filter(device__user=editor).count() == 9

    _, again = sign_in(code=code)
    assert again.status_code == 200
    assert "动态验证码不正确或已使用过" in again.content.decode()
    assert len(events("recovery_code_used")) == 1
    # A wrong recovery code does not count against the phone's codes.
    assert TOTPDevice.objects.get(user=editor).throttling_failure_count == 0


def test_new_recovery_codes_replace_the_old_ones(required, editor):
    client, _ = sign_in()
    phone = enrol(client)
    answer = client.post(TWO_FACTOR, {"otp_token": next_code(phone)}).content.decode()
    fresh = recovery_codes(answer)
    assert len(fresh) == 10 and not set(fresh) & set(phone.recovery_codes)
    client.post(LOGOUT)
    assert sign_in(code=phone.recovery_codes[0])[1].status_code == 200
    time.sleep(1.1)  # django-otp's wait after one wrong code
    assert sign_in(code=fresh[0])[1].status_code == 302


def test_without_the_requirement_a_password_opens_the_admin_until_one_enrols(editor):
    client, answer = sign_in()
    assert answer.status_code == 302
    assert client.get(HOME).status_code == 200
    phone = enrol(client)
    client.post(LOGOUT)
    assert sign_in()[1].status_code == 200
    assert sign_in(code=next_code(phone))[1].status_code == 302


def test_a_password_set_by_someone_else_is_changed_before_the_phone_is_enrolled(required, editor):
    PasswordHistory.objects.filter(user=editor).update(must_change=True)
    client, _ = sign_in()
    account = reverse("wagtailadmin_account")
    assert client.get(HOME).url == account
    assert client.get(account).status_code == 200
    assert client.get(TWO_FACTOR).url == account
    assert change_password(client, PASSWORD, "Own-pass-7788").status_code == 302
    assert client.get(HOME).url == TWO_FACTOR
    enrol(client)
    assert client.get(HOME).status_code == 200


def test_a_session_that_began_before_enrolment_gives_a_code(required, editor, settings):
    # Two sessions of one account live side by side only where a sign-in does not end the
    # others (security/sessions.py).
    settings.ADMIN_SINGLE_SESSION = False
    earlier, _ = sign_in()
    later, _ = sign_in()
    phone = enrol(later)
    assert earlier.get(HOME).url == TWO_FACTOR
    assert "已绑定手机验证器" in earlier.get(TWO_FACTOR).content.decode()
    answer = earlier.post(TWO_FACTOR, {"otp_token": next_code(phone)})
    assert answer.url == HOME
    assert earlier.get(HOME).status_code == 200


@pytest.fixture
def security_admin(site, django_user_model):
    return user_in(django_user_model, SECURITY_ADMINISTRATORS, "guard")


def enrolled(user):
    """A client of the user's that has enrolled a phone (and so given a code), and the phone."""
    client = Client()
    client.force_login(user)
    return client, enrol(client)


def test_the_security_administrator_resets_a_lost_phone(required, editor, security_admin):
    guard, _ = security_admin
    guard_client, _ = enrolled(guard)
    enrolled(editor)

    edit = guard_client.get(reverse("wagtailusers_users:edit", args=(editor.pk,)))
    reset = reverse("security_two_factor_reset", args=(editor.pk,))
    assert reset in edit.content.decode()
    assert "重置两步验证" in guard_client.get(reset).content.decode()
    answer = guard_client.post(reset)
    assert answer.url == reverse("wagtailusers_users:edit", args=(editor.pk,))
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticToken.objects.filter(device__user=editor).exists()
    (done,) = events("otp_reset")
    assert (done.username, done.object) == ("guard", "用户 zhangsan")
    # Its owner enrols again at the next sign-in.
    client, answer = sign_in()
    assert answer.status_code == 302 and client.get(HOME).url == TWO_FACTOR


def test_the_reset_is_refused_for_protected_accounts_and_for_others(
    editor, security_admin, django_user_model
):
    guard, guard_client = security_admin
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    other = user_in(django_user_model, SECURITY_ADMINISTRATORS, "guard2")[0]
    for account, reason in [
        (boss, "只有超级管理员可以重置超级管理员和其他安全管理员的两步验证"),
        (other, "只有超级管理员可以重置超级管理员和其他安全管理员的两步验证"),
        (guard, "不能重置自己的两步验证"),
    ]:
        url = reverse("security_two_factor_reset", args=(account.pk,))
        for response in (guard_client.get(url), guard_client.post(url)):
            assert response.status_code == 403
            assert reason in response.content.decode()
        edit = guard_client.get(reverse("wagtailusers_users:edit", args=(account.pk,)))
        assert url not in edit.content.decode()
    # Whoever may change accounts without being the 安全管理员 may not reset.
    manager = django_user_model.objects.create_user("manager", password=PASSWORD)
    manager.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_user"])
    )
    client = Client()
    client.force_login(manager)
    url = reverse("security_two_factor_reset", args=(editor.pk,))
    assert client.post(url).status_code == 403
    assert events("otp_reset") == []
    # Each refusal once: six of the reset, two edit pages of protected accounts, the manager.
    assert len(events("permission_denied")) == 9


def test_a_superuser_may_reset_a_security_administrators_phone(security_admin, django_user_model):
    guard, _ = security_admin
    enrolled(guard)
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    client = Client()
    client.force_login(boss)
    assert client.post(reverse("security_two_factor_reset", args=(guard.pk,))).status_code == 302
    assert not two_factor.has_two_factor(guard)
    assert len(events("otp_reset", object="用户 guard")) == 1


def test_the_login_page_asks_for_the_code_in_chinese(client, site):
    html = client.get(LOGIN).content.decode()
    assert "动态验证码" in html
    assert 'autocomplete="one-time-code"' in html


def test_production_requires_two_factor_and_development_does_not():
    shown = "from django.conf import settings; print(settings.ADMIN_2FA_REQUIRED)"
    run = run_with_production_settings(
        "-c",
        f"import django; django.setup(); {shown}",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="example.cn",
    )
    assert run.stdout.strip() == "True", run.stderr
    off = run_with_production_settings(
        "-c",
        f"import django; django.setup(); {shown}",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="example.cn",
        ADMIN_2FA_REQUIRED="0",
    )
    assert off.stdout.strip() == "False", off.stderr
    assert base.ADMIN_2FA_REQUIRED is False


def test_the_server_resets_a_phone_when_nobody_can_sign_in_to_do_it(editor):
    enrolled(editor)
    out = io.StringIO()
    call_command("reset_two_factor", "zhangsan", stdout=out)
    assert "已重置用户 zhangsan 的两步验证" in out.getvalue()
    assert not two_factor.has_two_factor(editor)
    (done,) = events("otp_reset")
    assert (done.object, done.username) == ("用户 zhangsan", "")
    assert "manage.py reset_two_factor" in done.detail
    with pytest.raises(CommandError):
        call_command("reset_two_factor", "nobody")
