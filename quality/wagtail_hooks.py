"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py), the 检查错敏词 button of the page editor
(quality/check_button.py) and the log's words for the decisions taken on findings and lists."""

from django.urls import path
from wagtail import hooks

from quality.check_button import CheckMenuItem, CheckView
from quality.overrides import ACTIONS as OVERRIDE_ACTIONS
from quality.word_admin import ACTIONS as WORD_LIST_ACTIONS
from quality.word_admin import ContentSafetyMenu

# 错敏词 -----------------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_word_check_actions(actions):
    for action, label in OVERRIDE_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_log_actions")
def register_word_list_actions(actions):
    for action, label in WORD_LIST_ACTIONS.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_viewset")
def register_content_safety_menu():
    return ContentSafetyMenu()


# 检查错敏词 in the page editor (quality/check_button.py) ------------------------------------------


@hooks.register("register_admin_urls")
def register_check_urls():
    return [
        path("quality/check/<int:page_id>/", CheckView.as_view(), name="quality_check_page"),
        path(
            "quality/check/new/<slug:app_label>/<slug:model_name>/<int:parent_id>/",
            CheckView.as_view(),
            name="quality_check_new_page",
        ),
    ]


@hooks.register("register_page_action_menu_item")
def register_check_menu_item():
    return CheckMenuItem(order=60)
