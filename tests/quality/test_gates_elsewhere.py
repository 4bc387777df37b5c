"""The 错敏词 check on every other way a text reaches readers: the first step of 文章审核, a
reviewer's approval from the dashboard (and its dialog), bulk 发布, 恢复并发布 of a revision, a go-live
scheduled and one coming due, the contact details, a 互动交流 reply, and imports; each refusal
said in Chinese, never a 500."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision, TaskState, WorkflowState

from contact.models import ContactDetails
from core.content_gate import ContentBlocked
from interaction import workflow
from news.go_live_check import GO_LIVE_REFUSED
from news.importing.importer import import_article
from news.importing.seedformat import parse
from news.models import ArticlePage
from quality.check_task import CHECK_TASK_NAME
from tests.admin_forms import article_form, contact_form, submit_article
from tests.factories import ArticlePageFactory, make_contact
from tests.interaction.conftest import send
from tests.quality.test_gates_in_forms import BANNED, TYPO, TYPO_RIGHT, edit_url
from tests.samples import VALID

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def task_names(page):
    state = WorkflowState.objects.get(object_id=str(page.pk))
    return [(ts.task.name, ts.status) for ts in state.task_states.order_by("started_at", "pk")]


# The first step of 文章审核 ------------------------------------------------------------------------


def test_the_check_is_the_first_step_of_the_review_workflow(words, editor_client, column):
    page = submit_article(editor_client, column)
    assert task_names(page) == [(CHECK_TASK_NAME, "approved"), ("审核", "in_progress")]


def test_the_check_step_sends_a_blocked_article_back_with_its_findings(
    words, column, editor_client
):
    words(banned=[BANNED])
    page = ArticlePageFactory(parent=column, title=f"含有{BANNED}", live=False)
    revision = page.save_revision(user=editor_client.user)
    page.get_workflow().start(page, editor_client.user)
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    checked = state.current_task_state
    assert checked.task.name == CHECK_TASK_NAME and checked.revision == revision
    assert BANNED in checked.comment and "未通过" in checked.comment
    # The editor meets it at the top of the article, as a reviewer's 退回.
    html = editor_client.get(edit_url(page)).content.decode()
    assert "此稿已被退回修改" in html and f"自动{CHECK_TASK_NAME}" in html


def test_a_resubmission_is_checked_again(words, column, editor_client):
    words(banned=[BANNED])
    page = ArticlePageFactory(parent=column, title=f"含有{BANNED}", live=False)
    page.save_revision(user=editor_client.user)
    page.get_workflow().start(page, editor_client.user)
    response = editor_client.post(edit_url(page), {**article_form(), "action-submit": "1"})
    assert response.status_code == 302
    assert task_names(page)[-2:] == [(CHECK_TASK_NAME, "approved"), ("审核", "in_progress")]


# Approval from the dashboard, with and without its dialog ---------------------------------------


def approve_url(page):
    task_state = WorkflowState.objects.get(object_id=str(page.pk)).current_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))


def test_an_approval_from_the_dashboard_is_refused_in_chinese(
    words, editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    words(banned=["观摩"])  # listed since the submission
    response = reviewer_client.post(approve_url(page), {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    [said] = messages_of(response)
    assert said.startswith("未能发布：禁用词：“观摩”")
    page.refresh_from_db()
    assert not page.live
    # The approval is undone with the publish: the article still awaits its reviewer.
    assert task_names(page)[-1] == ("审核", "in_progress")


def test_an_approval_with_a_comment_in_the_dialog_is_refused_in_chinese(
    words, editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    words(banned=["观摩"])
    response = reviewer_client.post(
        approve_url(page),
        {"comment": "同意", "next": "/admin/"},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "success"
    assert "未能发布" in messages_of(response)[0]
    page.refresh_from_db()
    assert not page.live


# Bulk 发布 --------------------------------------------------------------------------------------


def bulk_publish(client, *pages):
    ids = "&".join(f"id={page.pk}" for page in pages)
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    return client.post(f"{url}?{ids}&next=/admin/", {"include_descendants": ""})


def test_bulk_publishing_leaves_out_the_blocked_page_and_names_it(words, reviewer_client, column):
    words(banned=[BANNED])
    clean = ArticlePageFactory(parent=column, title="干净的稿件", live=False)
    blocked = ArticlePageFactory(parent=column, title=f"含有{BANNED}的稿件", live=False)
    response = bulk_publish(reviewer_client, clean, blocked)
    assert response.status_code == 302
    clean.refresh_from_db(), blocked.refresh_from_db()
    assert clean.live and not blocked.live
    said = " ".join(messages_of(response))
    assert f"未发布：《含有{BANNED}的稿件》" in said


def test_bulk_publishing_only_blocked_pages_publishes_nothing(words, reviewer_client, column):
    words(banned=[BANNED])
    blocked = ArticlePageFactory(parent=column, title=f"含有{BANNED}", live=False)
    response = bulk_publish(reviewer_client, blocked)
    assert response.status_code == 302
    blocked.refresh_from_db()
    assert not blocked.live


# 恢复并发布 of an earlier revision ----------------------------------------------------------------


def test_reverting_to_a_blocked_revision_and_publishing_it_is_refused(
    words, reviewer_client, column
):
    page = ArticlePageFactory(parent=column, title=f"旧版含{BANNED}", live=False)
    old = page.save_revision()
    words(banned=[BANNED])
    url = reverse("wagtailadmin_pages:revisions_revert", args=(page.pk, old.pk))
    data = {**article_form(title=f"旧版含{BANNED}"), "action-publish": "1"}
    response = reviewer_client.post(url, data)
    assert response.status_code == 200
    assert any(BANNED in error for error in response.context["form"].errors["title"])
    page.refresh_from_db()
    assert not page.live


# Scheduling, and the go-live itself -------------------------------------------------------------


def test_scheduling_a_blocked_revision_is_refused(words, column):
    words(banned=[BANNED])
    page = ArticlePageFactory(parent=column, title=f"含有{BANNED}", live=False)
    page.go_live_at = timezone.now() + timedelta(days=1)
    revision = page.save_revision()
    with pytest.raises(ContentBlocked):
        revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None


def scheduled(column, title, editor=None):
    """An article scheduled (and checked) five minutes ago, to go live a minute ago."""
    page = ArticlePageFactory(parent=column, title=title, live=False)
    page.go_live_at = timezone.now() + timedelta(minutes=5)
    revision = page.save_revision(user=editor)
    revision.publish()
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None
    due = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = due.isoformat()
    Revision.objects.filter(pk=revision.pk).update(
        approved_go_live_at=due, content=revision.content
    )
    return page, revision


def test_a_go_live_blocked_when_it_comes_due_is_held_logged_and_reported(
    words, column, editor_client, reviewer_client
):
    blocked, revision = scheduled(column, f"定时稿件{BANNED}", editor=editor_client.user)
    clean, _ = scheduled(column, "定时的干净稿件")
    words(banned=[BANNED])
    out = StringIO()
    call_command("publish_scheduled", stdout=out)
    blocked.refresh_from_db(), clean.refresh_from_db(), revision.refresh_from_db()
    assert clean.live and not blocked.live
    assert revision.approved_go_live_at is None  # not tried again every minute
    entry = PageLogEntry.objects.get(page=blocked, action=GO_LIVE_REFUSED)
    assert BANNED in entry.data["findings"][0]
    assert "未发布（错敏词）" in out.getvalue()
    [sent] = mail.outbox
    assert "reviewer@example.cn" in sent.to
    assert f"定时稿件{BANNED}" in sent.subject and BANNED in sent.body
    dashboard = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "定时发布未能上线" in dashboard and f"定时稿件{BANNED}" in dashboard
    history = reviewer_client.get(reverse("wagtailadmin_pages:history", args=(blocked.pk,)))
    assert "定时发布未能上线" in history.content.decode()


# The contact details -----------------------------------------------------------------------------


def test_publishing_contact_details_with_a_banned_word_is_refused_beside_the_field(
    words, site, staff_client
):
    contact = make_contact(site)
    words(banned=[BANNED])
    url = reverse("wagtailsnippets_contact_contactdetails:edit", args=(contact.pk,))
    data = contact_form(site, address=f"{BANNED}路1号")
    response = staff_client.post(url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert any(BANNED in error for error in response.context["form"].errors["address"])
    assert ContactDetails.objects.get(pk=contact.pk).address == "测试市测试路1号"
    # A draft is saved unchecked.
    assert staff_client.post(url, data).status_code == 302


def test_the_contact_details_cannot_be_published_around_the_form(words, site):
    contact = make_contact(site)
    contact.address = f"{BANNED}路"
    revision = contact.save_revision()
    words(banned=[BANNED])
    with pytest.raises(ContentBlocked):
        revision.publish()


# A 互动交流 reply -----------------------------------------------------------------------------------


@pytest.fixture
def drafted(site, unit, handler, receiver):
    from interaction.models import ChannelPage

    channel = ChannelPage.objects.descendant_of(site.root_page).first()
    message, _code = send(site, channel)
    workflow.accept(message, receiver.user)
    return workflow.forward(message, receiver.user, unit)


def test_a_reply_with_a_banned_word_is_not_submitted(words, drafted, handler):
    words(banned=[BANNED])
    with pytest.raises(workflow.WorkflowError, match=BANNED):
        workflow.submit_reply(drafted, handler.user, f"答复：{BANNED}。")
    drafted.refresh_from_db()
    assert drafted.status == "forwarded"


def test_a_reply_blocked_since_its_submission_is_not_approved(
    words, drafted, handler, reviewer_client
):
    message = workflow.submit_reply(drafted, handler.user, "答复：已经安排。")
    words(banned=["安排"])
    with pytest.raises(workflow.WorkflowError, match="安排"):
        workflow.approve(message, reviewer_client.user, publishable=True)
    message.refresh_from_db()
    assert message.status == "in_review"


def test_a_refused_reply_is_said_on_its_page_and_a_warning_too(words, drafted, handler):
    url = reverse("interaction_messages:detail", args=(drafted.pk,))
    words(banned=[BANNED], typo={TYPO: TYPO_RIGHT})
    data = {"action": "submit_reply", "draft-reply": f"{BANNED}", "draft-reply_unit_name": "组织部"}
    response = handler.post(url, data)
    assert response.status_code == 400
    assert BANNED in " ".join(messages_of(response))
    data["draft-reply"] = f"已处理，{TYPO}。"
    response = handler.post(url, data)
    assert response.status_code == 302
    assert any(TYPO in said for said in messages_of(response))


# Imports -------------------------------------------------------------------------------------------


def test_an_imported_article_with_a_banned_word_stays_a_draft_with_its_findings(words, column):
    words(banned=["实地观摩"], typo={"座谈会": "座谈会议"})
    result = import_article(parse(VALID), column, publish=True)
    assert not ArticlePage.objects.get(pk=result.page.pk).live
    notes = result.finding_notes()
    assert any("实地观摩" in note and "须改正" in note for note in notes)
    assert any("易错词" in note for note in notes)
    assert notes[-1] == "因含有须改正的错敏词，已导入为草稿，未发布。"


def test_the_import_list_shows_each_files_findings(words, editor_client, column, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from news.importing import jobs

    settings.IMPORT_IN_BACKGROUND = False
    words(banned=["实地观摩"])
    upload = SimpleUploadedFile("seed.txt", VALID.encode())
    job = jobs.create_job(editor_client.user, column, [upload])
    jobs.run_job(job.pk)
    html = editor_client.get(reverse("news_import_job", args=(job.pk,))).content.decode()
    assert "seed.txt" in html and "实地观摩" in html and "须改正后才能发布" in html


def test_the_task_states_are_not_offered_to_anyone(words, editor_client, reviewer_client, column):
    page = submit_article(editor_client, column)
    checks = TaskState.objects.filter(task__name=CHECK_TASK_NAME)
    assert checks.count() == 1
    assert not TaskState.objects.reviewable_by(reviewer_client.user).filter(
        task__name=CHECK_TASK_NAME
    )
    assert page


def test_the_check_step_is_put_first_once_however_often_the_site_is_set_up(site):
    from wagtail.models import Workflow

    from news.sitetree import ensure_site_tree
    from quality.check_task import ensure_check_task

    ensure_site_tree()
    ensure_check_task()
    steps = Workflow.objects.get(name="文章审核").workflow_tasks.order_by("sort_order")
    assert [step.task.name for step in steps] == [CHECK_TASK_NAME, "审核"]
