"""The 审计管理员 in Debian's Chromium under the production headers: after the 安全管理员 made an
account and a stranger failed to sign in to it, the auditor finds both in 报告 → 审计日志, narrows
the list to the failures with the filter, downloads the XLSX, and then finds that download in the
log too."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from news.roles import EDITORS
from news.sitetree import ensure_site_tree
from security.administrators import AUDIT_ADMINISTRATORS, SECURITY_ADMINISTRATORS
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.admin_forms import user_in
from tests.chromium import CHROMIUM

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def live_site(live_server, django_user_model, browser):
    ensure_site_tree()
    for group, name in ((SECURITY_ADMINISTRATORS, "anquan"), (AUDIT_ADMINISTRATORS, "shenji")):
        user = user_in(django_user_model, group, name)[0]
        user.set_password(PASSWORD)
        user.save()
    yield live_server.url
    for context in browser.contexts:
        context.close()


def rows_shown(page):
    return page.locator("main table tbody tr").all_inner_texts()


def test_the_auditor_finds_the_days_events_filters_them_and_exports_them(
    browser, live_site, django_user_model
):
    security = Staff(browser, live_site, "anquan")
    page = security.page
    security.goto(reverse("wagtailusers_users:add"))
    page.fill("#id_username", "zhangsan")
    page.fill("#id_email", "zhangsan@example.cn")
    page.fill("#id_last_name", "张")
    page.fill("#id_first_name", "三")
    page.fill("#id_password1", "a-long-Pass-phrase-42")
    page.fill("#id_password2", "a-long-Pass-phrase-42")
    page.locator("#tab-label-roles").click()
    page.locator("main").get_by_label(EDITORS).check()
    security.click_and_wait(page.locator("main form [type=submit]").last)
    assert wait_for(lambda: django_user_model.objects.filter(username="zhangsan").exists())
    security.assert_met_no_obstacle()
    security.close()

    stranger = browser.new_context(locale="zh-CN").new_page()
    stranger.goto(live_site + reverse("wagtailadmin_login"))
    stranger.fill("#id_username", "zhangsan")
    stranger.fill("#id_password", "guessing-1234")
    with stranger.expect_navigation():
        stranger.click("button[type=submit]")
    stranger.context.close()

    auditor = Staff(browser, live_site, "shenji")
    page = auditor.page
    page.get_by_role("button", name="报告").click()
    auditor.click_and_wait(page.get_by_role("link", name="审计日志"))
    shown = "\n".join(rows_shown(page))
    for expected in ("anquan", "新建用户", "用户 zhangsan", "角色变更", "加入：编辑", "登录失败"):
        assert expected in shown, expected

    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="结果").click()
    page.get_by_label("结果").select_option("失败")
    wait_for(lambda: all("失败" in row for row in rows_shown(page)) and rows_shown(page))
    failures = rows_shown(page)
    assert failures and all("登录失败" in row for row in failures), failures
    assert all("zhangsan" in row for row in failures)

    page.get_by_role("button", name="动作").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="下载XLSX").click()
    workbook = openpyxl.load_workbook(io.BytesIO(Path(download_info.value.path()).read_bytes()))
    sheet = list(workbook.active.iter_rows(values_only=True))
    assert sheet[0][:5] == ("序号", "时间", "用户", "客户端地址", "事件")
    assert {row[4] for row in sheet[1:]} == {"登录失败"}

    auditor.goto(reverse("security_audit_log"))
    assert "导出" in "\n".join(rows_shown(page))
    auditor.assert_met_no_obstacle()
    auditor.close()
