"""Admin dashboard panels: drafts awaiting review, and this week's most read articles."""

from wagtail.admin.ui.components import Component
from wagtail.models import WorkflowState

from .models import ArticlePage
from .ranking import most_read

PANEL_ITEMS = 8


class AwaitingReviewPanel(Component):
    name = "news_awaiting_review"
    order = 90
    template_name = "news/admin/panel_awaiting_review.html"

    def get_context_data(self, parent_context):
        states = (
            WorkflowState.objects.active()
            .filter(base_content_type__model="page")
            .select_related("requested_by", "current_task_state__task")
            .order_by("-created_at")[:PANEL_ITEMS]
        )
        pages = ArticlePage.objects.in_bulk([int(state.object_id) for state in states])
        return {
            "items": [
                {"page": pages[int(state.object_id)], "state": state}
                for state in states
                if int(state.object_id) in pages
            ]
        }


class MostReadPanel(Component):
    name = "news_most_read"
    order = 95
    template_name = "news/admin/panel_most_read.html"

    def get_context_data(self, parent_context):
        return {"articles": most_read("week")[:PANEL_ITEMS]}
