"""The 审核 loop as editors and reviewers meet it: the reviewer's comment at the top of the
article being corrected, and confirmations that say what happened."""

from django.contrib import messages
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from wagtail.admin.panels import Panel


def reviewer_feedback(page):
    """Who sent the article back, when, and what they wrote; None unless it is sent back now."""
    if page is None or page.pk is None:
        return None
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_NEEDS_CHANGES:
        return None
    task_state = state.current_task_state
    reviewer = task_state.finished_by
    return {
        "reviewer": (reviewer.get_full_name() or reviewer.get_username()) if reviewer else "",
        "at": task_state.finished_at,
        "comment": task_state.get_comment(),
        "task": task_state.task.name,
    }


class ReviewFeedbackPanel(Panel):
    """Shown above the article form while it is sent back for changes, until it is resubmitted:
    Wagtail keeps the comment two clicks away, in the workflow history."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "news/admin/review_feedback_panel.html"

        @cached_property
        def feedback(self):
            return reviewer_feedback(self.instance)

        def is_shown(self):
            return self.feedback is not None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["feedback"] = self.feedback
            return context


def confirmation(request, page):
    """What a reviewer's or an editor's action on an article did, in words, or None to keep
    Wagtail's message."""
    title = page.get_admin_display_title()
    action = request.POST.get("workflow-action-name")
    if action == "reject":
        return f"《{title}》已退回修改，编辑打开文章时会看到你的意见。"
    if action == "approve":
        return approval(page, title)
    if request.POST.get("action-restart-workflow"):
        return f"《{title}》已重新提交，审核从第一步重新开始。"
    if request.POST.get("action-submit"):
        if was_sent_back(page):
            return f"《{title}》已修改并重新提交审核。"
        return f"《{title}》已提交审核，审核人员会在控制面板的“待审核的稿件”中看到它。"
    return None


def approval(page, title):
    """An approval publishes the article, schedules it (a go-live time still ahead), or, in a
    workflow of several steps, hands it to the next one."""
    page.refresh_from_db(fields=["live", "has_unpublished_changes"])
    # Not page.scheduled_revision: that is cached, and may have been read before the approval.
    scheduled = page.revisions.exclude(approved_go_live_at=None).first()
    if scheduled is not None:
        at = localtime(scheduled.approved_go_live_at).strftime("%Y-%m-%d %H:%M")
        return f"《{title}》已批准，将于 {at} 发布。"
    if page.live and not page.has_unpublished_changes:
        return f"《{title}》已批准并发布。"
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_IN_PROGRESS:
        return f"《{title}》已批准，进入下一步审核。"
    return f"《{title}》已批准。"


def was_sent_back(page):
    """Whether the article's review, now running again, sent it back before."""
    state = page.current_workflow_state
    return state is not None and state.task_states.filter(status="rejected").exists()


def replace_last_success_message(request, text):
    """Wagtail has queued its own confirmation; put `text` in its place, keeping the others."""
    queued = list(messages.get_messages(request))  # reading them takes them off the queue
    for position in range(len(queued) - 1, -1, -1):
        if queued[position].level == messages.SUCCESS:
            del queued[position]
            break
    for message in queued:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    messages.success(request, text)
