"""The dashboard of those who handle messages (interaction/deadlines.py's handles_messages):
the 来信办理时限 panel, one line per channel with its oldest unanswered message, and the 超期来信
menu item, shown with the number of overdue messages only while there are some: the notice that
carries the reminders in the admin when no mail server sends them.

The panel names each channel's oldest message by its 受理编号 and title, linked to its page in the
admin (interaction/staff_views.py), and the menu item leads to the 来信 listing's overdue filter."""

from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.sidebar import LinkMenuItem

from interaction import deadlines

PANEL_ID = "interaction-deadlines"


def _overdue_count(request):
    """Counted once per request: the menu asks whether to show the item, then for its label."""
    if not hasattr(request, "_interaction_overdue"):
        user = request.user
        request._interaction_overdue = (
            deadlines.overdue_count(user) if deadlines.handles_messages(user) else 0
        )
    return request._interaction_overdue


class DeadlinesPanel(Component):
    name = "interaction_deadlines"
    # Above the newsroom's panels: an overdue message costs the site its inspection.
    order = 50
    template_name = "interaction/admin/panel_deadlines.html"

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        rows = deadlines.summaries(deadlines.handled_by(request.user))
        return {
            "panel_id": PANEL_ID,
            "rows": rows,
            "overdue": sum(row.overdue for row in rows),
            "due_soon": sum(row.due_soon for row in rows),
        }


class OverdueMenuItem(MenuItem):
    """超期来信（N）: a red flag in the menu, leading to the 来信 listing of the overdue ones,
    while N is not 0."""

    def is_shown(self, request):
        return _overdue_count(request) > 0

    def render_component(self, request):
        return LinkMenuItem(
            self.name,
            f"超期来信（{_overdue_count(request)}）",
            self.url,
            icon_name=self.icon_name,
            classname=self.classname,
            attrs=self.attrs,
        )


def overdue_menu_item():
    return OverdueMenuItem(
        "超期来信",
        f"{reverse('interaction_messages:index')}?overdue=yes",
        name="interaction-overdue",
        icon_name="warning",
        order=5,
    )
