"""The admin of 互动交流: the workflow's entries in Wagtail's log, each 征集's answers and
exports (interaction/survey_admin.py), reached from the page's own buttons, the deadlines on
the dashboard and in the menu (interaction/deadline_panel.py), and 设置 → 工作日调整
(interaction/workday_admin.py)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from interaction.deadline_panel import DeadlinesPanel, overdue_menu_item
from interaction.deadlines import handles_messages
from interaction.survey_admin import SurveyAnswersView, export_answers
from interaction.surveys import SurveyPage
from interaction.workday_admin import WorkdayExceptionViewSet
from interaction.workflow import ACTIONS


@hooks.register("register_log_actions")
def register_interaction_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_urls")
def register_survey_urls():
    return [
        path(
            "surveys/<int:page_id>/answers/",
            SurveyAnswersView.as_view(),
            name="interaction_survey_answers",
        ),
        path(
            "surveys/<int:page_id>/export/<str:kind>/",
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
