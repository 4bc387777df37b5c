"""发稿统计 as a reviewer meets it, in Debian's Chromium against a live server with the site's own
headers: from the sidebar's 报告 to the report, a period typed in, the chart and tables read,
the XLSX downloaded, and no Content-Security-Policy violation, script error or English on the
way; an editor typing the address is sent back to the dashboard."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from news.hits.models import PageHits
from news.models import ArticlePage, NewsIndexPage
from news.roles import EDITORS, REVIEWERS
from tests.admin_browser import PASSWORD, Staff
from tests.chromium import CHROMIUM
from tests.quality.test_publishing_stats import at, reviewed
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
    return user


def test_a_reviewer_reads_the_figures_and_downloads_them(
    browser, live_server, site, django_user_model
):
    editor = member(django_user_model, "wang", "王编辑", EDITORS)
    reviewer = member(django_user_model, "li", "李审核", REVIEWERS)
    column = NewsIndexPage.objects.child_of(site.root_page).get(slug="news")
    reviewed(column, "一月的报道", editor, reviewer, at(1, 10), at(1, 11), hits=12)
    reviewed(column, "二月的报道", editor, reviewer, at(2, 10), at(2, 11), hits=30)
    assert ArticlePage.objects.filter(live=True, first_published_at__year=2026).count() == 2
    assert PageHits.objects.count() >= 2

    staff = Staff(browser, live_server.url, "li")
    page = staff.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="报告").click()
    staff.click_and_wait(sidebar.get_by_role("link", name="发稿统计"))
    assert "发稿统计" in page.locator("header").first.inner_text()
    page.get_by_label("开始日期").fill("2026-01-01")
    page.get_by_label("结束日期").fill("2026-02-28")
    staff.click_and_wait(page.get_by_role("button", name="统计"))

    chart = page.get_by_role("img", name="每月首次发布的文章数")
    assert chart.is_visible()
    screenshot(page, "admin-publishing-stats", showing=chart)
    editors = page.locator("#stats-table-editors tbody tr")
    assert editors.all_inner_texts() == ["王编辑\t2\t42"]
    months = page.locator("#stats-table-months tbody tr").all_inner_texts()
    assert months == ["2026年1月\t1\t12", "2026年2月\t1\t30"]
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel 文件（XLSX）").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert [tuple(c.value for c in row) for row in book["按编辑"].iter_rows()][1] == (
        "王编辑",
        2,
        42,
    )
    staff.assert_met_no_obstacle()
    staff.close()

    writer = Staff(browser, live_server.url, "wang")
    writer.goto(reverse("quality_publishing_stats") + "?first=2026-01-01&last=2026-02-28")
    assert writer.page.url == live_server.url + reverse("wagtailadmin_home")
    assert writer.page.locator("#stats-table-editors").count() == 0
    writer.close()
