"""The content quality app in the admin."""

from wagtail import hooks

from quality.overrides import ACTIONS as OVERRIDE_ACTIONS

# 错敏词 -----------------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_word_check_actions(actions):
    for action, label in OVERRIDE_ACTIONS.items():
        actions.register_action(action, label, label)
