"""Whole journeys through the admin in Debian's Chromium against a live server: an editor writes
and submits an article with an agenda section, a sub-section and a picture, a reviewer approves it,
a reader finds it; contact staff change a phone number that every footer then shows."""

import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.timezone import localtime
from wagtail.models import WorkflowState

from news.models import ArticlePage, NewsIndexPage
from news.roles import CONTACT_STAFF, EDITORS, REVIEWERS
from tests.conftest import load_demo_site
from tests.test_browser import CHROMIUM, SCREENSHOTS, browser  # noqa: F401 - the browser fixture

PASSWORD = "journey-pw-1234"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def live_site(live_server, django_user_model):
    load_demo_site()
    for username, group in [("editor", EDITORS), ("reviewer", REVIEWERS), ("staff", CONTACT_STAFF)]:
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    return live_server.url


def logged_in(browser, base, username):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/admin/")
    return page


def add_block(page, count_field, label):
    """Open the '+' menu of the stream whose count field is given, and pick a block type."""
    page.locator(f"input[name='{count_field}']").locator("xpath=..").locator(
        "button.c-sf-add-button"
    ).last.click()
    # Each stream has its own menu; the one just opened is the last in the document.
    page.get_by_role("option", name=label, exact=True).last.click()


def open_footer_actions(page):
    page.locator("footer [data-w-dropdown-target=toggle]").last.click()


def wait_for(check, seconds=10):
    """The live server's threads commit on their own schedule; give them a moment."""
    import time

    deadline = time.monotonic() + seconds
    while (result := check()) in (None, False) and time.monotonic() < deadline:
        time.sleep(0.2)
    return result


def screenshot(page, name):
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_editor_writes_reviewer_approves_reader_reads(browser, live_site):  # noqa: F811
    column = NewsIndexPage.objects.get(slug="news")
    editor = logged_in(browser, live_site, "editor")
    editor.goto(
        live_site + reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    )
    editor.fill("#id_title", "浏览器里写的报道")
    editor.fill("#id_source", "青溪党建网")
    add_block(editor, "body-count", "议程")
    editor.fill("input[name='body-0-value-label']", "议程一")
    editor.fill("input[name='body-0-value-title']", "实地观摩")
    add_block(editor, "body-0-value-body-count", "小节")
    editor.fill("input[name='body-0-value-body-0-value-heading']", "睦邻服务站")
    add_block(editor, "body-0-value-body-0-value-body-count", "段落")
    editor.locator(".public-DraftEditor-content").last.click()
    editor.keyboard.type("服务站为居民提供多样服务。")
    add_block(editor, "body-0-value-body-count", "图片")
    # The new block's chooser, once the block is on the page (before, .last is the cover's).
    editor.wait_for_selector("input[name='body-0-value-body-1-value-caption']")
    editor.get_by_role("button", name="选择一个图片").last.click()
    editor.locator(".modal a[data-chooser-modal-choice]").first.click()
    editor.wait_for_selector(".modal", state="hidden")
    editor.fill("input[name='body-0-value-body-1-value-caption']", "服务站外景")
    screenshot(editor, "admin-editor-agenda-section")
    open_footer_actions(editor)
    with editor.expect_navigation():
        editor.get_by_role("button", name="提交给文章审核").click()
    # Wagtail's autosave may have stored an early draft too; the submitted one is in review.
    in_review = wait_for(lambda: WorkflowState.objects.filter(status="in_progress").first())
    article = ArticlePage.objects.get(pk=in_review.object_id, title="浏览器里写的报道")
    assert not article.live

    reviewer = logged_in(browser, live_site, "reviewer")
    assert "浏览器里写的报道" in reviewer.content()  # the dashboard's 待审核的稿件
    screenshot(reviewer, "admin-reviewer-dashboard")
    reviewer.goto(live_site + reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    open_footer_actions(reviewer)
    reviewer.get_by_role("button", name="带评论批准 和发布").click()
    reviewer.fill(".modal textarea", "内容准确,同意发布。")
    with reviewer.expect_navigation():
        reviewer.locator(".modal button[type=submit]").first.click()
    assert wait_for(lambda: ArticlePage.objects.filter(pk=article.pk, live=True).exists())
    article.refresh_from_db()

    reader = browser.new_context(locale="zh-CN").new_page()
    reader.goto(live_site + "/news/")
    item = reader.locator(".article-list li", has_text="浏览器里写的报道")
    assert item.count() == 1
    assert "来源:青溪党建网" in item.inner_text() and "点击数:" in item.inner_text()
    assert item.locator("time").inner_text() == localtime(article.published_at).strftime("%Y-%m-%d")
    item.locator("a").click()
    assert reader.locator("h1").inner_text() == "浏览器里写的报道"
    assert reader.locator(".subsection h3").inner_text() == "睦邻服务站"
    assert reader.locator(".body-image figcaption").inner_text() == "服务站外景"
    assert "点击数:" in reader.locator(".article__meta").inner_text()


def test_contact_staff_change_a_phone_number_that_every_footer_shows(browser, live_site):  # noqa: F811
    from contact.models import ContactDetails

    contact = ContactDetails.objects.get()
    staff = logged_in(browser, live_site, "staff")
    staff.goto(
        live_site + reverse("wagtailsnippets_contact_contactdetails:edit", args=(contact.pk,))
    )
    staff.fill("input[name='phones-0-number']", "0599-8888888")
    screenshot(staff, "admin-contact-details")
    open_footer_actions(staff)
    with staff.expect_navigation():
        staff.get_by_role("button", name="发布").click()

    reader = browser.new_context(locale="zh-CN").new_page()
    article = ArticlePage.objects.live().first()
    for url in ["/", "/news/", article.url, "/contact/", "/search/?q=党建"]:
        reader.goto(live_site + url)
        assert "0599-8888888" in reader.locator("footer").inner_text(), url

    response = staff.goto(live_site + reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    # Refused: a 403, or a redirect back to the dashboard.
    assert response.status == 403 or staff.url == live_site + "/admin/"
