"""The 审核 loop as editors and reviewers meet it: the reviewer's comment at the top of the
article being corrected, confirmations that say what happened, and a history that says who set a
publishing schedule without reading as if they had edited the text."""

import json
import re

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
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
        # No one: an automated step (the 错敏词 check) sent it back.
        "reviewer": (
            (reviewer.get_full_name() or reviewer.get_username())
            if reviewer
            else f"自动{task_state.task.name}"
        ),
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


SET_SCHEDULE = "news.set_schedule"
SCHEDULE_FIELDS = {"go_live_at", "expire_at"}
# What a page's own bookkeeping changes from one revision to the next, with no one editing.
BOOKKEEPING = {
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "live",
    "live_revision",
    "first_published_at",
    "last_published_at",
    "draft_title",
    "locked",
    "locked_at",
    "locked_by",
    "url_path",
    "numchild",
    "expired",
}


# Draftail marks each paragraph of rich text with a data-block-key when an article is opened in
# the editor; an article imported or made without the editor gains them on its first save.
BLOCK_KEY = re.compile(r' data-block-key=\\*"[^"\\]*\\*"')
UNCHANGED, SCHEDULE_ONLY, EDITED = "unchanged", "schedule only", "edited"


def draft_change(page, latest):
    """What a new draft of the page would change from the latest revision: nothing (an article
    opened and decided on, or a save clicked with no change), its publishing schedule only (the
    设置发布计划 dialog saves the whole form), or more."""
    # Compared as stored: a revision's content is the page's data through Django's JSON encoder.
    before, after = as_stored(latest.content), as_stored(page.serializable_data())
    changed = {
        key
        for key in (before.keys() | after.keys()) - BOOKKEEPING
        if without_block_keys(before.get(key)) != without_block_keys(after.get(key))
    }
    if not changed:
        return UNCHANGED
    return SCHEDULE_ONLY if changed <= SCHEDULE_FIELDS else EDITED


def as_stored(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def without_block_keys(value):
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return BLOCK_KEY.sub("", text)


def describe_schedule(revision):
    """The schedule a revision holds, as the 设置发布计划 entry of the history says it."""
    from django.utils.dateparse import parse_datetime

    content = revision.content if revision is not None else {}
    parts = []
    for field, label in (("go_live_at", "上线"), ("expire_at", "过期")):
        value = content.get(field)
        at = parse_datetime(value) if value else None
        parts.append(f"{label}：{localtime(at).strftime('%Y-%m-%d %H:%M') if at else '未设置'}")
    return "；".join(parts)
