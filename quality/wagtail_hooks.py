"""The content quality app in the admin: 内容安全 (the 错敏词 lists and their allow-list,
quality/word_admin.py) and the log's words for the decisions taken on findings and lists."""

from wagtail import hooks

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
