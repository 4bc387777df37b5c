"""The 错敏词 check in the page editor: on 提交审核, 发布, 重新提交 and a reviewer's 批准, decided as
Wagtail's views decide them, never on a draft save or an autosave; each finding beside its field or
inside its block; warnings said without stopping anything; and a reviewer's written reason keeping
a 规范表述, which an editor cannot give."""

import json

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from wagtail.blocks.base import get_error_json_data
from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import rich_text, streamfield

from core.gate_forms import OVERRIDE_FIELD
from news.models import ArticlePage, TopicPage
from quality.word_lists import StandardOverride
from tests.admin_forms import article_form

pytestmark = pytest.mark.django_db

BANNED = "违禁词甲"
WRONG, RIGHT = "错误表述乙", "规范表述乙"
TYPO, TYPO_RIGHT = "易错词丙", "正确词丙"


def add_url(column):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def with_subsection_text(text):
    """The article form with `text` in the first 议程's 小节 (body 1 › 小节 at position 1)."""
    return article_form(
        body=streamfield(
            [
                ("paragraph", rich_text("<p>导语。</p>")),
                (
                    "section",
                    {
                        "label": "议程一",
                        "title": "实地观摩",
                        "body": streamfield(
                            [
                                ("paragraph", rich_text("<p>观摩。</p>")),
                                (
                                    "subsection",
                                    {
                                        "heading": "睦邻服务站",
                                        "body": streamfield(
                                            [("paragraph", rich_text(f"<p>{text}</p>"))]
                                        ),
                                    },
                                ),
                            ]
                        ),
                    },
                ),
            ]
        )
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def block_errors(response):
    return get_error_json_data(response.context["form"].errors.as_data()["body"][0])


def test_a_banned_word_in_an_agenda_subsection_stops_the_submission_beside_that_block(
    words, editor_client, column
):
    words(banned=[BANNED])
    data = {**with_subsection_text(f"会上提到{BANNED}的问题。"), "action-submit": "1"}
    response = editor_client.post(add_url(column), data)
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(title="后台创建的文章").exists()
    section = block_errors(response)["blockErrors"][1]["blockErrors"]["body"]
    subsection = section["blockErrors"][1]["blockErrors"]["body"]
    [message] = subsection["blockErrors"][0]["messages"]
    assert f"禁用词“{BANNED}”不得使用" in message
    assert f"会上提到{BANNED}的问题" in message
    assert "须改正后才能提交审核" in response.content.decode()


def test_a_draft_save_and_an_autosave_are_not_checked(words, editor_client, column):
    words(banned=[BANNED])
    response = editor_client.post(add_url(column), with_subsection_text(BANNED))
    assert response.status_code == 302
    page = ArticlePage.objects.get(title="后台创建的文章")
    data = {**with_subsection_text(f"再写{BANNED}"), "title": "自动保存"}
    autosave = editor_client.post(edit_url(page), data, headers={"accept": "application/json"})
    assert autosave.status_code == 200 and autosave.json()["success"]
    page.refresh_from_db()
    assert page.get_latest_revision().content["title"] == "自动保存"


def test_a_publish_button_the_editor_may_not_use_saves_a_draft_unchecked(
    words, editor_client, column, settings
):
    # Editors do not publish with the review step on: Wagtail saves a draft, and so is the check.
    assert settings.ARTICLE_REVIEW
    words(banned=[BANNED])
    data = {**with_subsection_text(BANNED), "action-publish": "1"}
    response = editor_client.post(add_url(column), data)
    assert response.status_code == 302
    assert not ArticlePage.objects.get(title="后台创建的文章").live


def test_a_reviewer_publishing_is_refused_and_a_clean_text_is_published(
    words, reviewer_client, column
):
    words(banned=[BANNED])
    response = reviewer_client.post(
        add_url(column), {**article_form(title=f"关于{BANNED}"), "action-publish": "1"}
    )
    assert response.status_code == 200
    title_errors = response.context["form"].errors["title"]
    assert any(BANNED in error for error in title_errors)
    assert "须改正后才能发布" in response.content.decode()
    response = reviewer_client.post(add_url(column), {**article_form(), "action-publish": "1"})
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="后台创建的文章").live


