"""Whole journeys through the admin, as editors, reviewers, contact staff and an administrator
make them, in Debian's Chromium against a live server with the site's own headers: every widget
used is the one a person uses (the column chooser, the date picker, the image chooser, inline
rows, the preview panel at phone width, the checks panel, workflow dialogs), and each journey ends
with no Content-Security-Policy violation, no script error and no left-over English."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.timezone import localtime
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry

from contact.models import ContactDetails
from news.models import ArticlePage, NewsIndexPage
from news.roles import CONTACT_STAFF, EDITORS, REVIEWERS
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.chromium import CHROMIUM, SCREENSHOTS
from tests.demo_site import load_demo_site
from tests.news.importing.crafted_word_files import good

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

TITLE = "浏览器里写的报道"
PHONE_WIDTH = 375


@pytest.fixture
def live_site(live_server, django_user_model, browser):
    load_demo_site()
    for username, group in [("editor", EDITORS), ("reviewer", REVIEWERS), ("staff", CONTACT_STAFF)]:
        user = django_user_model.objects.create_user(username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=group))
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    yield live_server.url
    # Before the database is emptied: a page left open (an edit form pings the server every ten
    # seconds) would go on sending requests, refused once its user is gone, into whatever test
    # this process runs next.
    for context in browser.contexts:
        context.close()


def screenshot(page, name, showing=None):
    """A picture of the window for docs/使用手册.md, saved to docs/screenshots when
    SAVE_SCREENSHOTS=1 (and nothing is done otherwise): with `showing`, scrolled first to put that
    element in the middle. Saved with a palette of 256 colours, which the admin's flat colours
    lose nothing to, at about a third of the size."""
    import io
    import os

    from PIL import Image

    if os.environ.get("SAVE_SCREENSHOTS") != "1":
        return
    if showing is not None:
        showing.evaluate("element => element.scrollIntoView({block: 'center'})")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    picture = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    picture = picture.quantize(256, dither=Image.Dither.NONE)
    picture.save(SCREENSHOTS / f"{name}.png", optimize=True)


def add_block(page, count_field, label):
    """Open the '+' menu of the stream whose count field is given, pick a block type, and wait
    for the block to be there (the stream adds it a moment after the menu closes). Returns the
    new block's number, as its fields are named."""
    count = page.locator(f"input[name='{count_field}']")
    before = int(count.input_value())
    add_button = count.locator("xpath=..").locator("button.c-sf-add-button").last
    # Each '+' opens its own menu beside it. The option is looked for in that menu only: the menu
    # of the stream around it offers a 段落 too, and while it fades out it is still on screen.
    option = add_button.locator("xpath=..").get_by_role("option", name=label, exact=True)
    # Under load the menu can still be settling into place as its option is clicked: the click
    # then lands beside it, the menu closes and nothing is added, so the pick is made again.
    for _attempt in range(3):
        pick_from_menu(page, add_button, option)
        if wait_for(lambda: int(count.input_value()) > before, 8):
            break
    assert wait_for(lambda: int(count.input_value()) == before + 1), f"no {label} was added"
    return before


