"""发布时间 changes: each one readers see is recorded (old, new, who, when) in the audit log and the
report; a date later than the first publication beyond DATE_TOLERANCE_DAYS goes out only with a
reason from someone who may publish the article; imports keep their dates; the nightly check lists
what slipped through."""

import json
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from wagtail.log_actions import LogContext
from wagtail.models import GroupPagePermission, Page, PageLogEntry, Site, Workflow

from core import date_gate
from core.date_gate import DateNeedsReason
from news.importing.importer import import_article
from news.importing.seedformat import parse
from news.models import ArticlePage, HomePage
from news.sitetree import add_published
from quality import nightly
from quality.date_changes import CHANGE_ACTION, REASON_ACTION, date_findings, give_reason
from quality.date_models import EDITED, FIRST, IMPORTED, SCHEDULED, DateChange, DateReason
from quality.safety_roles import CONTENT_SAFETY
from security.models import SecurityEvent
from tests.admin_forms import article_form, user_in
from tests.factories import SHANGHAI, ArticlePageFactory
from tests.samples import VALID

# On PostgreSQL too: the nightly check adds the tolerance to a date in SQL.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

FIRST_PUBLISHED = datetime(2025, 3, 1, 10, 0, tzinfo=SHANGHAI)
SHOWN = datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)
WITHIN = FIRST_PUBLISHED + timedelta(hours=20)
BEYOND = FIRST_PUBLISHED + timedelta(days=4)


def typed(when):
    return f"{localtime(when):%Y-%m-%d %H:%M}"


@pytest.fixture
def article(column):
    """A live article first published on 2025-03-01 at 10:00, showing 09:00 that day."""
    page = ArticlePageFactory(parent=column, title="三月的报道", published_at=SHOWN, live=False)
    page.save_revision().publish()
    ArticlePage.objects.filter(pk=page.pk).update(first_published_at=FIRST_PUBLISHED)
    page.refresh_from_db()
    return page


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def form_for(page, when, **extra):
    return {**article_form(title=page.title, published_at=typed(when)), **extra}


def live_date(page):
    return ArticlePage.objects.get(pk=page.pk).published_at


