"""发布时间 in Debian's Chromium against a live server with the site's own headers: a reviewer opens
a draft whose date is days after the article's first publication, finds 改期理由 under the date,
writes it and publishes; a member of 内容安全管理 reads the change in 报告 → 内容检查 · 发布时间 —
each with no Content-Security-Policy violation, no script error and no left-over English."""

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from news.models import ArticlePage, NewsIndexPage
from news.roles import EDITORS, REVIEWERS
from news.sitetree import ensure_site_tree
from quality.date_models import DateChange
from quality.safety_roles import CONTENT_SAFETY
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.chromium import CHROMIUM
from tests.factories import SHANGHAI, ArticlePageFactory

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

FIRST_PUBLISHED = datetime(2025, 3, 1, 10, 0, tzinfo=SHANGHAI)
BEYOND = FIRST_PUBLISHED + timedelta(days=4)


@pytest.fixture
def date_site(live_server, django_user_model, browser):
    site = ensure_site_tree()
    users = {}
    for username, name, group in [
        ("bianji", "王编辑", EDITORS),
        ("shenhe", "李审核", REVIEWERS),
        ("anquan", "周安全", CONTENT_SAFETY),
    ]:
        users[username] = django_user_model.objects.create_user(
            username, password=PASSWORD, first_name=name
        )
        users[username].groups.add(Group.objects.get(name=group))
    column = NewsIndexPage.objects.child_of(site.root_page).get(slug="news")
    article = ArticlePageFactory(
        parent=column, title="三月的报道", published_at=FIRST_PUBLISHED, live=False
    )
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(first_published_at=FIRST_PUBLISHED)
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.published_at = BEYOND
    draft.save_revision(user=users["bianji"])
    yield live_server.url, article
    for context in browser.contexts:
        context.close()


def test_a_reviewer_gives_the_reason_and_content_safety_reads_the_change(browser, date_site):
    url, article = date_site
    reviewer = Staff(browser, url, "shenhe")
    page = reviewer.page
    reviewer.goto(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    reason = page.get_by_label("改期理由")
    reason.fill("原稿误填日期，按会议实际举办日更正")
    reviewer.open_actions_menu()
    reviewer.click_and_wait(page.get_by_role("button", name="发布"))
    assert "已经发布" in page.locator(".messages").inner_text()
    change = wait_for(lambda: DateChange.objects.first())
    assert change.reason == "原稿误填日期，按会议实际举办日更正"
    assert change.changed_by.username == "bianji" and change.published_by.username == "shenhe"
    reviewer.assert_met_no_obstacle()
    reviewer.close()

    safety = Staff(browser, url, "anquan")
    page = safety.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="报告").click()
    safety.click_and_wait(sidebar.get_by_role("link", name="内容检查 · 发布时间"))
    assert "三月的报道" not in page.locator("main").inner_text()
    safety.click_and_wait(page.get_by_role("link", name="发布时间变更记录"))
    listing = page.locator("main").inner_text()
    assert "三月的报道" in listing and "原稿误填日期" in listing and "李审核" in listing
    safety.assert_met_no_obstacle()
    safety.close()
