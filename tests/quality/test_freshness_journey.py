"""栏目更新 in Debian's Chromium under the production headers: a reviewer meets the stale column
on the dashboard, follows the 栏目更新预警 menu item to the report with its red notice and the
row of that column; nothing is refused by the policy and no English shows."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import NewsIndexPage
from news.roles import REVIEWERS
from news.sitetree import add_published, ensure_site_tree
from tests.admin_browser import PASSWORD, Staff
from tests.admin_forms import user_in
from tests.chromium import CHROMIUM
from tests.factories import ArticlePageFactory
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def live_site(live_server, django_user_model, browser):
    """工作动态 last updated 20 days ago, 通知公告 a week ago, 基层实践 yesterday, and five blank
    columns: stale, and a veto reached."""
    site = ensure_site_tree()
    home = site.root_page
    now = timezone.now()
    for slug, days in [("news", 20), ("notices", 7), ("practice", 1)]:
        when = now - datetime.timedelta(days=days)
        ArticlePageFactory(
            parent=NewsIndexPage.objects.child_of(home).get(slug=slug),
            published_at=when,
            first_published_at=when,
        )
    for number in range(5):
        add_published(home, NewsIndexPage(title=f"空白栏目{number}", slug=f"blank-{number}"))
    user = user_in(django_user_model, REVIEWERS, "shenhe")[0]
    user.set_password(PASSWORD)
    user.save()
    yield live_server.url
    for context in browser.contexts:
        context.close()


def test_a_reviewer_is_led_from_the_dashboard_to_the_report_of_the_stale_column(browser, live_site):
    reviewer = Staff(browser, live_site, "shenhe")
    page = reviewer.page
    panel = page.locator("#quality-freshness")
    assert "工作动态" in panel.inner_text() and "超期 6 天" in panel.inner_text()
    assert "空白栏目已有 5 个，达到 5 个即单项否决。" in panel.inner_text()
    reviewer.click_and_wait(page.locator("nav").get_by_text("栏目更新预警（6）"))
    assert page.url.endswith(reverse("quality_freshness"))
    main = page.locator("main")
    alarm = main.get_by_role("alert").filter(has_text="空白栏目已有 5 个")
    red, green, blue = map(
        int,
        alarm.evaluate("element => getComputedStyle(element).color")
        .removeprefix("rgb(")
        .removesuffix(")")
        .split(", ")[:3],
    )
    assert red > 150 and green < 100 and blue < 100
    first = main.locator("table.listing").last.locator("tbody tr").first
    assert "工作动态" in first.inner_text() and "超期未更新" in first.inner_text()
    screenshot(page, "admin-freshness-report", showing=alarm)
    reviewer.assert_met_no_obstacle()
    reviewer.close()
