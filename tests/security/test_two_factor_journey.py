"""Two-factor sign-in in Debian's Chromium against a live server with the site's own headers and
ADMIN_2FA_REQUIRED on: an editor's first sign-in leads to the 两步验证 page, where the phone is
enrolled from the key read on the screen (the codes computed by stack/authenticator.py, as an
authenticator app would) and the ten recovery codes are shown; a recovery code signs in once; a
second sign-in without a code is refused in Chinese and one with the phone's code opens the
admin; the 安全管理员 resets the phone from the account's edit page. No Content-Security-Policy
violation, no script error and no left-over English on the way."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from news.roles import EDITORS
from news.sitetree import ensure_site_tree
from security.administrators import SECURITY_ADMINISTRATORS
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.chromium import CHROMIUM

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

LOGIN = reverse("wagtailadmin_login")
HOME = reverse("wagtailadmin_home")
TWO_FACTOR = reverse("security_two_factor")


@pytest.fixture
def live_site(live_server, django_user_model, browser, settings):
    settings.ADMIN_2FA_REQUIRED = True
    ensure_site_tree()
    for username, group in [("lisi", EDITORS), ("anquan", SECURITY_ADMINISTRATORS)]:
        user = django_user_model.objects.create_user(
            username, password=PASSWORD, email=f"{username}@example.cn"
        )
        user.groups.add(Group.objects.get(name=group))
    yield live_server.url
    for context in browser.contexts:
        context.close()


def enrol(staff):
    """The 两步验证 page as a person meets it: the key read off the screen into the phone, its
    code typed in, the recovery codes written down, and on into the admin."""
    page = staff.page
    main = page.locator("main")
    assert main.locator("svg[role=img]").is_visible()
    phone = Authenticator(page.locator("#two-factor-secret").inner_text())
    page.fill("#id_otp_token", phone.fresh_code())
    staff.click_and_wait(main.get_by_role("button", name="绑定"))
    phone.recovery_codes = page.locator(".two-factor-codes code").all_inner_texts()
    assert len(phone.recovery_codes) == 10
    assert "恢复码只显示这一次" in main.inner_text()
    staff.click_and_wait(main.get_by_role("link", name="我已保存恢复码，进入管理后台"))
    assert page.url.endswith(HOME)
    return phone


def refused(browser, live_site, code=None):
    staff = Staff(browser, live_site, "lisi", lands_on=LOGIN, code=code)
    staff.look()
    text = staff.page.locator(".messages").inner_text()
    staff.assert_met_no_obstacle()
    staff.close()
    return text


def test_an_editor_enrols_a_phone_and_signs_in_with_its_codes(live_site, browser):
    first = Staff(browser, live_site, "lisi", lands_on=TWO_FACTOR)
    first.settle()
    first.goto(reverse("wagtailadmin_explore_root"))
    assert first.page.url == live_site + TWO_FACTOR
    phone = enrol(first)
    first.goto(reverse("wagtailadmin_account"))
    assert first.page.url == live_site + reverse("wagtailadmin_account")
    first.assert_met_no_obstacle()
    first.close()

    assert "请填写手机验证器上的 6 位动态验证码" in refused(browser, live_site)

    recovery = phone.recovery_codes[0]
    with_recovery = Staff(browser, live_site, "lisi", code=recovery)
    with_recovery.goto(TWO_FACTOR)
    assert "剩余恢复码：9 个" in with_recovery.page.locator("main").inner_text()
    with_recovery.assert_met_no_obstacle()
    with_recovery.close()
    assert "动态验证码不正确或已使用过" in refused(browser, live_site, code=recovery)

    second = Staff(browser, live_site, "lisi", code=phone.fresh_code())
    second.settle()
    second.assert_met_no_obstacle()
    second.close()


def test_the_security_administrator_resets_a_lost_phone(live_site, browser, django_user_model):
    lisi = Staff(browser, live_site, "lisi", lands_on=TWO_FACTOR)
    lisi.settle()
    enrol(lisi)
    lisi.close()

    guard = Staff(browser, live_site, "anquan", lands_on=TWO_FACTOR)
    guard.settle()
    enrol(guard)
    account = django_user_model.objects.get(username="lisi")
    guard.goto(reverse("wagtailusers_users:edit", args=(account.pk,)))
    guard.page.locator("header [data-w-dropdown-target=toggle]").first.click()
    guard.click_and_wait(guard.page.get_by_role("link", name="重置两步验证"))
    guard.click_and_wait(guard.page.locator("main").get_by_role("button", name="重置两步验证"))
    assert "已重置用户 lisi 的两步验证" in guard.page.locator(".messages").inner_text()
    assert wait_for(lambda: not account.totpdevice_set.exists())
    guard.assert_met_no_obstacle()
    guard.close()

    again = Staff(browser, live_site, "lisi", lands_on=TWO_FACTOR)
    again.settle()
    assert again.page.locator("#two-factor-secret").is_visible()
    again.assert_met_no_obstacle()
    again.close()
