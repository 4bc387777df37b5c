"""Whole journeys through the admin, as editors, reviewers, contact staff and an administrator
make them, in Debian's Chromium against a live server with the site's own headers: every widget
used is the one a person uses (the column chooser, the date picker, the image chooser, inline
rows, the preview panel at phone width, the checks panel, workflow dialogs), and each journey ends
with no Content-Security-Policy violation, no script error and no left-over English."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.timezone import localtime
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from contact.models import ContactDetails
from news.models import ArticlePage, NewsIndexPage
from news.roles import CONTACT_STAFF, EDITORS, REVIEWERS
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.chromium import CHROMIUM, SCREENSHOTS
from tests.demo_site import load_demo_site

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

TITLE = "浏览器里写的报道"
PHONE_WIDTH = 375


@pytest.fixture
def live_site(live_server, django_user_model):
    load_demo_site()
    for username, group in [("editor", EDITORS), ("reviewer", REVIEWERS), ("staff", CONTACT_STAFF)]:
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    return live_server.url


def screenshot(page, name):
    import os

    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def add_block(page, count_field, label):
    """Open the '+' menu of the stream whose count field is given, and pick a block type."""
    add_button = (
        page.locator(f"input[name='{count_field}']")
        .locator("xpath=..")
        .locator("button.c-sf-add-button")
        .last
    )
    # Each stream has its own menu; the one just opened is the last in the document.
    option = page.get_by_role("option", name=label, exact=True).last
    for _attempt in range(3):
        add_button.click()
        try:
            option.wait_for(state="visible", timeout=5000)
            break
        except PlaywrightTimeout:
            # A block that has only just been added may not listen to its button yet.
            page.keyboard.press("Escape")
    option.click()


def choose_in_modal(staff, opener, choice_text=None, through=()):
    """Open a chooser, browse into the pages named in `through`, and pick an item (the first one,
    or the one whose text is given)."""
    opener.click()
    modal = staff.page.locator(".modal")
    modal.wait_for()
    staff.page.wait_for_load_state("networkidle")
    staff.look()
    for name in through:
        modal.locator(f"a.navigate-pages[title*='{name}']").click()
        modal.locator("a", has_text=choice_text or "").first.wait_for()
    if choice_text is None:
        modal.locator("a[data-chooser-modal-choice]").first.click()
    else:
        modal.locator("a", has_text=choice_text).first.click()
    modal.wait_for(state="hidden")


def choose_another(staff, chooser, choice_text):
    """A chooser that holds a choice already: its 动作 menu, then 选择另一个…"""
    chooser.get_by_role("button", name="动作").click()
    choose_in_modal(staff, chooser.locator(".chosen [data-chooser-action-choose]"), choice_text)


def write_section(page, index, label, title, heading, text):
    """An agenda section with a sub-section of one paragraph, and a picture chosen after it."""
    prefix = f"body-{index}-value"
    add_block(page, "body-count", "议程")
    page.fill(f"input[name='{prefix}-label']", label)
    page.fill(f"input[name='{prefix}-title']", title)
    add_block(page, f"{prefix}-body-count", "小节")
    page.fill(f"input[name='{prefix}-body-0-value-heading']", heading)
    add_block(page, f"{prefix}-body-0-value-body-count", "段落")
    page.locator(".public-DraftEditor-content").last.click()
    page.keyboard.type(text)
    add_block(page, f"{prefix}-body-count", "图片")
    page.wait_for_selector(f"input[name='{prefix}-body-1-value-caption']")
    return f"{prefix}-body-1-value"


def test_editor_writes_an_article_with_every_widget_previews_it_on_a_phone_and_submits(
    browser,
    live_site,
):
    editor = Staff(browser, live_site, "editor")
    page = editor.page
    editor.goto(reverse("articles:index"))
    editor.click_and_wait(page.get_by_role("link", name="添加 文章"))
    # 文章 → 添加 asks for the column through Wagtail's page chooser.
    choose_in_modal(editor, page.get_by_role("button", name=re.compile("选择一个页面")), "工作动态")
    editor.click_and_wait(page.get_by_role("button", name="新建文章"))

    page.fill("#id_title", TITLE)
    page.fill("#id_source", "青溪党建网")
    # 发布时间 through the date and time picker: the 1st of this month, 09:00.
    page.click("#id_published_at")
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.locator("td.xdsoft_date:not(.xdsoft_other_month)[data-date='1']").click()
    picker.locator(".xdsoft_timepicker .xdsoft_time[data-hour='9'][data-minute='0']").click()
    picked = page.input_value("#id_published_at")
    assert re.fullmatch(r"\d{4}-\d{2}-01 09:00", picked), picked
    page.keyboard.press("Escape")

    # 封面图片 through the image chooser.
    cover = page.locator("#id_cover_image-chooser")
    choose_in_modal(editor, cover.get_by_role("button", name="选择一个图片"))
    assert page.input_value("#id_cover_image")

    for index, (label, title, heading, caption) in enumerate(
        [
            ("议程一", "实地观摩", "嘉莲街道友邻中心", "友邻中心外景"),
            ("议程二", "座谈会", "经验交流", "座谈会现场"),
        ]
    ):
        picture = write_section(page, index, label, title, heading, f"{heading}的情况介绍。")
        chooser = page.locator(f"[id='{picture}-image-chooser']")
        choose_in_modal(editor, chooser.get_by_role("button", name="选择一个图片"))
        page.fill(f"input[name='{picture}-caption']", caption)
    screenshot(page, "admin-editor-agenda-section")
    editor.look()

    # The preview panel, at phone width, shows the article as readers will see it.
    page.locator("[data-side-panel-toggle='preview']").click()
    page.get_by_role("radio", name="手机预览").check()
    frame = page.frame_locator("#w-preview-iframe")
    assert frame.locator("h1").inner_text(timeout=15_000) == TITLE
    assert frame.locator(".subsection h3").first.inner_text() == "嘉莲街道友邻中心"
    # Read inside the preview's document: Wagtail swaps in a new iframe each time the preview
    # reloads, and the element found a moment ago may already be gone.
    width, scroll_width = frame.locator("html").evaluate(
        "html => [html.ownerDocument.defaultView.innerWidth, html.scrollWidth]"
    )
    assert abs(width - PHONE_WIDTH) <= 20, width
    assert scroll_width <= width
    screenshot(page, "admin-editor-preview-phone")
    editor.look()
    # Wagtail's content checks read the preview: words and reading time. They start again each
    # time the preview reloads, so the draft Wagtail saves by itself is let finish first.
    page.locator("#w-autosave-indicator .w-autosave-indicator__state--saved").wait_for(
        timeout=30_000
    )
    page.locator("[data-side-panel-toggle='checks']").click()
    checks = page.locator("[data-side-panel='checks']")
    assert wait_for(lambda: re.search(r"字数\s*\d+", checks.inner_text())), checks.inner_text()
    editor.look()
    # Closed again, as an editor would before submitting: the panel stays open on the next
    # page otherwise, and Wagtail's checks start while the preview still reloads.
    page.locator("[data-side-panel-toggle='checks']").click()

    editor.open_actions_menu()
    editor.click_and_wait(page.get_by_role("button", name="提交给文章审核"))
    errors = [e.inner_text() for e in page.locator(".error-message, .w-field__errors").all()]
    assert "已提交审核" in page.locator(".messages").inner_text(), errors

    article = wait_for(lambda: ArticlePage.objects.filter(title=TITLE).first())
    assert not article.live
    revision = article.get_latest_revision_as_object()
    assert revision.cover_image_id
    assert localtime(revision.published_at).strftime("%d %H:%M") == "01 09:00"
    sections = [block for block in revision.body if block.block_type == "section"]
    assert [section.value["title"] for section in sections] == ["实地观摩", "座谈会"]
    for section, heading in zip(sections, ["嘉莲街道友邻中心", "经验交流"], strict=True):
        subsection, picture = section.value["body"]
        assert (subsection.block_type, picture.block_type) == ("subsection", "image")
        assert subsection.value["heading"] == heading
        assert f"{heading}的情况介绍。" in str(subsection.value["body"][0].value)
        assert picture.value["image"] is not None
    editor.assert_met_no_obstacle()
    editor.close()


def submitted_article(column_slug="news", title="待审核的报道"):
    """An article the editor has written and submitted, as the editor's journey leaves it."""
    from django.contrib.auth import get_user_model

    from tests.factories import ArticlePageFactory

    editor = get_user_model().objects.get(username="editor")
    column = NewsIndexPage.objects.get(slug=column_slug)
    page = ArticlePageFactory(parent=column, title=title, live=False)
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    return page


