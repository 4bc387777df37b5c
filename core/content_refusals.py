"""What the 错敏词 check says to staff in the admin, whichever way they asked to publish.

A publish refused at the last gate (core/publishing.py raises ContentBlocked, and the transaction
it was in, a workflow approval's among them, is undone) comes back as a Chinese message naming
each finding, on the page the request came from, instead of a 500: the dashboard's 批准 and its
批准并附言 dialog (which expects JSON), a revision's 恢复并发布, anything else in the admin. And
the warnings (易错词) of an action the edit form let through (core/gate_forms.py) are said once it
is done, without stopping it; a 规范表述 whose wording a reviewer kept with a reason is said apart,
as kept, not as a word to mind.
"""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import empty
from django.utils.http import url_has_allowed_host_and_scheme
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.models import Page

from core import content_gate
from core.gate_forms import WARNINGS_ATTRIBUTE

REFUSED = "未能发布：{findings}。请改正后再发布。"
WARNED = "请留意以下易错词（不影响发布）：{findings}。"
KEPT = "已保留原写法的规范表述（审核人员已写明理由）：{findings}。"


def refusal_message(verdict):
    return REFUSED.format(findings=content_gate.describe_all(verdict.blocking))


class ContentGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = signed_in_user(request)
        warnings = getattr(user, WARNINGS_ATTRIBUTE, None) if user is not None else None
        if warnings and hasattr(request, "_messages"):
            setattr(user, WARNINGS_ATTRIBUTE, None)
            say_warnings(request, warnings)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, content_gate.ContentBlocked):
            return None
        if not request.path.startswith("/admin/") or not hasattr(request, "_messages"):
            return None
        user = signed_in_user(request)
        if user is not None:
            # The form let the action through, the last gate did not: nothing was done to mind.
            setattr(user, WARNINGS_ATTRIBUTE, None)
        messages.error(request, refusal_message(exception.verdict))
        back = way_back(request, getattr(exception, "obj", None))
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            # The workflow dialog's script follows `redirect` on success, and shows the message.
            return render_modal_workflow(
                request, "", None, {}, json_data={"step": "success", "redirect": back}
            )
        return HttpResponseRedirect(back)


def say_warnings(request, warnings):
    kept = [finding for finding in warnings if finding.kind == content_gate.STANDARD]
    others = [finding for finding in warnings if finding.kind != content_gate.STANDARD]
    if others:
        messages.warning(request, WARNED.format(findings=content_gate.describe_all(others)))
    if kept:
        messages.info(request, KEPT.format(findings=content_gate.describe_all(kept)))


def signed_in_user(request):
    """The user an admin view has already read, or None: never read here, or a public page would
    touch the session (and vary by its cookie) for nothing."""
    if not request.path.startswith("/admin/"):
        return None
    user = request.__dict__.get("user")
    wrapped = getattr(user, "_wrapped", user)
    return None if wrapped is None or wrapped is empty else wrapped


def way_back(request, obj):
    """Where the request came from (its `next`, or the page that sent it), else the editor of
    what was refused, else the dashboard."""
    for candidate in (
        request.POST.get("next"),
        request.GET.get("next"),
        request.headers.get("referer"),
    ):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    if isinstance(obj, Page) and obj.pk:
        return reverse("wagtailadmin_pages:edit", args=(obj.pk,))
    return reverse("wagtailadmin_home")