def test_a_warning_does_not_stop_the_submission_and_is_said(words, editor_client, column):
    words(typo={TYPO: TYPO_RIGHT})
    data = {**article_form(summary=f"本文有{TYPO}。"), "action-submit": "1"}
    response = editor_client.post(add_url(column), data, follow=True)
    page = ArticlePage.objects.get(title="后台创建的文章")
    assert page.current_workflow_state is not None
    said = " ".join(messages_of(response))
    assert f"易错词：“{TYPO}”应为“{TYPO_RIGHT}”" in said


def test_a_topic_page_is_checked_too(words, reviewer_client, superuser_client, home):
    words(banned=[BANNED])
    url = reverse("wagtailadmin_pages:add", args=("news", "topicpage", home.pk))
    data = {"title": "专题", "slug": "topic", "tag": BANNED, "intro": rich_text("")}
    response = superuser_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert any(BANNED in error for error in response.context["form"].errors["tag"])
    assert not TopicPage.objects.exists()


def draft_with(editor_client, column, text):
    editor_client.post(add_url(column), with_subsection_text(text))
    return ArticlePage.objects.get(title="后台创建的文章")


def test_a_reviewer_keeps_a_standard_form_with_a_written_reason(
    words, editor_client, reviewer_client, column
):
    words(standard={WRONG: RIGHT})
    page = draft_with(editor_client, column, f"会议由{WRONG}主持。")
    data = {**with_subsection_text(f"会议由{WRONG}主持。"), "action-publish": "1"}
    refused = reviewer_client.post(edit_url(page), data)
    assert refused.status_code == 200
    finding = json.dumps(block_errors(refused), ensure_ascii=False)
    assert f"规范表述“{WRONG}”应为“{RIGHT}”" in finding
    html = refused.content.decode()
    assert f'name="{OVERRIDE_FIELD}"' in html  # offered now, and only now
    response = reviewer_client.post(edit_url(page), {**data, OVERRIDE_FIELD: "引用文件原文"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    [kept] = StandardOverride.objects.of(page)
    assert (kept.word, kept.reason) == (WRONG, "引用文件原文")


def test_the_reason_is_not_offered_before_a_finding_stops_the_reviewer(
    words, editor_client, reviewer_client, column
):
    words(standard={WRONG: RIGHT})
    page = draft_with(editor_client, column, "干净的文字。")
    assert f'name="{OVERRIDE_FIELD}"' not in reviewer_client.get(edit_url(page)).content.decode()


def test_an_editor_posting_a_reason_is_not_heard(words, editor_client, column):
    words(standard={WRONG: RIGHT})
    page = draft_with(editor_client, column, f"会议由{WRONG}主持。")
    data = {
        **with_subsection_text(f"会议由{WRONG}主持。"),
        "action-submit": "1",
        OVERRIDE_FIELD: "我自己说可以",
    }
    response = editor_client.post(edit_url(page), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="{OVERRIDE_FIELD}"' not in html
    assert "由审核人员填写理由" in html
    assert not StandardOverride.objects.exists()
    page.refresh_from_db()
    assert page.current_workflow_state is None
    assert not PageLogEntry.objects.filter(page=page, action="wagtail.workflow.start").exists()


def test_a_reason_does_not_carry_a_banned_word_through(
    words, editor_client, reviewer_client, column
):
    words(banned=[BANNED], standard={WRONG: RIGHT})
    text = f"{WRONG}与{BANNED}"
    page = draft_with(editor_client, column, text)
    data = {**with_subsection_text(text), "action-publish": "1", OVERRIDE_FIELD: "引用原文"}
    response = reviewer_client.post(edit_url(page), data)
    assert response.status_code == 200
    assert not StandardOverride.objects.exists()
    page.refresh_from_db()
    assert not page.live


# 检查错敏词 ---------------------------------------------------------------------------------------


def check_new_url(column):
    return reverse("quality_check_new_page", args=("news", "articlepage", column.pk))


def test_the_check_button_lists_the_findings_of_a_new_article_and_saves_nothing(
    words, editor_client, column
):
    words(banned=[BANNED], typo={TYPO: TYPO_RIGHT})
    data = {**with_subsection_text(f"提到{BANNED}"), "summary": f"有{TYPO}。"}
    answer = editor_client.post(check_new_url(column), data).json()
    assert answer["blocking"] == 1 and answer["warnings"] == 1
    assert BANNED in answer["html"] and TYPO_RIGHT in answer["html"]
    assert not ArticlePage.objects.exists()
    # A form the page cannot be built from says so, and what to do.
    answer = editor_client.post(check_new_url(column), {**data, "title": ""}).json()
    assert "请先按提示改正" in answer["html"] and "标题" in answer["html"]


def test_the_check_button_checks_an_article_as_it_stands_in_the_form(words, editor_client, column):
    words(banned=[BANNED])
    page = draft_with(editor_client, column, "干净的文字。")
    url = reverse("quality_check_page", args=(page.pk,))
    data = {**with_subsection_text(f"改成{BANNED}"), "action-publish": "1"}
    answer = editor_client.post(url, data).json()
    assert answer["blocking"] == 1
    page.refresh_from_db()
    assert not page.live and BANNED not in json.dumps(page.get_latest_revision().content)
    answer = editor_client.post(url, with_subsection_text("干净的文字。")).json()
    assert answer["blocking"] == 0 and "没有发现错敏词" in answer["html"]


def test_the_check_button_is_for_those_who_may_edit(words, staff_client, editor_client, column):
    page = draft_with(editor_client, column, "文字")
    url = reverse("quality_check_page", args=(page.pk,))
    assert staff_client.post(url, with_subsection_text("文字")).status_code in (302, 403)
    assert staff_client.post(check_new_url(column), article_form()).status_code in (302, 403)


def test_the_check_button_is_in_the_article_editors_action_menu(words, editor_client, column):
    html = editor_client.get(add_url(column)).content.decode()
    assert "data-content-check-url" in html and "content-check.js" in html
    page = draft_with(editor_client, column, "文字")
    html = editor_client.get(edit_url(page)).content.decode()
    assert reverse("quality_check_page", args=(page.pk,)) in html


def test_a_finding_in_an_attachments_name_is_shown_on_its_row(words, reviewer_client, column):
    from wagtail.test.utils.form_data import inline_formset

    from tests.factories import library_document

    words(banned=[BANNED])
    document = library_document("报名表", "form.pdf")
    rows = [
        {"document": document.pk, "title": "报名表"},
        {"document": document.pk, "title": f"{BANNED}名单"},
    ]
    data = {**article_form(attachments=inline_formset(rows)), "action-publish": "1"}
    response = reviewer_client.post(add_url(column), data)
    assert response.status_code == 200
    first, second = response.context["form"].formsets["attachments"].forms[:2]
    assert not first.errors
    assert any(BANNED in error for error in second.errors["title"])


def test_the_error_banner_sums_up_the_findings_inside_the_body_in_chinese(
    words, editor_client, column
):
    words(banned=[BANNED])
    data = {**with_subsection_text(f"会上提到{BANNED}的问题。"), "action-submit": "1"}
    response = editor_client.post(add_url(column), data)
    assert response.context["form"].errors["body"] == ["有 1 处须改正，已在所在位置标出"]
    banner = " ".join(messages_of(response))
    assert "有 1 处须改正，已在所在位置标出" in banner
    assert "Validation error" not in banner


def test_the_warnings_of_a_refused_action_are_never_said(words, editor_client, column):
    words(banned=[BANNED], typo={TYPO: TYPO_RIGHT})
    data = {**article_form(summary=f"本文有{TYPO}和{BANNED}。"), "action-submit": "1"}
    refused = editor_client.post(add_url(column), data)
    assert refused.status_code == 200
    later = editor_client.get(reverse("wagtailadmin_home"))
    assert not any("请留意" in message for message in messages_of(refused) + messages_of(later))


def test_the_warnings_are_said_once_after_a_refused_then_accepted_publish(
    words, editor_client, reviewer_client, column
):
    words(standard={WRONG: RIGHT}, typo={TYPO: TYPO_RIGHT})
    page = draft_with(editor_client, column, f"会议由{WRONG}主持，{TYPO}。")
    data = {**with_subsection_text(f"会议由{WRONG}主持，{TYPO}。"), "action-publish": "1"}
    assert reviewer_client.post(edit_url(page), data).status_code == 200
    response = reviewer_client.post(
        edit_url(page), {**data, OVERRIDE_FIELD: "引用文件原文"}, follow=True
    )
    said = messages_of(response)
    [warned] = [message for message in said if "请留意以下易错词" in message]
    assert f"易错词：“{TYPO}”" in warned and "规范表述：" not in warned
    [kept] = [message for message in said if "已保留原写法的规范表述" in message]
    assert f"规范表述：“{WRONG}”" in kept and "易错词：" not in kept
