"""失效链接 as staff meet it, in Debian's Chromium against a live server with the site's own
headers and two-factor sign-in: a member of 内容安全管理 opens 报告 → 失效链接, asks for 立即检查,
and finds the broken links once the check in the background is done; the article's editor opens
it and is told which of its links are broken. Each ends with no Content-Security-Policy
violation, no script error and no left-over English."""

from base64 import b32encode
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.models import ArticlePage, NewsIndexPage
from news.roles import EDITORS
from news.sitetree import ensure_site_tree
from quality.links_models import LinkCheckRun
from quality.safety_roles import CONTENT_SAFETY
from security.two_factor import PHONE
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.chromium import CHROMIUM
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


def member(django_user_model, username, name, group):
    user = django_user_model.objects.create_user(username, password=PASSWORD, first_name=name)
    user.groups.add(Group.objects.get(name=group))
    device = TOTPDevice.objects.create(user=user, name=PHONE, confirmed=True)
    return user, Authenticator(b32encode(device.bin_key).decode())


def test_content_safety_checks_now_and_the_editor_is_told(
    browser, live_server, server, django_user_model, settings
):
    settings.ADMIN_2FA_REQUIRED = True
    site = ensure_site_tree()
    column = NewsIndexPage.objects.child_of(site.root_page).get(slug="news")
    editor, editor_phone = member(django_user_model, "bianji", "王编辑", EDITORS)
    _, safety_phone = member(django_user_model, "anquan", "周安全", CONTENT_SAFETY)
    withdrawn = ArticlePage(title="已撤下的通知", source="测试来源")
    column.add_child(instance=withdrawn)
    withdrawn.save_revision().publish()
    withdrawn.unpublish()
    body = [
        {
            "type": "paragraph",
            "value": f'<p><a linktype="page" id="{withdrawn.pk}">通知</a>'
            f'<a href="{server.base}/missing">外部网站</a></p>',
        }
    ]
    article = ArticlePage(title="有坏链接的文章", source="测试来源", body=body)
    column.add_child(instance=article)
    article.save_revision(user=editor).publish()

    safety = Staff(browser, live_server.url, "anquan", code=safety_phone.fresh_code())
    page = safety.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="报告").click()
    safety.click_and_wait(sidebar.get_by_role("link", name="失效链接"))
    assert "还没有检查过链接" in page.locator("main").inner_text()
    safety.click_and_wait(page.get_by_role("button", name="立即检查"))
    assert "已开始检查链接" in page.locator("main").inner_text()
    assert wait_for(lambda: LinkCheckRun.objects.filter(finished_at__isnull=False).exists(), 30)
    safety.goto(reverse("quality_broken_links"))
    listing = page.locator("main").inner_text()
    assert "有坏链接的文章" in listing and "页面已取消发布" in listing and "HTTP 404" in listing
    assert "上次检查于" in listing
    screenshot(page, "admin-broken-links")
    safety.assert_met_no_obstacle()
    safety.close()

    writer = Staff(browser, live_server.url, "bianji", code=editor_phone.fresh_code())
    writer.goto(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    warning = writer.page.locator(".messages").inner_text()
    assert "2 个链接有问题" in warning and "“通知”" in warning and "HTTP 404" in warning
    screenshot(writer.page, "admin-broken-links-editor", showing=writer.page.locator(".messages"))
    writer.assert_met_no_obstacle()
    writer.close()
