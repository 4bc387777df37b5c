"""The 错敏词 check as staff meet it, in Debian's Chromium against a live server with the site's
own headers and two-factor sign-in, with the site's real lists (quality/checking.py): an editor's
submission with a 禁用词 in an 议程's 小节 is refused with the finding beside that block (and
检查错敏词 lists it without submitting), while the same text with the allow-listed place name
passes; a reviewer keeps a 规范表述 with a written reason and the 审计日志 shows it; bulk 发布 and a
scheduled go-live of a text with a 禁用词 are refused and reported. Each ends with no
Content-Security-Policy violation, no script error and no left-over English."""

from base64 import b32encode
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import Revision, WorkflowState

from core.content_gate import BANNED, STANDARD
from news.models import ArticlePage, NewsIndexPage
from news.roles import EDITORS, REVIEWERS
from news.scheduler import run_due
from news.sitetree import ensure_site_tree
from quality.word_lists import AllowedPhrase, ListedWord
from security.two_factor import PHONE
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff
from tests.chromium import CHROMIUM
from tests.factories import ArticlePageFactory, section
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

# Made-up words: a 禁用词 that is also part of a place name (allow-listed), and a 规范表述.
BANNED_WORD = "黑石"
PLACE = "黑石街道"
WRONG, RIGHT = "社会组织党委书记员", "社会组织党委书记"


@pytest.fixture
def newsroom(live_server, django_user_model, browser, settings):
    """A live site with its lists, an editor (bianji), a reviewer (shenhe) and an auditor who
    may read the audit log (shenji, a superuser), each with a phone enrolled. (address,
    {username: authenticator}, column)."""
    settings.ADMIN_2FA_REQUIRED = True
    site = ensure_site_tree()
    ListedWord.objects.create(site=site, kind=BANNED, word=BANNED_WORD)
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase=PLACE, note="地名")
    ListedWord.objects.create(site=site, kind=STANDARD, word=WRONG, right=RIGHT)
    phones = {}
    for username, name, groups, superuser in [
        ("bianji", "王编辑", [EDITORS], False),
        ("shenhe", "李审核", [REVIEWERS], False),
        ("shenji", "赵审计", [], True),
    ]:
        make = (
            django_user_model.objects.create_superuser
            if superuser
            else (django_user_model.objects.create_user)
        )
        user = make(username, password=PASSWORD, first_name=name, email=f"{username}@example.cn")
        user.groups.add(*Group.objects.filter(name__in=groups))
        device = TOTPDevice.objects.create(user=user, name=PHONE, confirmed=True)
        phones[username] = Authenticator(b32encode(device.bin_key).decode())
    column = NewsIndexPage.objects.get(slug="news")
    yield live_server.url, phones, column
    for context in browser.contexts:
        context.close()


def sign_in(browser, newsroom, username):
    url, phones, _column = newsroom
    return Staff(browser, url, username, code=phones[username].fresh_code())


def draft(column, title, visited, editor, summary="座谈会交流了经验。"):
    """An editor's draft whose first 议程 has a 小节 about the place `visited`."""
    page = ArticlePageFactory(
        parent=column,
        title=title,
        live=False,
        summary=summary,
        body=[
            {"type": "paragraph", "value": "<p>调研组开展了走访。</p>"},
            section(
                "议程一",
                "实地观摩",
                "观摩段落。",
                ("睦邻服务站", [f"调研组走访了{visited}的服务站。"]),
            ),
        ],
    )
    page.save_revision(user=editor)
    return page


def edit(staff, page):
    staff.goto(reverse("wagtailadmin_pages:edit", args=(page.pk,)))


def press(staff, label):
    """A button of the action menu at the foot of the edit form (opening the menu if need be)."""
    button = staff.page.locator("footer").get_by_role("button", name=label, exact=True)
    if not button.is_visible():
        staff.open_actions_menu()
    staff.click_and_wait(button)


def test_an_editor_is_refused_beside_the_subsection_and_the_allowed_place_passes(
    browser, newsroom, django_user_model
):
    _url, _phones, column = newsroom
    editor = django_user_model.objects.get(username="bianji")
    refused = draft(column, "调研组走访服务站", BANNED_WORD, editor)
    allowed = draft(column, "调研组走访街道服务站", PLACE, editor)

    staff = sign_in(browser, newsroom, "bianji")
    page = staff.page
    edit(staff, refused)
    # 检查错敏词 lists the finding without submitting anything.
    staff.open_actions_menu()
    page.get_by_role("button", name="检查错敏词").click()
    results = page.locator("#content-check-results")
    results.get_by_text("错敏词检查结果").wait_for()
    assert "禁用词" in results.inner_text() and BANNED_WORD in results.inner_text()
    assert "小节" in results.inner_text()
    staff.look()
    screenshot(page, "quality-check-button", results)
    assert WorkflowState.objects.filter(object_id=str(refused.pk)).count() == 0

    press(staff, "提交给文章审核")
    message = f"禁用词“{BANNED_WORD}”不得使用"
    error = page.get_by_text(message).first
    error.wait_for()
    # Beside the block that holds it: inside the 小节 whose 小标题 is 睦邻服务站.
    inside = error.evaluate(
        """element => {
            for (let block = element.closest('[data-streamfield-child]'); block;
                 block = block.parentElement.closest('[data-streamfield-child]')) {
                const heading = block.querySelector('input[name$="-heading"]');
                if (heading) return heading.value;
            }
            return null;
        }"""
    )
    assert inside == "睦邻服务站"
    assert f"调研组走访了{BANNED_WORD}的服务站" in error.inner_text()
    assert "须改正后才能提交审核" in page.locator("main").inner_text()
    screenshot(page, "quality-refused-beside-block", error)
    assert not WorkflowState.objects.filter(object_id=str(refused.pk)).exists()

    # The same text, with the allow-listed place name: submitted, and past the check step.
    edit(staff, allowed)
    press(staff, "提交给文章审核")
    assert "已提交审核" in page.locator(".messages").inner_text()
    state = WorkflowState.objects.get(object_id=str(allowed.pk))
    assert state.status == "in_progress" and state.current_task_state.task.name == "审核"
    staff.assert_met_no_obstacle()
    staff.close()