COMMENT = "第二段的日期有误,请核实后再提交。"


def test_reviewer_sends_back_with_a_comment_the_editor_sees_then_approves(
    browser,
    live_site,
):
    article = submitted_article()
    reviewer = Staff(browser, live_site, "reviewer")
    panel = reviewer.page.locator("section", has_text="待审核的稿件")
    reviewer.click_and_wait(panel.get_by_role("link", name="待审核的报道"))
    reviewer.open_actions_menu()
    reviewer.page.get_by_role("button", name="请求修改").click()
    reviewer.page.locator(".modal textarea").fill(COMMENT)
    reviewer.look()
    reviewer.click_and_wait(reviewer.page.locator(".modal button[type=submit]").first)
    assert "已退回修改" in reviewer.page.locator(".messages").inner_text()

    editor = Staff(browser, live_site, "editor")
    editor.goto(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    notice = editor.page.locator("[role=status]", has_text="此稿已被退回修改")
    assert COMMENT in notice.inner_text()
    screenshot(editor.page, "admin-editor-sent-back")
    editor.page.fill("#id_summary", "日期已核实更正。")
    editor.open_actions_menu()
    editor.click_and_wait(editor.page.get_by_role("button", name=re.compile("重新提交给")))
    assert "重新提交审核" in editor.page.locator(".messages").inner_text()

    reviewer.goto(reverse("wagtailadmin_home"))
    assert "退回后重新提交" in panel.inner_text()
    screenshot(reviewer.page, "admin-reviewer-dashboard")
    reviewer.click_and_wait(panel.get_by_role("link", name="待审核的报道"))
    reviewer.open_actions_menu()
    reviewer.click_and_wait(reviewer.page.get_by_role("button", name=re.compile("^批准")).first)
    assert "已批准并发布" in reviewer.page.locator(".messages").inner_text()
    article.refresh_from_db()
    assert article.live and article.summary == "日期已核实更正。"

    reader = browser.new_context(locale="zh-CN").new_page()
    reader.goto(live_site + "/news/")
    assert reader.locator(".article-list li", has_text="待审核的报道").count() == 1
    reader.context.close()
    for staff in (reviewer, editor):
        staff.assert_met_no_obstacle()
        staff.close()


def footer_of(browser, url):
    reader = browser.new_context(locale="zh-CN").new_page()
    reader.goto(url)
    text = reader.locator("footer").inner_text()
    reader.context.close()
    return text


def in_order(text, *parts):
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


def test_contact_staff_add_delete_reorder_preview_publish_and_restore_the_first_version(
    browser,
    live_site,
):
    contact = ContactDetails.objects.get()
    phones = [phone.number for phone in contact.phones.all()]
    emails = [email.address for email in contact.emails.all()]
    assert len(phones) == 2 and len(emails) == 2

    staff = Staff(browser, live_site, "staff")
    page = staff.page
    staff.click_and_wait(page.locator("#wagtail-sidebar").get_by_role("link", name="联系方式"))
    staff.click_and_wait(page.get_by_role("link", name=contact.name).first)
    # 增加 电话, then move the new phone above the second one.
    page.get_by_role("button", name="增加 电话").click()
    page.fill("input[name='phones-2-label']", "值班")
    page.fill("input[name='phones-2-number']", "0599-8888888")
    page.locator("#inline_child_phones-2 [data-inline-panel-child-move-up]").first.click()
    page.locator("#inline_child_phones-0").evaluate("row => row.scrollIntoView()")
    screenshot(page, "admin-contact-details")
    # Delete the second e-mail with its bin.
    page.locator("#id_emails-1-DELETE-button").click()
    staff.look()

    page.locator("[data-side-panel-toggle='preview']").click()
    frame = page.frame_locator("#w-preview-iframe")
    preview = frame.locator("body").inner_text(timeout=15_000)
    assert wait_for(lambda: "0599-8888888" in frame.locator("body").inner_text()), preview
    assert in_order(frame.locator("body").inner_text(), phones[0], "0599-8888888", phones[1])
    staff.look()

    staff.open_actions_menu()
    staff.click_and_wait(page.get_by_role("button", name="发布"))
    footer = footer_of(browser, live_site + "/")
    assert in_order(footer, phones[0], "0599-8888888", phones[1]), footer
    assert emails[0] in footer and emails[1] not in footer

    # 历史: the first version, restored and published again.
    staff.goto(reverse("wagtailsnippets_contact_contactdetails:history", args=(contact.pk,)))
    first = page.locator("#listing-results tbody tr").last
    first.get_by_role("button", name="动作").click()
    staff.click_and_wait(first.get_by_role("link", name="恢复此版本"))
    assert page.input_value("input[name='phones-1-number']") == phones[1]
    staff.open_actions_menu()
    staff.click_and_wait(page.get_by_role("button", name="发布此版本"))
    assert "已发布" in page.locator(".messages").inner_text()
    footer = footer_of(browser, live_site + "/")
    assert "0599-8888888" not in footer
    assert in_order(footer, phones[0], phones[1]) and emails[1] in footer, footer
    staff.assert_met_no_obstacle()
    staff.close()


def row_actions(staff, title):
    """The 更多选项 menu of an article's row in a listing."""
    row = staff.page.locator("#listing-results tbody tr", has_text=title).first
    row.get_by_role("button", name=re.compile("更多选项")).click()
    staff.look()
    return row


def test_an_administrator_copies_and_moves_an_article_and_finds_it_by_a_chinese_word(
    browser,
    live_site,
):
    article = ArticlePage.objects.live().child_of(NewsIndexPage.objects.get(slug="news")).first()
    notices = NewsIndexPage.objects.get(slug="notices")
    practice = NewsIndexPage.objects.get(slug="practice")
    boss = Staff(browser, live_site, "boss")
    page = boss.page

    # Copy into 通知公告, choosing the destination with the page chooser.
    boss.goto(reverse("articles:index"))
    row = row_actions(boss, article.title)
    boss.click_and_wait(row.get_by_role("link", name="复制"))
    choose_another(boss, page.locator("#id_new_parent_page-chooser"), "通知公告")
    boss.click_and_wait(page.get_by_role("button", name=re.compile("复制此页")))
    assert "已复制" in page.locator(".messages").inner_text()
    assert ArticlePage.objects.child_of(notices).filter(title=article.title).exists()

    # Move the original to 基层实践 through the move view's column list.
    boss.goto(reverse("wagtailadmin_explore", args=(article.get_parent().pk,)))
    row = row_actions(boss, article.title)
    boss.click_and_wait(row.get_by_role("link", name="移动"))
    choose_another(boss, page.locator("#id_new_parent_page-chooser"), "基层实践")
    boss.click_and_wait(page.locator("main form [type=submit]").last)
    boss.click_and_wait(page.get_by_role("button", name=re.compile("是的")))
    article.refresh_from_db()
    assert article.get_parent().pk == practice.pk
    reader = browser.new_context(locale="zh-CN").new_page()
    reader.goto(live_site + "/practice/")
    assert reader.locator(".article-list li", has_text=article.title).count() == 1
    reader.context.close()

    # 搜索所有页面… finds articles by a Chinese word inside their titles.
    boss.goto(reverse("wagtailadmin_home"))
    search = page.get_by_placeholder("搜索所有页面…")
    search.fill("党建")
    with page.expect_navigation():
        search.press("Enter")
    boss.settle()
    results = page.locator("#listing-results").inner_text()
    expected = ArticlePage.objects.live().filter(title__contains="党建").first().title
    assert expected in results, results
    boss.assert_met_no_obstacle()
    boss.close()


HEADERS_IN_PRODUCTION = """
import json, django
django.setup()
from django.test import Client, override_settings
# Static files are not collected here, and how they are stored changes no header.
override_settings(STORAGES={
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}).enable()
response = Client().get("/admin/login/", HTTP_HOST="127.0.0.1")
print(json.dumps({name: response.get(name) for name in %r}))
"""
POLICY_HEADERS = [
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "X-Frame-Options",
]


def this_tests_database_url():
    """The database this test runs on, for a program of its own to read."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_the_journeys_meet_the_headers_production_sends(live_server):
    """The journeys run against the test server; its policy and framing headers are the ones
    the production settings send, so what passed here works in production."""
    import json
    import urllib.request

    from tests.production import run_with_production_settings

    result = run_with_production_settings(
        "-c",
        HEADERS_IN_PRODUCTION % POLICY_HEADERS,
        DATABASE_URL=this_tests_database_url(),
        SECRET_KEY="headers-check-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
    )
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])
    with urllib.request.urlopen(live_server.url + "/admin/login/") as response:  # noqa: S310
        tested = {name: response.headers.get(name) for name in POLICY_HEADERS}
    assert production["Content-Security-Policy"]

    def directives(headers):
        # django-csp writes the directives in no fixed order.
        return {
            name: sorted(part.strip() for part in (value or "").split(";"))
            for name, value in headers.items()
        }

    assert directives(tested) == directives(production)


def test_the_choosers_and_pickers_of_groups_workflows_the_home_page_and_listings_work(
    browser,
    live_site,
):
    from wagtail.models import Workflow

    from news.models import HomePage

    boss = Staff(browser, live_site, "boss")
    page = boss.page
    news = NewsIndexPage.objects.get(slug="news")

    # 组: a page permission's page, through the page chooser of a new row.
    group = Group.objects.get(name=EDITORS)
    boss.goto(reverse("wagtailusers_groups:edit", args=(group.pk,)))
    rows = page.locator("[id^='inline_child_page_permissions-']:visible").count()
    page.locator("#id_page_permissions-ADD").click()
    new_row = page.locator(f"#id_page_permissions-{rows}-page-chooser")
    opener = new_row.get_by_role("button", name=re.compile("选择一个页面"))
    choose_in_modal(boss, opener, "工作动态", through=["青溪党建网"])
    assert page.input_value(f"#id_page_permissions-{rows}-page") == str(news.pk)

    # 工作流: assigning the workflow to another page.
    workflow = Workflow.objects.get(name="文章审核")
    boss.goto(reverse("wagtailadmin_workflows:edit", args=(workflow.pk,)))
    page.get_by_role("button", name=re.compile("分配")).click()
    chooser = page.locator("[id$='-page-chooser']").last
    choose_in_modal(
        boss, chooser.get_by_role("button", name=re.compile("选择一个页面")), "青溪党建网"
    )

    # 首页: the 通知公告 column, chosen with the page chooser.
    home = HomePage.objects.get()
    boss.goto(reverse("wagtailadmin_pages:edit", args=(home.pk,)))
    choose_another(boss, page.locator("#id_notices_column-chooser"), "基层实践")
    assert page.input_value("#id_notices_column") == str(
        NewsIndexPage.objects.get(slug="practice").pk
    )

    # 文章 listing: the date filter's picker.
    boss.goto(reverse("articles:index"))
    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="更新日期").click()
    start = page.get_by_placeholder("起始日期").first
    start.click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.locator("td.xdsoft_date:not(.xdsoft_other_month)[data-date='1']").click()
    assert re.fullmatch(r"\d{4}-\d{2}-01", start.input_value()), start.input_value()
    boss.look()

    # The reports, the libraries and the settings, each under the same policy.
    from wagtail.models import Site

    from contact.models import FooterSettings

    footer = FooterSettings.for_site(Site.objects.get(is_default_site=True))
    for url in [
        reverse("news_most_read"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailsettings:edit", args=("contact", "footersettings", footer.site_id)),
    ]:
        assert boss.goto(url).status == 200, url
    boss.assert_met_no_obstacle()
    boss.close()