def pick_from_menu(page, opener, option):
    """Open a menu and click one of its options. A block that has only just been added may still
    be sliding into place, and under load a click on it can land beside its button: then the menu
    does not open, and the opener is clicked again. A menu opened while the blocks around it were
    still moving can also stay behind the next panel's help text: it is closed and opened again,
    as a person would."""
    for _attempt in range(3):
        opener.click()
        try:
            option.wait_for(state="visible", timeout=5000)
            option.click(timeout=5000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    raise AssertionError(f"{option} could not be picked from its menu in three tries")


def click_into_last_text(page):
    """Put the cursor in the last rich-text field, as a person clicks into it before typing or
    pasting. A field that has only just been added may still be sliding into place, and a click
    beside it leaves the cursor where it was, in another field: click until this one has it."""
    text = page.locator(".public-DraftEditor-content").last
    for _attempt in range(3):
        text.click()
        if wait_for(lambda: text.evaluate("field => field === document.activeElement"), 5):
            return
    raise AssertionError("the new rich-text field never took the cursor")


def copy_page(page, path):
    """Select everything on a page opened from a file and copy it, as from Word or WeChat."""
    source = page.context.new_page()
    source.goto(path.as_uri())
    source.keyboard.press("Control+A")
    source.keyboard.press("Control+C")
    source.close()


def choose_in_modal(staff, opener, choice_text=None, through=()):
    """Open a chooser, browse into the pages named in `through`, and pick an item (the first one,
    or the one whose text is given)."""
    opener.click()
    modal = staff.page.locator(".modal")
    modal.wait_for()
    staff.network.wait(seconds=3)
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


def pick_time(picker, hour, minute):
    """Click a time in the picker's list, first scrolling the list with its arrows as a person
    does: the list opens around the current time, so 09:00 is out of sight in the afternoon."""
    box = picker.locator(".xdsoft_timepicker .xdsoft_time_box")
    slot = box.locator(f".xdsoft_time[data-hour='{hour}'][data-minute='{minute}']")
    for _ in range(48):
        seen, wanted = box.bounding_box(), slot.bounding_box()
        if wanted["y"] < seen["y"]:
            picker.locator(".xdsoft_timepicker .xdsoft_prev").click()
        elif wanted["y"] + wanted["height"] > seen["y"] + seen["height"]:
            picker.locator(".xdsoft_timepicker .xdsoft_next").click()
        else:
            break
    slot.click()


TWO_CHECKS_AT_ONCE = """() => {
  // The editor's own form only: the preview frame may be reloading and not answer axe.
  const check = () => axe.run(document.body, {runOnly: ['image-alt'], iframes: false});
  return Promise.all([check(), check()]).then(results => results.length);
}"""


def write_section(page, index, label, title, heading, text):
    """An agenda section with a sub-section of one paragraph, and a picture chosen after it."""
    prefix = f"body-{index}-value"
    add_block(page, "body-count", "议程")
    page.fill(f"input[name='{prefix}-label']", label)
    page.fill(f"input[name='{prefix}-title']", title)
    add_block(page, f"{prefix}-body-count", "小节")
    page.fill(f"input[name='{prefix}-body-0-value-heading']", heading)
    add_block(page, f"{prefix}-body-0-value-body-count", "段落")
    click_into_last_text(page)
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
    pick_time(picker, hour=9, minute=0)
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
    # Wagtail checks the preview again on every reload: a check started while another runs waits
    # for it (static/js/admin/checks-in-turn.js) instead of failing with "Axe is already running".
    assert page.evaluate(TWO_CHECKS_AT_ONCE) == 2
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
    screenshot(reviewer.page, "admin-reviewer-request-changes")
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
    # The status panel says when it was sent, in Chinese ("7 seconds ago" before).
    editor.goto(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    editor.page.locator("[data-side-panel-toggle='status']").click()
    status = editor.page.locator("[data-side-panel='status']")
    assert wait_for(lambda: "已发送至审核（" in status.inner_text()), status.inner_text()
    editor.look()

    reviewer.goto(reverse("wagtailadmin_home"))
    assert "退回后重新提交" in panel.inner_text()
    screenshot(reviewer.page, "admin-reviewer-dashboard")
    reviewer.goto(
        reverse("wagtailadmin_pages:revisions_compare", args=(article.pk, "earliest", "latest"))
    )
    assert "日期已核实更正。" in reviewer.page.locator("main").inner_text()
    reviewer.goto(reverse("wagtailadmin_home"))
    reviewer.click_and_wait(panel.get_by_role("link", name="待审核的报道"))
    set_expiry_in_the_schedule_dialog(reviewer)
    # The history says the reviewer sent it back and set the schedule, not that they edited the
    # text (the article, made without the editor, gains Draftail's paragraph keys when opened).
    by_reviewer = PageLogEntry.objects.filter(page=article, user__username="reviewer")
    actions = list(by_reviewer.order_by("pk").values_list("action", flat=True))
    assert actions == ["wagtail.workflow.reject", "news.set_schedule"], actions
    reviewer.open_actions_menu()
    reviewer.click_and_wait(reviewer.page.get_by_role("button", name=re.compile("^批准")).first)
    assert "已批准并发布" in reviewer.page.locator(".messages").inner_text()
    article.refresh_from_db()
    assert article.live and article.summary == "日期已核实更正。"
    assert localtime(article.expire_at).strftime("%Y-%m-%d %H:%M") == EXPIRY

    reader = browser.new_context(locale="zh-CN").new_page()
    reader.goto(live_site + "/news/")
    assert reader.locator(".article-list li", has_text="待审核的报道").count() == 1
    reader.context.close()
    for staff in (reviewer, editor):
        staff.assert_met_no_obstacle()
        staff.close()


EXPIRY = "2099-12-31 18:00"


def set_expiry_in_the_schedule_dialog(staff):
    """设置计划 in the status panel: the expiry typed into its field, the picker that opened closed
    with Esc, which leaves the dialog open with what was typed, then 保存计划."""
    page = staff.page
    page.locator("[data-side-panel-toggle='status']").click()
    page.get_by_role("button", name="设置计划").click()
    dialog = page.locator("#schedule-publishing-dialog")
    dialog.wait_for()
    field = dialog.locator("input[name='expire_at']")
    field.click()
    picker = page.locator(".xdsoft_datetimepicker:visible")
    picker.wait_for()
    field.fill(EXPIRY)
    staff.look()
    page.keyboard.press("Escape")
    picker.wait_for(state="hidden")
    assert dialog.is_visible(), "Esc closed the schedule dialog with the picker"
    assert field.input_value() == EXPIRY
    screenshot(page, "admin-reviewer-schedule")
    staff.click_and_wait(dialog.get_by_role("button", name="保存计划"))


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
    # Page search is for the people who work on pages; it answered contact staff 没有权限.
    assert page.get_by_placeholder("搜索所有页面…").count() == 0
    staff.click_and_wait(page.locator("#wagtail-sidebar").get_by_role("link", name="联系方式"))
    staff.click_and_wait(page.get_by_role("link", name=contact.name).first)
    # 增加 电话, then move the new phone above the second one.
    page.get_by_role("button", name="增加 电话").click()
    page.fill("input[name='phones-2-label']", "值班")
    page.fill("input[name='phones-2-number']", "0599-8888888")
    page.locator("#inline_child_phones-2 [data-inline-panel-child-move-up]").first.click()
    page.locator("#inline_child_phones-0").evaluate("row => row.scrollIntoView()")
    screenshot(page, "admin-contact-details")
    screenshot(page, "admin-contact-visit", showing=page.locator("#id_directions"))
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


# Searching is done by each engine its own way: this journey runs on PostgreSQL too.
@pytest.mark.engine_dependent
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
        reverse("wagtailsites:index"),
        reverse("wagtailsettings:edit", args=("contact", "footersettings", footer.site_id)),
    ]:
        assert boss.goto(url).status == 200, url
        if url == reverse("news_most_read"):
            screenshot(page, "admin-most-read")

    # A new user with a mistyped e-mail address: the form asks 姓 before 名 and says what is wrong.
    boss.goto(reverse("wagtailusers_users:add"))
    page.fill("#id_username", "editor9")
    page.fill("#id_email", "editor9@")
    page.fill("#id_last_name", "张")
    page.fill("#id_first_name", "编辑")
    boss.click_and_wait(page.locator("main form [type=submit]").last)
    assert "请输入有效的电子邮箱地址。" in page.locator("main").inner_text()

    # 帮助 in the sidebar leads to the site's own 使用手册.
    page.locator("#wagtail-sidebar").get_by_role("button", name="帮助").click()
    boss.look()
    boss.click_and_wait(page.locator("#wagtail-sidebar").get_by_role("link", name="使用手册"))
    assert "审核：批准、退回和定时发布" in page.locator("main").inner_text()
    boss.assert_met_no_obstacle()
    boss.close()


PASTED_FROM_WORD = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Word</title>
<body><p>会议强调,要把学习成果转化为工作成效。</p>
<table><tr><td>单位</td><td>人数</td></tr><tr><td>第一支部</td><td>12</td></tr></table>
<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="会场"></p></body></html>"""
# As a WeChat (微信公众号) article copies: sections and styled spans around the words, a lazily
# loaded picture, and empty lines.
PASTED_FROM_WECHAT = """<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>微信</title>
<body><section style="margin:0 8px"><section style="line-height:1.75em">
<p style="text-align:justify"><span style="font-size:15px;color:#333">支部书记带头讲党课,</span>
<strong><span style="color:#c00">全体党员</span></strong><span>参加学习。</span></p></section>
<p><img class="rich_pages wxw-img" data-src="https://mmbiz.qpic.cn/mmbiz_jpg/x/640"
src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" style="width:100%"></p>
<p><br></p><p><span>&nbsp;</span></p></section></body></html>"""


def test_an_editor_attaches_a_pdf_adds_tables_and_a_topic_and_a_reviewer_adds_a_video_and_publishes_into_two_columns(
    browser, live_site, tmp_path
):
    """An official notice from the editor's draft to the readers of two columns and of its 专题."""
    from news.importing.demo_documents import VIDEO_TITLE

    pdf = tmp_path / "学习通知.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    word = tmp_path / "word.html"
    word.write_text(PASTED_FROM_WORD, encoding="utf-8")
    wechat = tmp_path / "wechat.html"
    wechat.write_text(PASTED_FROM_WECHAT, encoding="utf-8")
    column = NewsIndexPage.objects.get(slug="news")

    editor = Staff(browser, live_site, "editor")
    page = editor.page
    editor.goto(reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk)))
    page.fill("#id_title", "学习贯彻全会精神的通知")

    # 专题标签 through the tag field, as typed.
    # (Its own input appears once the widget is ready; Enter in the bare field would save.)
    tag_input = page.locator("#id_tags").locator("xpath=..").locator(".tagit input")
    tag_input.click()
    page.keyboard.type("学习贯彻党的二十大精神")
    page.keyboard.press("Enter")

    # 附件: a new row of the inline panel, the document uploaded in the chooser itself.
    page.get_by_role("button", name="增加 附件").click()
    page.locator("#id_attachments-0-document-chooser").get_by_role(
        "button", name="选择一个文档"
    ).click()
    modal = page.locator(".modal")
    modal.wait_for()
    modal.get_by_role("tab", name="上传").click()
    # A file over the limit is refused as it is chosen, naming it, before a byte is sent.
    too_big = tmp_path / "全会录像.pdf"
    with too_big.open("wb") as file:
        file.truncate(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE + 1024 * 1024)
    uploads = []
    page.on("request", lambda request: "chooser/create" in request.url and uploads.append(request))
    modal.locator("input[type=file]").set_input_files(str(too_big))
    refusal = modal.locator("[data-contentpath=file] .error-message")
    refusal.wait_for()
    assert "“全会录像.pdf”有 21.0\xa0MB，超过了文档库的上限 20.0\xa0MB" in refusal.inner_text()
    screenshot(page, "admin-upload-refused")
    title = modal.locator("input[name$='title']")
    assert title.input_value() == "" and uploads == []
    # The next file takes the refusal away and gives the title its own name.
    modal.locator("input[type=file]").set_input_files(str(pdf))
    assert wait_for(lambda: title.input_value() == "学习通知")
    assert refusal.count() == 0
    modal.locator("form button[type=submit], form input[type=submit]").last.click()
    modal.wait_for(state="hidden")
    page.fill("input[name='attachments-0-title']", "附件1:学习通知")

    # A table in the body: caption, two columns of text, a row.
    add_block(page, "body-count", "表格")
    page.fill("input[name='body-0-value-caption']", "学习安排")
    for number, heading in enumerate(("阶段", "时间")):
        column = page.locator(f"input[name='body-0-value-column-{number}-heading']")
        # As with a block: under load the option can be clicked while the menu still settles,
        # and no column is added; the column is looked for, and picked again if it is not there.
        for _attempt in range(3):
            pick_from_menu(
                page,
                page.get_by_role("button", name="添加列", exact=True).last,
                page.locator(".add-column-menu")
                .get_by_role("button", name="文字", exact=True)
                .last,
            )
            if wait_for(lambda column=column: column.count() > 0, 8):
                break
        column.fill(heading)
    # The first column brings the first row.
    page.fill("input[name='body-0-value-cell-0-0']", "集中学习")
    page.fill("input[name='body-0-value-cell-0-1']", "12月")

    # Pasting from Word: the words arrive, and the editor is told about the table and picture.
    copy_page(page, word)
    add_block(page, "body-count", "段落")
    click_into_last_text(page)
    page.keyboard.press("Control+V")
    notice = page.locator("[data-paste-notice]")
    notice.wait_for()
    assert "1 张图片没有带入正文" in notice.inner_text()
    assert "1 个表格" in notice.inner_text()
    page.locator(".public-DraftEditor-content").last.get_by_text("会议强调").wait_for()
    # The editor writes what it holds into the form a moment after each change.
    assert wait_for(lambda: "会议强调" in page.input_value("input[name='body-1-value']"))
    screenshot(page, "admin-editor-table-attachment-paste")
    # One click makes the pasted table a 表格 block after the paragraph, first row as headings.
    page.get_by_role("button", name="把粘贴的 1 个表格加为表格块").click()
    assert "已在此块之后加入 1 个表格块" in notice.inner_text()
    assert page.input_value("input[name='body-2-value-column-0-heading']") == "单位"
    assert page.input_value("input[name='body-2-value-cell-0-1']") == "12"
    # The pasted words link to the uploaded notice: selected, then the toolbar's 文档 button and
    # the document chooser.
    page.locator(".public-DraftEditor-content").first.get_by_text("会议强调").click()
    page.keyboard.press("Home")
    page.keyboard.press("Shift+End")
    choose_in_modal(editor, page.get_by_role("button", name="文档", exact=True), "学习通知")
    assert wait_for(lambda: "DOCUMENT" in page.input_value("input[name='body-1-value']"))
    # Pasted inside an 议程, the table goes into that 议程, after the paragraph.
    add_block(page, "body-count", "议程")
    page.fill("input[name='body-3-value-label']", "议程一")
    page.fill("input[name='body-3-value-title']", "学习安排")
    add_block(page, "body-3-value-body-count", "段落")
    click_into_last_text(page)
    page.keyboard.press("Control+V")
    # As a person reads the notice before pressing its button, the editor has written the words
    # into the form (pressed at once, Draftail's save a moment after each change is lost).
    assert wait_for(
        lambda: "会议强调" in page.input_value("input[name='body-3-value-body-0-value']")
    )
    page.get_by_role("button", name="把粘贴的 1 个表格加为表格块").click()
    assert page.input_value("input[name='body-3-value-body-1-value-column-1-heading']") == "人数"
    # Pasting a WeChat article: its words and bold arrive, its picture is said to be left out.
    copy_page(page, wechat)
    add_block(page, "body-count", "段落")
    click_into_last_text(page)
    page.keyboard.press("Control+V")
    assert "1 张图片没有带入正文" in page.locator("[data-paste-notice]").last.inner_text()
    assert wait_for(lambda: "全体党员" in page.input_value("input[name='body-4-value']"))
    editor.look()

    # Saved at once, while the form's own autosave may still be on its way: one draft all the same.
    editor.click_and_wait(page.get_by_role("button", name="保存草稿"))
    saved = ArticlePage.objects.filter(title="学习贯彻全会精神的通知")
    assert saved.count() == 1, [(p.pk, p.first_published_at, p.revisions.count()) for p in saved]
    draft = saved.get().get_latest_revision_as_object()
    assert [tag.name for tag in draft.tags.all()] == ["学习贯彻党的二十大精神"]
    assert [(a.title, a.document.title) for a in draft.attachments.all()] == [
        ("附件1:学习通知", "学习通知")
    ]
    table = draft.body[0].value
    assert table.caption == "学习安排"
    assert [column["heading"] for column in table.columns] == ["阶段", "时间"]
    assert [[cell.value for cell in row] for row in table.rows] == [["集中学习", "12月"]]
    assert "会议强调" in draft.body[1].value.source
    link = f'<a linktype="document" id="{draft.attachments.get().document_id}">会议强调'
    assert link in draft.body[1].value.source
    # The WeChat paste: its words and bold, and none of its empty lines.
    wechat_text = draft.body[4].value.source
    assert "<b>全体党员</b>" in wechat_text and "参加学习" in wechat_text
    assert re.findall(r"<p[^>]*>(?:\s|<br/?>|&nbsp;)*</p>", wechat_text) == [], wechat_text
    assert "会议强调" in draft.body[3].value["body"][0].value.source
    for pasted in (draft.body[2].value, draft.body[3].value["body"][1].value):
        assert [column["heading"] for column in pasted.columns] == ["单位", "人数"]
        assert [[cell.value for cell in row] for row in pasted.rows] == [["第一支部", "12"]]
    editor.assert_met_no_obstacle()
    editor.close()

    # The reviewer adds a 视频 at the end of the body: the clip and its captions from the library.
    article = saved.get()
    practice = NewsIndexPage.objects.get(slug="practice")
    reviewer = Staff(browser, live_site, "reviewer")
    page = reviewer.page
    reviewer.goto(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    video = f"body-{add_block(page, 'body-count', '视频')}-value"
    choose_in_modal(
        reviewer,
        page.locator(f"[id='{video}-video-chooser']").get_by_role("button", name="选择一个文档"),
        VIDEO_TITLE,
    )
    page.fill(f"input[name='{video}-title']", "观摩交流现场")
    choose_in_modal(
        reviewer,
        page.locator(f"[id='{video}-captions-chooser']").get_by_role("button", name="选择一个文档"),
        "观摩交流视频字幕",
    )
    page.fill(f"textarea[name='{video}-transcript']", "画面:观摩交流现场。")
    reviewer.look()
    reviewer.open_actions_menu()
    reviewer.click_and_wait(page.get_by_role("button", name="发布"))
    assert "已经发布" in page.locator(".messages").inner_text()
    article.refresh_from_db()
    assert article.live

    # 一稿多发: 复制, the second column, the box ticked.
    reviewer.goto(reverse("articles:index"))
    row = row_actions(reviewer, article.title)
    reviewer.click_and_wait(row.get_by_role("link", name="复制"))
    choose_another(reviewer, page.locator("#id_new_parent_page-chooser"), "基层实践")
    page.get_by_label("一稿多发").check()
    reviewer.click_and_wait(page.get_by_role("button", name=re.compile("复制此页")))
    copy = ArticlePage.objects.child_of(practice).get(alias_of=article)
    assert copy.live

    # The original's form says where it is also published.
    reviewer.goto(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    assert "基层实践：已发布" in page.locator(".help-block", has_text="一稿多发").inner_text()
    reviewer.assert_met_no_obstacle()
    reviewer.close()

    # Readers find it in the second column at its one address: the table, the 附件, and the
    # video, which plays with its captions when clicked; and in its 专题.
    reader = browser.new_context(locale="zh-CN").new_page()
    reader.goto(live_site + practice.url)
    reader.locator(".article-list a", has_text=article.title).click()
    reader.wait_for_url(live_site + article.url)
    assert reader.locator("table caption").first.inner_text() == "学习安排"
    assert reader.locator(".attachment__link", has_text="附件1:学习通知").count() == 1
    linked = reader.locator("a", has_text="会议强调").get_attribute("href")
    assert linked.startswith("/documents/"), linked
    player = reader.locator("video[aria-label='观摩交流现场']")
    # Played from the keyboard, as the player's own controls allow: focused, then Space.
    player.focus()
    reader.keyboard.press("Space")
    playing = "video => video.readyState >= 2 && video.currentTime > 0 && !video.error"
    assert wait_for(lambda: player.evaluate(playing)), "the video did not play"
    captions = "video => (video.textTracks[0] && video.textTracks[0].cues || []).length"
    assert wait_for(lambda: player.evaluate(captions) > 0), "the captions did not load"
    assert "画面:观摩交流现场。" in reader.locator("details.transcript").text_content()
    reader.goto(live_site + "/topic-study/")
    assert reader.locator(".article-list a", has_text=article.title).count() == 1
    reader.context.close()


def test_a_save_clicked_while_the_new_article_is_autosaving_makes_one_page_not_two(
    browser, live_site
):
    column = NewsIndexPage.objects.get(slug="news")
    editor = Staff(browser, live_site, "editor")
    page = editor.page
    add_path = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))

    # The server is slow to answer the form's own autosave: it has created the page, and its
    # answer is still on its way when the editor clicks 保存草稿.
    slow_answers = []

    def hold_autosave_answer(route):
        request = route.request
        if request.method == "POST" and request.headers.get("accept") == "application/json":
            slow_answers.append((route, route.fetch()))
        else:
            route.continue_()

    page.route(re.compile(re.escape(add_path) + "$"), hold_autosave_answer)
    editor.goto(add_path)
    # The form notes what it started with (two seconds after it opens) and autosaves what differs.
    page.wait_for_function(
        "() => window.wagtail?.app?.getControllerForElementAndIdentifier("
        "document.querySelector('[data-edit-form]'), 'w-unsaved')?.initialFormData"
    )
    page.fill("#id_title", "快速保存的稿件")
    page.locator("#id_title").press("End")
    page.keyboard.type("。")
    page.locator("#id_source").click()
    # Up to 30 s: on a busy machine the form's own debounce and autosave come late. Now and then
    # (seen under load) the form misses the first change and no autosave starts at all; an editor
    # typing on gives it another, as a word typed into 来源 does here every 10 s.
    for tick in range(300):
        if slow_answers:
            break
        if tick and tick % 100 == 0:
            page.locator("#id_source").press_sequentially("青")
        page.wait_for_timeout(100)  # lets Playwright hand over the held request
    assert slow_answers
    assert ArticlePage.objects.filter(title="快速保存的稿件。").count() == 1

    # Words typed while the autosave is away are saved by the click too.
    page.fill("#id_source", "青溪党建网")
    page.get_by_role("button", name="保存草稿").click()
    # The click waits for the autosave rather than sending the form to the "add" address again.
    page.wait_for_timeout(1000)
    assert ArticlePage.objects.filter(title="快速保存的稿件。").count() == 1
    route, answer = slow_answers[0]
    # Once it has its answer, the click's save goes to the page the autosave made.
    with page.expect_event("load"):
        route.fulfill(response=answer)
    editor.settle()
    saved = ArticlePage.objects.filter(title="快速保存的稿件。")
    assert saved.count() == 1, [(p.pk, p.revisions.count()) for p in saved]
    assert "已被更新" in page.locator(".messages").inner_text()
    assert page.url.endswith(reverse("wagtailadmin_pages:edit", args=(saved.get().pk,)))
    assert saved.get().get_latest_revision_as_object().source == "青溪党建网"
    editor.assert_met_no_obstacle()