def test_a_reviewer_keeps_a_standard_form_with_a_reason_and_the_audit_log_shows_it(
    browser, newsroom, django_user_model
):
    _url, _phones, column = newsroom
    editor = django_user_model.objects.get(username="bianji")
    article = draft(
        column, "座谈会召开", PLACE, editor, summary=f"会议由{WRONG}主持，引用文件原文。"
    )

    staff = sign_in(browser, newsroom, "bianji")
    edit(staff, article)
    press(staff, "提交给文章审核")
    main = staff.page.locator("main").inner_text()
    assert f"规范表述“{WRONG}”应为“{RIGHT}”" in main
    assert "由审核人员填写理由后发布" in main
    assert staff.page.get_by_label("保留原写法的理由").count() == 0
    staff.assert_met_no_obstacle()
    staff.close()

    reviewer = sign_in(browser, newsroom, "shenhe")
    page = reviewer.page
    edit(reviewer, article)
    press(reviewer, "发布")
    reason = page.get_by_role("textbox", name="保留原写法的理由")
    reason.wait_for()
    reason.fill("摘要引用文件原文，保留原写法")
    screenshot(page, "quality-override-reason", reason)
    press(reviewer, "发布")
    assert ArticlePage.objects.get(pk=article.pk).live
    reviewer.assert_met_no_obstacle()
    reviewer.close()

    auditor = sign_in(browser, newsroom, "shenji")
    # The article's history says who kept which wording, and the audit chain holds that entry.
    auditor.goto(reverse("wagtailadmin_pages:history", args=(article.pk,)))
    assert "放行规范表述" in auditor.page.locator("main").inner_text()
    auditor.goto(reverse("security_audit_log"))
    row = auditor.page.locator("tr", has_text="quality.let_through")
    assert "座谈会召开" in row.inner_text() and "shenhe" in row.inner_text()
    assert "放行规范表述" in row.inner_text()
    screenshot(auditor.page, "quality-override-audit-log", row)
    auditor.assert_met_no_obstacle()
    auditor.close()


def test_bulk_publishing_and_a_scheduled_go_live_of_a_banned_word_are_refused_and_reported(
    browser, newsroom, django_user_model
):
    _url, _phones, column = newsroom
    editor = django_user_model.objects.get(username="bianji")
    clean = draft(column, "干净的稿件", PLACE, editor)
    blocked = draft(column, "含禁用词的稿件", BANNED_WORD, editor)

    reviewer = sign_in(browser, newsroom, "shenhe")
    page = reviewer.page
    reviewer.goto(reverse("wagtailadmin_explore", args=(column.pk,)))
    for article in (clean, blocked):
        page.locator(f"input[data-bulk-action-checkbox][data-object-id='{article.pk}']").check()
    reviewer.click_and_wait(page.get_by_role("link", name="发布选择的页面", exact=True))
    reviewer.click_and_wait(page.locator("main form [type=submit]"))
    said = page.locator(".messages").inner_text()
    assert "未发布：《含禁用词的稿件》" in said and BANNED_WORD in said
    screenshot(page, "quality-bulk-refused", page.locator(".messages"))
    assert ArticlePage.objects.get(pk=clean.pk).live
    assert not ArticlePage.objects.get(pk=blocked.pk).live

    # A go-live scheduled (and checked) before a new word was listed, coming due now.
    later = ArticlePageFactory(parent=column, title="定时发布的稿件", live=False)
    later.summary = "调研组走访了青岗村。"
    later.go_live_at = timezone.now() + timedelta(minutes=5)
    revision = later.save_revision(user=editor)
    revision.publish()
    revision.refresh_from_db()
    due = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = due.isoformat()
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=due, content=revision.content
    )
    ListedWord.objects.create(site=column.get_site(), kind=BANNED, word="青岗村")
    assert run_due()
    assert not ArticlePage.objects.get(pk=later.pk).live
    reviewer.goto(reverse("wagtailadmin_home"))
    panel = page.locator("section", has=page.get_by_role("heading", name="定时发布未能上线"))
    assert "定时发布的稿件" in panel.inner_text() and "青岗村" in panel.inner_text()
    screenshot(page, "quality-go-live-refused", panel)
    reviewer.assert_met_no_obstacle()
    reviewer.close()
