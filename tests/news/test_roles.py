"""The three roles: each can do its job, and gets no entry anywhere else, including the
permission holes Wagtail has had (revision compare, history, copy, settings by URL, previews)."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission, WorkflowState

from contact.models import ContactDetails, FooterSettings
from interaction.message_roles import HANDLERS, RECEIVERS
from news.models import ArticlePage
from news.roles import CONTACT_STAFF, EDITORS, REVIEWERS, ensure_roles
from quality.safety_roles import CONTENT_SAFETY
from security.administrators import ADMINISTRATOR_ROLES
from tests.admin_forms import article_form, contact_form, submit_article, user_in
from tests.factories import ArticlePageFactory, make_contact


def denied(response):
    """Wagtail answers 403, or redirects to the dashboard with a "no permission" message."""
    return response.status_code == 403 or (
        response.status_code == 302
        and response["Location"] in {reverse("wagtailadmin_home"), "/admin/"}
    )


def test_roles_are_idempotent(site):
    ensure_roles()
    ensure_roles()
    assert Group.objects.filter(name__in=[EDITORS, REVIEWERS, CONTACT_STAFF]).count() == 3


def test_editor_creates_and_submits_but_cannot_publish(editor_client, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    assert editor_client.get(url).status_code == 200
    editor_client.post(url, {**article_form(title="想直接发布"), "action-publish": "publish"})
    assert not ArticlePage.objects.filter(title="想直接发布", live=True).exists()
    page = submit_article(editor_client, column)
    assert not page.live
    assert WorkflowState.objects.filter(object_id=str(page.pk), status="in_progress").exists()


def test_editor_uploads_images(editor_client):
    assert editor_client.get(reverse("wagtailimages:add")).status_code == 200
    assert editor_client.get(reverse("wagtaildocs:add")).status_code == 200


def approve(reviewer_client, page, action="approve", comment="同意发布"):
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return reviewer_client.post(url, {"comment": comment})


def test_reviewer_approves_with_a_comment_and_the_article_goes_live(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    response = approve(reviewer_client, page)
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert Client().get(page.url).status_code == 200


def test_reviewer_requests_changes_and_the_editor_sees_them(editor_client, reviewer_client, column):
    page = submit_article(editor_client, column)
    approve(reviewer_client, page, action="reject", comment="请补充议程二")
    page.refresh_from_db()
    assert not page.live
    state = WorkflowState.objects.get(object_id=str(page.pk))
    assert state.status == "needs_changes"
    edit = editor_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "请补充议程二" in edit


def test_reviewer_unpublishes(reviewer_client, column):
    page = ArticlePageFactory(parent=column)
    response = reviewer_client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live


def test_editor_cannot_reach_the_home_page_contact_or_settings(editor_client, site, home):
    contact = make_contact(site)
    contact.save_revision()
    for url in [
        reverse("wagtailadmin_pages:edit", args=(home.pk,)),
        reverse("wagtailadmin_pages:history", args=(home.pk,)),
        reverse("wagtailadmin_pages:revisions_compare", args=(home.pk, "earliest", "latest")),
        reverse("wagtailadmin_pages:copy", args=(home.pk,)),
        reverse("wagtailadmin_pages:preview_on_edit", args=(home.pk,)),
        reverse("wagtailsnippets_contact_contactdetails:list"),
        reverse("wagtailsnippets_contact_contactdetails:edit", args=(contact.pk,)),
        reverse("wagtailsnippets_contact_contactdetails:history", args=(contact.pk,)),
        reverse("wagtailsnippets_contact_contactdetails:copy", args=(contact.pk,)),
        reverse("wagtailsettings:edit", args=("contact", "footersettings", site.pk)),
        reverse("wagtailusers_users:index"),
    ]:
        assert denied(editor_client.get(url)), url
    assert denied(
        editor_client.post(
            reverse("wagtailsettings:edit", args=("contact", "footersettings", site.pk)),
            {"icp_number": "x"},
        )
    )
    assert not FooterSettings.objects.filter(icp_number="x").exists()


def test_contact_staff_publish_contact_details(staff_client, site):
    url = reverse("wagtailsnippets_contact_contactdetails:add")
    response = staff_client.post(url, {**contact_form(site), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert ContactDetails.objects.get().live


def test_contact_staff_cannot_touch_pages(staff_client, column, home):
    page = ArticlePageFactory(parent=column)
    for url in [
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk)),
        reverse("wagtailadmin_pages:history", args=(page.pk,)),
        reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "earliest", "latest")),
        reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,)),
        reverse("news_most_read"),
    ]:
        assert denied(staff_client.get(url)), url


def test_new_column_is_open_to_editors_at_once(editor_client, home):
    from news.models import NewsIndexPage

    column = NewsIndexPage(title="新栏目", slug="new-column")
    home.add_child(instance=column)
    column.save_revision().publish()
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    assert editor_client.get(url).status_code == 200


def test_review_step_can_be_switched_off(settings, site, editor_client, column):
    settings.ARTICLE_REVIEW = False
    settings.WAGTAIL_WORKFLOW_ENABLED = False
    ensure_roles()
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    editor_client.post(url, {**article_form(), "action-publish": "publish"})
    assert ArticlePage.objects.get(title="后台创建的文章").live
    settings.ARTICLE_REVIEW = True
    ensure_roles()
    assert not GroupPagePermission.objects.filter(
        group__name=EDITORS, permission__codename="publish_page"
    ).exists()


def test_dashboard_shows_drafts_awaiting_review_and_most_read(
    editor_client, reviewer_client, column
):
    from django.utils.timezone import localdate

    from news.hits.models import PageDailyHits

    submit_article(editor_client, column)
    popular = ArticlePageFactory(parent=column, title="本周热门")
    PageDailyHits.objects.create(page=popular, day=localdate(), hits=12)
    html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待审核的稿件" in html and "后台创建的文章" in html
    assert "本周阅读排行" in html and "本周热门" in html and "12 次" in html


def test_contact_staff_dashboard_has_no_newsroom_panels(staff_client):
    html = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "待审核的稿件" not in html


def test_locked_contact_details_cannot_be_saved_by_someone_else_who_keeps_their_text(
    site, django_user_model
):
    contact = make_contact(site)
    contact.save_revision().publish()
    first_user, first = user_in(django_user_model, CONTACT_STAFF, "first")
    _, second = user_in(django_user_model, CONTACT_STAFF, "second")
    first.post(reverse("wagtailsnippets_contact_contactdetails:lock", args=(contact.pk,)))
    contact.refresh_from_db()
    assert contact.locked and contact.locked_by == first_user
    url = reverse("wagtailsnippets_contact_contactdetails:edit", args=(contact.pk,))
    form = contact_form(site, address="第二个人改的地址")
    response = second.post(url, {**form, "action-publish": "publish"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "locked" in html or "锁定" in html
    assert "第二个人改的地址" in html  # their text is still in the form
    contact.refresh_from_db()
    assert contact.address == "测试市测试路1号"


def test_two_editors_saving_in_turn_both_keep_their_versions(staff_client, site):
    from wagtail.models import Revision

    contact = make_contact(site)
    contact.save_revision().publish()
    url = reverse("wagtailsnippets_contact_contactdetails:edit", args=(contact.pk,))
    staff_client.post(url, contact_form(site, address="甲的地址"))
    staff_client.post(url, contact_form(site, address="乙的地址"))
    addresses = [
        rev.content["address"] for rev in Revision.objects.for_instance(contact).order_by("pk")
    ]
    assert addresses[-2:] == ["甲的地址", "乙的地址"]


def test_contact_staff_revert_to_an_earlier_revision(staff_client, site):
    from wagtail.models import Revision

    contact = make_contact(site)
    first = contact.save_revision()
    first.publish()
    url = reverse("wagtailsnippets_contact_contactdetails:edit", args=(contact.pk,))
    staff_client.post(
        url, {**contact_form(site, address="改错的地址"), "action-publish": "publish"}
    )
    contact.refresh_from_db()
    assert contact.address == "改错的地址"
    revert = reverse(
        "wagtailsnippets_contact_contactdetails:revisions_revert", args=(contact.pk, first.pk)
    )
    assert staff_client.get(revert).status_code == 200
    staff_client.post(
        revert, {**contact_form(site, address="测试市测试路1号"), "action-publish": "publish"}
    )
    contact.refresh_from_db()
    assert contact.address == "测试市测试路1号"
    assert Revision.objects.for_instance(contact).count() == 3
    assert "测试市测试路1号" in Client().get("/").content.decode()


def test_only_the_sites_roles_exist_and_permissions_have_chinese_names(admin_client, site):
    assert set(Group.objects.values_list("name", flat=True)) == {
        EDITORS,
        REVIEWERS,
        CONTACT_STAFF,
        *ADMINISTRATOR_ROLES,
        RECEIVERS,
        HANDLERS,
        CONTENT_SAFETY,
    }
    group = Group.objects.get(name=EDITORS)
    html = admin_client.get(reverse("wagtailusers_groups:edit", args=(group.pk,))).content.decode()
    assert "Can add" not in html and "Can change" not in html and "Publish any page" not in html
    assert "可以添加页面" in html and "可以登录管理后台" in html
    from wagtail.models import Workflow

    assert not Workflow.objects.filter(name="Moderators approval").exists()


def test_members_of_wagtails_default_groups_keep_working_in_the_sites_roles(
    site, django_user_model
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("news.migrations.0008_only_the_sites_roles")
    moderators = Group.objects.create(name="Moderators")
    user = django_user_model.objects.create_user("old-moderator", password="x")
    user.groups.add(moderators)
    migration.keep_only_the_sites_roles(apps, None)
    assert not Group.objects.filter(name="Moderators").exists()
    assert list(user.groups.values_list("name", flat=True)) == [REVIEWERS]


def test_contact_staff_see_no_draft_titles_in_the_page_chooser_and_no_article_menu(
    staff_client, column
):
    ArticlePageFactory(parent=column, title="尚未发布的草稿标题", live=False)
    ArticlePageFactory(parent=column, title="已经发布的文章标题")
    chooser = staff_client.get(reverse("wagtailadmin_choose_page_child", args=(column.pk,)))
    html = chooser.json()["html"]
    assert "已经发布的文章标题" in html
    assert "尚未发布的草稿标题" not in html
    search = staff_client.get(
        reverse("wagtailadmin_choose_page_search"), {"q": "标题"}
    ).content.decode()
    assert "尚未发布的草稿标题" not in search
    dashboard = staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("articles:index") not in dashboard
    assert reverse("news_most_read") not in dashboard


@pytest.mark.parametrize("action", ["publish", "unpublish", "move", "delete", "set_privacy"])
def test_contact_staff_read_no_page_titles_through_the_bulk_actions(
    staff_client, editor_client, column, action
):
    draft = ArticlePageFactory(parent=column, title="尚未发布的草稿标题", live=False)
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
        + f"?id={draft.pk}&id={column.pk}"
    )
    answer = staff_client.get(url)
    assert denied(answer)
    assert "尚未发布的草稿标题" not in staff_client.get(url, follow=True).content.decode()
    assert denied(staff_client.post(url, {}))
    # The people who work on pages keep them.
    assert editor_client.get(url).status_code in (200, 404)


def bulk_action_buttons(client, column):
    """The bulk actions the 文章 listing and the column's page listing offer."""
    ArticlePageFactory(parent=column)
    offered = set()
    for url in [reverse("articles:index"), reverse("wagtailadmin_explore", args=(column.pk,))]:
        html = client.get(url).content.decode()
        offered |= set(re.findall(r'href="/admin/bulk/wagtailcore/page/(\w+)/"', html))
    return offered


def test_editors_are_not_offered_bulk_publishing(editor_client, reviewer_client, column):
    assert bulk_action_buttons(editor_client, column) == {"move", "delete"}
    assert {"publish", "unpublish"} <= bulk_action_buttons(reviewer_client, column)


def test_only_people_who_work_on_pages_are_offered_the_dashboards_page_search(
    staff_client, editor_client
):
    assert "搜索所有页面" not in staff_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "搜索所有页面" in editor_client.get(reverse("wagtailadmin_home")).content.decode()


def test_ensure_roles_makes_the_reviewers_media_permission_again_if_it_was_deleted(site):
    Permission.objects.filter(codename="change_media_in_use").delete()
    ensure_roles()
    reviewers = Group.objects.get(name=REVIEWERS)
    made = reviewers.permissions.get(codename="change_media_in_use")
    assert made.content_type.model == "replacedfile"
    assert not Group.objects.get(name=EDITORS).permissions.filter(pk=made.pk).exists()