def test_an_editor_is_told_why_a_live_articles_cover_cannot_be_retitled_or_deleted(
    live_site, browser, django_user_model
):
    article = ArticlePage.objects.live().exclude(cover_image=None).first()
    cover = article.cover_image
    # Its uploader, whom Wagtail lets delete it.
    cover.uploaded_by_user = django_user_model.objects.get(username="editor")
    cover.save()
    editor = Staff(browser, live_site, "editor")
    page = editor.page
    editor.goto(reverse("wagtailimages:edit", args=(cover.pk,)))
    page.fill("#id_title", "改过的替代文字")
    editor.click_and_wait(page.get_by_role("button", name="保存"))
    error = page.locator(".w-field__errors, .error-message").first.inner_text()
    assert f"《{article.title}》" in error and "审核人员" in error
    screenshot(page, "admin-image-change-refused")
    # Wagtail offers editors no delete button for it; its delete page's address, opened all the
    # same (a bookmark, a link passed on), leads back here with the reason.
    editor.goto(reverse("wagtailimages:delete", args=(cover.pk,)))
    assert page.url.endswith(reverse("wagtailimages:edit", args=(cover.pk,)))
    assert "只有审核人员可以删除" in page.locator(".messages").inner_text()
    cover = get_image_model().objects.get(pk=cover.pk)
    assert cover.title != "改过的替代文字"
    editor.assert_met_no_obstacle()
    editor.close()


