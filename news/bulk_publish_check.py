"""Bulk 发布 of pages, past the 错敏词 check: the selected pages that pass are published, and those
that do not are named with their findings and left as they are (an editor who selects twenty
articles should not lose nineteen to one word). With 包括子页面, a blocked draft below a selected
page stops the whole action instead, since Wagtail publishes those in the same run and could not
leave one out; nothing is published and each is named."""

from django.contrib import messages
from django.shortcuts import redirect
from wagtail.models import Page

from core import content_gate

LEFT_OUT = "以下页面含有须改正的错敏词，未发布：{pages}。"
NOTHING_PUBLISHED = "以下子页面含有须改正的错敏词，本次批量发布未发布任何页面：{pages}。"


def blocked(page):
    """The verdict on what publishing `page` would put out: its latest revision."""
    specific = page.specific
    return content_gate.check_object(specific, revision=specific.get_latest_revision())


def named(refused):
    return "；".join(
        f"《{page.get_admin_display_title()}》（{content_gate.describe_all(verdict.blocking)}）"
        for page, verdict in refused
    )


def refuse_blocked_pages(request, action_type, objects, action):
    """`before_bulk_action`: takes the blocked pages out of `objects`, the list Wagtail goes on to
    publish."""
    if action_type != "publish" or not issubclass(action.model, Page):
        return None
    refused = []
    for page in list(objects):
        verdict = blocked(page)
        if not verdict:
            refused.append((page.specific, verdict))
            objects.remove(page)
    form = getattr(action, "cleaned_form", None)
    if form is not None and form.cleaned_data.get("include_descendants"):
        below = [
            (draft.specific, verdict)
            for page in objects
            for draft in page.get_descendants().not_live().specific()
            if not (verdict := blocked(draft))
        ]
        if below:
            messages.error(request, NOTHING_PUBLISHED.format(pages=named(below + refused)))
            return redirect(action.next_url)
    if refused:
        messages.error(request, LEFT_OUT.format(pages=named(refused)))
    if refused and not objects:
        return redirect(action.next_url)
    return None