def test_a_date_moved_within_the_tolerance_is_recorded_with_no_reason(
    article, editor_client, reviewer_client
):
    response = editor_client.post(edit_url(article), form_for(article, WITHIN))
    assert response.status_code == 302
    response = reviewer_client.post(
        edit_url(article), form_for(article, WITHIN, **{"action-publish": "action-publish"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert live_date(article) == WITHIN
    change = DateChange.objects.get()
    assert (change.old, change.new, change.origin, change.reason) == (SHOWN, WITHIN, EDITED, "")
    assert change.changed_by == editor_client.user
    assert change.published_by == reviewer_client.user
    assert change.first_published_at == FIRST_PUBLISHED


def test_a_draft_save_is_never_asked_for_a_reason(article, editor_client):
    response = editor_client.post(edit_url(article), form_for(article, BEYOND))
    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert draft.published_at == BEYOND
    assert live_date(article) == SHOWN and not DateChange.objects.exists()


def test_a_date_beyond_the_tolerance_is_refused_without_a_reason(article, reviewer_client):
    response = reviewer_client.post(
        edit_url(article), form_for(article, BEYOND, **{"action-publish": "action-publish"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "比首次发布（2025-03-01 10:00）晚 4 天，超过允许的 1 天" in html
    assert 'name="date_reason"' in html
    assert live_date(article) == SHOWN and not DateChange.objects.exists()


def test_a_reviewers_reason_lets_it_out_and_is_in_both_logs(article, reviewer_client):
    reason = "原稿误填首发日期，按活动举办日更正"
    response = reviewer_client.post(
        edit_url(article),
        form_for(article, BEYOND, date_reason=reason, **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert live_date(article) == BEYOND
    change = DateChange.objects.get()
    assert (change.old, change.new, change.reason) == (SHOWN, BEYOND, reason)
    assert change.reason_by == reviewer_client.user
    given = DateReason.objects.get()
    assert (given.page_id, given.published_at, given.given_by) == (
        article.pk,
        BEYOND,
        reviewer_client.user,
    )
    entry = PageLogEntry.objects.filter(page=article, action=CHANGE_ACTION).latest("pk")
    assert entry.data["reason"] == reason and entry.data["old"] == SHOWN.isoformat()
    assert entry.user == reviewer_client.user
    assert PageLogEntry.objects.filter(page=article, action=REASON_ACTION).exists()
    chained = [
        json.loads(event.detail)["action"]
        for event in SecurityEvent.objects.filter(event="content_action")
    ]
    assert CHANGE_ACTION in chained and REASON_ACTION in chained
    # The history names the action in Chinese.
    history = reviewer_client.get(reverse("wagtailadmin_pages:history", args=(article.pk,)))
    assert "修改发布时间" in history.content.decode()


def test_an_editor_posting_the_reason_themself_is_not_taken(article, editor_client):
    form = form_for(
        article, BEYOND, date_reason="编辑自己填写的理由", **{"action-submit": "action-submit"}
    )
    response = editor_client.post(edit_url(article), form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "须由审核人员写明理由后才能提交或发布" in html
    assert 'name="date_reason"' not in html
    assert not DateReason.objects.exists()
    assert article.current_workflow_state is None


def test_the_reason_field_shows_to_a_reviewer_opening_such_a_draft(
    article, editor_client, reviewer_client
):
    editor_client.post(edit_url(article), form_for(article, BEYOND))
    assert 'name="date_reason"' in reviewer_client.get(edit_url(article)).content.decode()
    assert 'name="date_reason"' not in editor_client.get(edit_url(article)).content.decode()


def test_approving_from_the_workflow_dialog_is_refused_without_a_reason(
    article, editor_client, reviewer_client
):
    page = ArticlePage.objects.get(pk=article.pk)
    page.published_at = BEYOND
    revision = page.save_revision(user=editor_client.user)
    workflow = Workflow.objects.get(name="文章审核")
    state = workflow.start(page, editor_client.user)
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    # Refused with the reason, on the article's page; the approval undone with the publish.
    response = reviewer_client.post(url, {"comment": ""})
    assert response.status_code == 302 and response.url == edit_url(page)
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == [
        "《三月的报道》未发布：发布时间 2025-03-05 10:00 比首次发布（2025-03-01 10:00）晚 4 天，"
        "超过允许的 1 天，须在本页写明“改期理由”后发布。"
    ]
    dialog = reviewer_client.post(
        url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert dialog.json()["step"] == "success" and dialog.json()["redirect"] == edit_url(page)
    assert ArticlePage.objects.get(pk=page.pk).current_workflow_state is not None
    assert live_date(article) == SHOWN and not DateChange.objects.exists()
    DateReason.objects.create(
        site=page.get_site(),
        page=page,
        published_at=BEYOND,
        reason="会议推迟，按实际日期",
        given_by=reviewer_client.user,
    )
    response = reviewer_client.post(url, {"comment": ""})
    assert response.status_code == 302
    assert live_date(article) == BEYOND
    change = DateChange.objects.get()
    assert change.reason == "会议推迟，按实际日期"
    assert change.changed_by == editor_client.user and revision.user == editor_client.user


def test_a_scheduled_go_live_is_recorded_as_scheduled(article, reviewer_client):
    page = ArticlePage.objects.get(pk=article.pk)
    page.published_at = WITHIN
    revision = page.save_revision(user=reviewer_client.user)
    revision.publish()  # nobody signed in: as the scheduler does
    change = DateChange.objects.get()
    assert (change.origin, change.published_by, change.changed_by) == (
        SCHEDULED,
        None,
        reviewer_client.user,
    )


def test_a_first_publication_is_recorded_only_with_a_later_date(column, reviewer_client):
    written_earlier = ArticlePageFactory(parent=column, published_at=SHOWN, live=False)
    with LogContext(user=reviewer_client.user):
        written_earlier.save_revision(user=reviewer_client.user).publish(user=reviewer_client.user)
    assert not DateChange.objects.exists()
    ahead = timezone.now() + timedelta(days=10)
    dated_ahead = ArticlePageFactory(parent=column, published_at=ahead, live=False)
    revision = dated_ahead.save_revision(user=reviewer_client.user)
    with LogContext(user=reviewer_client.user), pytest.raises(DateNeedsReason):
        revision.publish(user=reviewer_client.user)
    assert not ArticlePage.objects.get(pk=dated_ahead.pk).live
    give_reason(dated_ahead, ahead, reviewer_client.user, "预告性质的通知")
    with LogContext(user=reviewer_client.user):
        revision.publish(user=reviewer_client.user)
    change = DateChange.objects.get()
    assert (change.old, change.new, change.origin) == (None, ahead, FIRST)
    assert change.reason == "预告性质的通知"


def test_an_import_keeps_its_date_is_marked_and_needs_no_reason(column, reviewer_client):
    result = import_article(parse(VALID), column, publish=False, take_count=False)
    page = result.page
    source_date = datetime(2024, 3, 15, 9, 42, 10, tzinfo=SHANGHAI)
    assert page.published_at == source_date
    with LogContext(user=reviewer_client.user):
        page.get_latest_revision().publish(user=reviewer_client.user)
    assert live_date(page) == source_date
    change = DateChange.objects.get()
    assert change.origin == IMPORTED and change.get_origin_display() == "导入"
    # Even first published before its source's date, an imported article is no finding.
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=source_date - timedelta(days=30)
    )
    assert page.pk not in [found.pk for found in date_findings()]


def test_the_nightly_check_lists_a_later_date_with_no_reason(article):
    ArticlePage.objects.filter(pk=article.pk).update(published_at=BEYOND)
    assert [found.pk for found in date_findings()] == [article.pk]
    assert "无理由的文章 1 篇" in nightly.run()
    DateReason.objects.create(
        site=article.get_site(), page=article, published_at=BEYOND, reason="补记理由"
    )
    assert date_findings() == []
    assert "无理由的文章 0 篇" in nightly.run()


def test_the_report_shows_findings_and_changes_to_content_safety(
    article, reviewer_client, editor_client, django_user_model
):
    reviewer_client.post(
        edit_url(article),
        form_for(article, WITHIN, **{"action-publish": "action-publish"}),
    )
    ArticlePage.objects.filter(pk=article.pk).update(published_at=BEYOND)
    safety = user_in(django_user_model, CONTENT_SAFETY, "anquan", first_name="周安全")[1]
    findings = safety.get(reverse("quality_date_findings"))
    html = findings.content.decode()
    assert findings.status_code == 200
    assert "三月的报道" in html and "2025-03-05 10:00" in html and "2025-03-01 10:00" in html
    # 内容安全管理 may not edit pages: the title leads to the article as readers see it.
    assert edit_url(article) not in html
    assert f'href="{ArticlePage.objects.get(pk=article.pk).url}"' in html
    changes = safety.get(reverse("quality_date_changes")).content.decode()
    assert "2025-03-01 09:00" in changes and "2025-03-02 06:00" in changes and "编辑修改" in changes
    csv = safety.get(reverse("quality_date_changes") + "?export=csv").content.decode("utf-8-sig")
    assert "原发布时间" in csv and "三月的报道" in csv and "2025-03-01 09:00" in csv
    xlsx = safety.get(reverse("quality_date_findings") + "?export=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")
    refused = editor_client.get(reverse("quality_date_findings"))
    assert refused.status_code in (302, 403)
    assert (
        Group.objects.get(name=CONTENT_SAFETY)
        .permissions.filter(codename="view_datechange")
        .exists()
    )


def test_a_reader_sees_the_new_date_only_once_published(article, editor_client):
    editor_client.post(edit_url(article), form_for(article, BEYOND))
    assert "2025-03-01" in Client().get(article.url).content.decode()


def test_bulk_publishing_an_unexplained_date_publishes_nothing_and_says_why(
    article, column, reviewer_client
):
    other = ArticlePageFactory(parent=column, title="另一篇草稿", live=False)
    other.save_revision()
    page = ArticlePage.objects.get(pk=article.pk)
    page.published_at = BEYOND
    page.save_revision()
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
    url += f"?id={article.pk}&id={other.pk}&next=/admin/"
    response = reviewer_client.post(url)
    assert response.status_code == 302
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("未发布任何页面：《三月的报道》发布时间 2025-03-05 10:00" in text for text in said)
    assert live_date(article) == SHOWN
    assert not ArticlePage.objects.get(pk=other.pk).live


def test_a_reviewer_approving_in_the_editor_gives_the_reason_there(
    article, editor_client, reviewer_client
):
    response = editor_client.post(
        edit_url(article), form_for(article, WITHIN, **{"action-submit": "action-submit"})
    )
    assert response.status_code == 302
    approve = {"action-workflow-action": "true", "workflow-action-name": "approve"}
    response = reviewer_client.post(edit_url(article), form_for(article, BEYOND, **approve))
    assert response.status_code == 200
    assert 'name="date_reason"' in response.content.decode()
    assert live_date(article) == SHOWN
    response = reviewer_client.post(
        edit_url(article), form_for(article, BEYOND, date_reason="按会议实际日期", **approve)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert live_date(article) == BEYOND
    change = DateChange.objects.get()
    assert (change.reason, change.published_by) == ("按会议实际日期", reviewer_client.user)


def test_with_two_sites_the_reports_show_the_sites_a_user_is_tied_to(
    article, reviewer_client, django_user_model
):
    reviewer_client.post(
        edit_url(article), form_for(article, WITHIN, **{"action-publish": "action-publish"})
    )
    ArticlePage.objects.filter(pk=article.pk).update(published_at=BEYOND)
    root = Page.objects.get(depth=1)
    home = add_published(root, HomePage(title="区委党建网", slug="district"))
    Site.objects.create(hostname="district.example.cn", root_page=home)
    user, safety = user_in(django_user_model, CONTENT_SAFETY, "anquan2", first_name="吴安全")
    assert "三月的报道" not in safety.get(reverse("quality_date_changes")).content.decode()
    assert "三月的报道" not in safety.get(reverse("quality_date_findings")).content.decode()
    tie = Group.objects.create(name="本站内容安全")
    GroupPagePermission.objects.create(
        group=tie,
        page=article.get_site().root_page,
        permission=Permission.objects.get(codename="change_page"),
    )
    user.groups.add(tie)
    assert "三月的报道" in safety.get(reverse("quality_date_changes")).content.decode()
    assert "三月的报道" in safety.get(reverse("quality_date_findings")).content.decode()


def test_an_administrator_can_give_the_reports_to_another_group(superuser_client):
    group = Group.objects.get(name=CONTENT_SAFETY)
    html = superuser_client.get(
        reverse("wagtailusers_groups:edit", args=(group.pk,))
    ).content.decode()
    assert "发布时间变更" in html
    permission = Permission.objects.get(codename="view_datechange")
    assert f'value="{permission.pk}"' in html and "Can view" not in html


def test_with_date_reasons_emptied_nothing_is_refused_and_changes_are_still_recorded(
    article, reviewer_client, settings
):
    settings.DATE_REASONS = ""
    response = reviewer_client.post(
        edit_url(article), form_for(article, BEYOND, **{"action-publish": "action-publish"})
    )
    assert response.status_code == 302
    assert live_date(article) == BEYOND
    assert DateChange.objects.get().reason == ""


def test_a_late_date_is_said_in_whole_days_and_hours():
    assert date_gate.days_and_hours(timedelta(days=5)) == "5 天"
    assert date_gate.days_and_hours(timedelta(days=5, hours=3, minutes=10)) == "5 天 3 小时"