def test_an_editor_imports_a_good_and_a_damaged_word_file_and_reads_each_result(
    live_site, browser, tmp_path
):
    good_file, damaged_file = tmp_path / "好的报道.docx", tmp_path / "坏的报道.docx"
    good_file.write_bytes(good("浏览器里导入的报道"))
    damaged_file.write_bytes(good()[:2000])
    editor = Staff(browser, live_site, "editor")
    page = editor.page
    editor.goto(reverse("news_import_articles"))
    page.set_input_files("input[type=file]", [str(good_file), str(damaged_file)])
    screenshot(page, "admin-import-word")
    editor.click_and_wait(page.get_by_role("button", name="导入为草稿"))
    results = page.locator("main").inner_text()
    assert "导入完成" in results
    assert "好的报道.docx" in results and "已创建草稿" in results
    assert "坏的报道.docx" in results and "已损坏" in results
    screenshot(page, "admin-import-results")
    assert ArticlePage.objects.filter(title="浏览器里导入的报道", live=False).count() == 1
    editor.assert_met_no_obstacle()
    editor.close()


def type_into(field, text):
    """Select what a field holds and type over it, key by key, then leave it with Tab."""
    field.click()
    field.press("Control+A")
    field.press_sequentially(text)
    field.press("Tab")


def test_a_typed_impossible_date_is_kept_and_refused_and_an_unusual_one_is_confirmed(
    live_site, browser
):
    article = ArticlePage.objects.live().first()
    editor = Staff(browser, live_site, "editor")
    page = editor.page
    editor.goto(reverse("wagtailadmin_pages:edit", args=(article.pk,)))
    field = page.locator("#id_published_at")
    type_into(field, "2024-02-30 10:00")
    # Wagtail's picker rewrote it as 2024-03-01 10:00 on leaving the field.
    assert field.input_value() == "2024-02-30 10:00"
    editor.click_and_wait(page.get_by_role("button", name="保存草稿"))
    assert (
        "2024 年 2 月只有 29 天"
        in page.locator("[data-field-wrapper]:has(#id_published_at)").inner_text()
    )
    type_into(page.locator("#id_published_at"), "1900-01-01 10:00")
    editor.click_and_wait(page.get_by_role("button", name="保存草稿"))
    assert "早于 1949 年 10 月 1 日" in page.locator("main").inner_text()
    screenshot(page, "admin-editor-date-confirm", showing=page.get_by_label("确认此日期"))
    page.get_by_label("确认此日期").check()
    editor.click_and_wait(page.get_by_role("button", name="保存草稿"))
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert f"{localtime(draft.published_at):%Y-%m-%d %H:%M}" == "1900-01-01 10:00"
    # Wagtail's autosave of a form that does not validate is answered 400 (its indicator says
    # the form has errors); the console notes each such answer, which is no fault here.
    editor.errors = [error for error in editor.errors if not error.endswith("400 (Bad Request)")]
    editor.assert_met_no_obstacle()
    editor.close()


def test_no_page_of_the_journeys_is_left_open_to_talk_into_the_next_test(browser):
    assert browser.contexts == []
