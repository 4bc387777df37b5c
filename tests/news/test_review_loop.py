"""The review loop in the admin: the reviewer's comment waits at the top of the article for the
editor, the status names the reviewer, the dashboard lists each article once while it awaits a
decision, confirmations say what happened, and a silent mail server costs no traceback."""

import json
import logging
import socket
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.timezone import localtime
from wagtail.models import PageLogEntry, WorkflowState

from tests.admin_forms import article_form, submit_article
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

COMMENT = "第二段的日期有误,请核实后再提交。"


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def decide(reviewer_client, page, action, comment=""):
    """The reviewer's choice from the edit view's action menu, as the browser posts it."""
    data = {
        **article_form(),
        "action-workflow-action": "true",
        "workflow-action-name": action,
        "workflow-action-extra-data": json.dumps({"comment": comment}),
    }
    return reviewer_client.post(edit_url(page), data)


def last_message(response):
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def test_the_reviewers_comment_waits_at_the_top_of_the_editors_form(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    response = decide(reviewer_client, page, "reject", COMMENT)
    assert response.status_code == 302
    assert "已退回修改" in last_message(response)

    html = editor_client.get(edit_url(page)).content.decode()
    assert "此稿已被退回修改" in html
    assert COMMENT in html
    assert html.index(COMMENT) < html.index('name="title"')  # above the form
    assert "李审核" in html

    # Resubmitting takes the notice away.
    # 重新提交给审核 in the editor's action menu.
    response = editor_client.post(edit_url(page), {**article_form(), "action-submit": "1"})
    assert response.status_code == 302
    assert "重新提交审核" in last_message(response)
    assert "此稿已被退回修改" not in editor_client.get(edit_url(page)).content.decode()


def test_the_status_panel_names_the_reviewer_who_sent_it_back(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    decide(reviewer_client, page, "reject", COMMENT)
    html = editor_client.get(edit_url(page)).content.decode()
    status = html[html.index('data-side-panel="status"') :]
    assert "已退回修改" in status
    assert "李审核" in status


def awaiting_review(client):
    """The dashboard's panels that list articles awaiting review (ours, and Wagtail's own)."""
    html = client.get("/admin/").content.decode()
    panels = [
        html[start : html.index("</section>", start)]
        for start in [html.find('id="news-awaiting-review-heading"')]
        if start >= 0
    ]
    assert "workflow_objects_to_moderate" not in html and "等待你的审查" not in html
    return "".join(panels)


def test_dashboard_lists_an_article_once_while_it_awaits_a_decision(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    panel = awaiting_review(reviewer_client)
    assert panel.count(f'href="{edit_url(page)}"') == 1
    assert "王编辑" in panel

    decide(reviewer_client, page, "reject", COMMENT)
    assert f'href="{edit_url(page)}"' not in awaiting_review(reviewer_client)

    editor_client.post(edit_url(page), {**article_form(), "action-submit": "1"})
    panel = awaiting_review(reviewer_client)
    assert panel.count(f'href="{edit_url(page)}"') == 1
    assert "退回后重新提交" in panel


def test_confirmations_say_submitted_and_approved_and_published(
    editor_client, reviewer_client, column
):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    response = editor_client.post(url, {**article_form(), "action-submit": "submit"})
    assert "已提交审核" in last_message(response)
    page = WorkflowState.objects.get(status="in_progress").content_object
    response = decide(reviewer_client, page, "approve")
    assert last_message(response) == "《后台创建的文章》已批准并发布。"
    page.refresh_from_db()
    assert page.live


def test_approving_a_scheduled_article_says_when_it_goes_live(
    editor_client, reviewer_client, column
):
    go_live = localtime() + timedelta(days=2)
    form = article_form(go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    editor_client.post(url, {**form, "action-submit": "submit"})
    page = WorkflowState.objects.get(status="in_progress").content_object
    response = reviewer_client.post(
        edit_url(page),
        {**form, "action-workflow-action": "true", "workflow-action-name": "approve"},
    )
    at = go_live.strftime("%Y-%m-%d %H:%M")
    assert last_message(response) == f"《后台创建的文章》已批准，将于 {at} 发布。"
    page.refresh_from_db()
    assert not page.live


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_does_not_answer_costs_one_log_line(
    editor_client, reviewer_client, column, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    with caplog.at_level(logging.WARNING):
        page = submit_article(editor_client, column)  # notifies the reviewer by mail
        response = decide(reviewer_client, page, "reject", COMMENT)  # notifies the editor
    assert response.status_code == 302
    failures = [r for r in caplog.records if "mail server unavailable" in r.getMessage()]
    assert failures, [r.getMessage() for r in caplog.records]
    assert all(r.exc_info is None for r in caplog.records if r.name.startswith("wagtail"))


def test_setting_the_schedule_is_logged_as_such_not_as_an_edit(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    reviewer = reviewer_client.user
    go_live = localtime() + timedelta(days=3)
    # What the edit view saves when 保存计划 is clicked in the 设置发布计划 dialog: the draft as it
    # was, with the times typed.
    draft = page.get_latest_revision_as_object()
    draft.go_live_at = go_live
    draft.save_revision(user=reviewer, log_action=True)
    entry = PageLogEntry.objects.filter(page=page).order_by("-timestamp", "-pk").first()
    assert (entry.action, entry.user) == ("news.set_schedule", reviewer)
    html = reviewer_client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert f"设置发布计划（上线：{go_live:%Y-%m-%d %H:%M}；过期：未设置）" in html.content.decode()
    # An edit of the text is an edit, schedule or not.
    draft = page.get_latest_revision_as_object()
    draft.title = "改过的标题"
    draft.save_revision(user=reviewer, log_action=True)
    entry = PageLogEntry.objects.filter(page=page).order_by("-timestamp", "-pk").first()
    assert entry.action == "wagtail.edit"


def test_a_draft_the_reviewer_only_opened_and_decided_on_is_not_saved_again(
    editor_client, reviewer_client, column
):
    # Made without the editor, as imported articles are: its paragraphs have no Draftail keys.
    page = ArticlePageFactory(parent=column, live=False)
    page.save_revision(user=editor_client.user)
    revisions = page.revisions.count()
    # What the edit view saves of it, unchanged, when the reviewer decides: the keys added.
    draft = page.get_latest_revision_as_object()
    body = [dict(block) for block in draft.body.raw_data]
    for block in body:
        if block["type"] == "paragraph":
            block["value"] = block["value"].replace("<p>", '<p data-block-key="k1x2y">')
    draft.body = body
    draft.save_revision(user=reviewer_client.user, log_action=True)
    assert page.revisions.count() == revisions
    assert not PageLogEntry.objects.filter(page=page, user=reviewer_client.user).exists()
