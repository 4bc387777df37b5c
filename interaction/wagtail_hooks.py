"""The admin of 互动交流: the workflow's entries in Wagtail's log."""

from wagtail import hooks

from interaction.workflow import ACTIONS


@hooks.register("register_log_actions")
def register_interaction_actions(actions):
    for action, label in ACTIONS.items():
        actions.register_action(action, label, label)
