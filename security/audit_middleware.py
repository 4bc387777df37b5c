"""Keeps the request being answered for the audit log's records written from signals
(security/audit.py), and records what only the response shows: every spreadsheet the admin sends
(any report's CSV or XLSX, the audit log's own included) and every refusal of a signed-in user in
the admin, whether a 403 or Wagtail's own way of refusing (wagtail.admin.auth.permission_denied:
a redirect to the dashboard with an error message, which is what this looks for).
"""

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext

from security import audit

EXPORT_TYPES = (
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        token = audit.current_request.set(request)
        try:
            response = self.get_response(request)
            self.after(request, response)
            return response
        finally:
            audit.current_request.reset(token)

    def after(self, request, response):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        if not request.path_info.startswith(self.admin_prefix):
            return
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        target = request.get_full_path()[:255]
        if response.status_code == 403 or wagtail_refused(request):
            audit.record("permission_denied", obj=target, outcome=audit.DENIED)
        elif response.status_code == 200 and response.get("Content-Type", "").startswith(
            EXPORT_TYPES
        ):
            audit.record("export", obj=target)


def wagtail_refused(request):
    refusal = gettext("Sorry, you do not have permission to access this area.")
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", ())
    # Wagtail renders the text into its message markup.
    return any(m.level == messages.ERROR and refusal in str(m.message) for m in queued)
