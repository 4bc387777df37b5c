"""The admin of 互动交流: the workflow's entries in Wagtail's log; the 互动交流 menu with the 来信
listing and message pages (interaction/staff_views.py) and the 办理单位 of each site (one that
messages were forwarded to is not deleted, nor a channel that has messages); each 征集's
answers and exports (interaction/survey_admin.py), reached from the page's own buttons; the
deadlines on the dashboard and in the menu (interaction/deadline_panel.py); and 设置 → 工作日调整
(interaction/workday_admin.py)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, re_path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from core.protected_delete import RefuseProtectedDeleteMixin
from interaction.deadline_panel import DeadlinesPanel, overdue_menu_item
from interaction.deadlines import handles_messages
from interaction.models import ChannelPage, HandlingUnit, Message
from interaction.staff_access import may_use
from interaction.staff_views import AttachmentView, MessageIndexView, MessageView
from interaction.survey_admin import SurveyAnswersView, export_answers
from interaction.surveys import SurveyPage
from interaction.workday_admin import WorkdayExceptionViewSet
from interaction.workflow import ACTIONS


@hooks.register("register_log_actions")
def register_interaction_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


# A page's id of at most 18 digits: a longer number is no page, and SQLite cannot be asked for it.
PAGE_ID = r"(?P<page_id>[0-9]{1,18})"


@hooks.register("register_admin_urls")
def register_survey_urls():
    return [
        re_path(
            rf"^surveys/{PAGE_ID}/answers/$",
            SurveyAnswersView.as_view(),
            name="interaction_survey_answers",
        ),
        re_path(
            rf"^surveys/{PAGE_ID}/export/(?P<kind>[a-z]+)/$",
            export_answers,
            name="interaction_survey_export",
        ),
    ]


def survey_answers_button(page, user, priority):
    if (
        isinstance(page.specific_deferred, SurveyPage)
        and page.permissions_for_user(user).can_edit()
    ):
        yield Button(
            "答卷与统计",
            reverse("interaction_survey_answers", args=[page.pk]),
            icon_name="list-ul",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def survey_header_buttons(page, user, view_name, next_url=None):
    yield from survey_answers_button(page, user, 40)


@hooks.register("register_page_listing_more_buttons")
def survey_listing_buttons(page, user, next_url=None):
    yield from survey_answers_button(page, user, 45)


class StaffMenuItem(MenuItem):
    """Shown to the staff of 互动交流 only (the views refuse everyone else as well)."""

    def is_shown(self, request):
        return may_use(request.user)


class MessageViewSet(ViewSet):
    name = "interaction_messages"
    url_prefix = "interaction/messages"
    icon = "mail"
    menu_label = "来信"
    menu_order = 100

    @property
    def menu_item_class(self):
        return StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", MessageIndexView.as_view(), name="index"),
            path("results/", MessageIndexView.as_view(results_only=True), name="index_results"),
            path("<int:pk>/", MessageView.as_view(), name="detail"),
            path("<int:pk>/attachment/", AttachmentView.as_view(), name="attachment"),
        ]


class HandlingUnitDeleteView(RefuseProtectedDeleteMixin, DeleteView):
    """A unit messages were forwarded to stays: their history names it."""


class HandlingUnitViewSet(ModelViewSet):
    """办理单位, per site; Wagtail's model permissions (add/change/delete_handlingunit), which
    no role holds: superusers manage them."""

    model = HandlingUnit
    delete_view_class = HandlingUnitDeleteView
    name = "interaction_units"
    url_prefix = "interaction/units"
    icon = "group"
    menu_label = "办理单位"
    menu_order = 200
    form_fields = ["site", "name", "group", "email"]
    list_display = ["name", "site", "group", "email"]
    list_filter = ["site"]
    search_fields = ["name"]
    inspect_view_enabled = False


class InteractionMenu(ViewSetGroup):
    menu_label = "互动交流"
    menu_icon = "comment"
    menu_order = 250
    items = (MessageViewSet, HandlingUnitViewSet)


@hooks.register("register_admin_viewset")
def register_interaction_menu():
    return InteractionMenu()


@hooks.register("before_delete_page")
def keep_channels_with_messages(request, page):
    """A channel that has received messages is never deleted, nor a page above one: the
    messages and their history stay (Message.channel protects it). Unpublishing takes it off the
    site."""
    if not Message.objects.filter(channel__path__startswith=page.path).exists():
        return None
    where = "" if page.specific_class is ChannelPage else "下级的"
    messages.error(
        request,
        f"“{page.title}”{where}留言渠道已收到来信，不能删除：来信和办理记录要保留。"
        "如不再使用，请取消发布。",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("construct_homepage_panels")
def add_deadlines_panel(request, panels):
    if handles_messages(request.user):
        panels.append(DeadlinesPanel())


@hooks.register("register_admin_menu_item")
def register_overdue_menu_item():
    return overdue_menu_item()


@hooks.register("register_admin_viewset")
def register_workday_exceptions():
    return WorkdayExceptionViewSet()
