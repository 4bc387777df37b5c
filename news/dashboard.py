"""The dashboard's 待审核的稿件 panel: articles awaiting the reviewer's decision."""

from wagtail.admin.ui.components import Component
from wagtail.models import GroupApprovalTask, TaskState

from news.models import ArticlePage

PANEL_ITEMS = 8


def reviewable_task_states(user):
    """Tasks in progress that `user` may decide, newest submission first. An article sent back
    for changes has no task in progress, so it leaves the list until it is resubmitted."""
    return (
        TaskState.objects.reviewable_by(user)
        .filter(workflow_state__base_content_type__model="page")
        .select_related("workflow_state__requested_by", "task")
        .order_by("-started_at")
    )


def can_review(user):
    return (
        user.is_superuser
        or GroupApprovalTask.objects.filter(active=True, groups__user=user).exists()
    )


class AwaitingReviewPanel(Component):
    name = "news_awaiting_review"
    order = 90
    template_name = "news/admin/panel_awaiting_review.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        states = list(reviewable_task_states(user)[:PANEL_ITEMS])
        pages = ArticlePage.objects.in_bulk(
            [int(state.workflow_state.object_id) for state in states]
        )
        resubmitted = set(
            TaskState.objects.filter(
                workflow_state__in=[state.workflow_state_id for state in states],
                status=TaskState.STATUS_REJECTED,
            ).values_list("workflow_state_id", flat=True)
        )
        return {
            "items": [
                {
                    "page": pages[int(state.workflow_state.object_id)],
                    "state": state.workflow_state,
                    "task_state": state,
                    "resubmitted": state.workflow_state_id in resubmitted,
                }
                for state in states
                if int(state.workflow_state.object_id) in pages
            ]
        }
