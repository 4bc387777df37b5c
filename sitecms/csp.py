"""Content-Security-Policy (django-csp): strict on the public site, relaxed in the admin.

Public pages load only the site's own scripts, styles, pictures and fonts, so a script that found
its way into an article could neither run inline nor load from elsewhere. The Wagtail admin relies
on inline scripts and styles: there the enforced policy only forbids plugins, a changed <base>,
framing by other sites and sending forms elsewhere, and the strict policy is sent report-only, so
what would break is reported without breaking the editors' work.
"""

import json
import logging

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

REPORT_MAX_BYTES = 16 * 1024


class AreaPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policies for the admin's URLs.

    Outside the admin the settings' CONTENT_SECURITY_POLICY applies, with no report-only policy.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.admin_prefix = reverse("wagtailadmin_home")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and request.path_info.startswith(self.admin_prefix):
            policy = (
                settings.CONTENT_SECURITY_POLICY
                if report_only
                else settings.ADMIN_CONTENT_SECURITY_POLICY
            )
            parts.config = default_config(policy["DIRECTIVES"])
        return parts


@csrf_exempt  # browsers send reports without a token
def report(request):
    """Log a browser's report of a blocked resource as one line; nothing is stored."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    body = request.read(REPORT_MAX_BYTES)
    try:
        violation = json.loads(body).get("csp-report", {})
        summary = {
            key: str(violation.get(key, ""))[:200]
            for key in ("document-uri", "violated-directive", "blocked-uri", "disposition")
        }
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    logger.warning("Content-Security-Policy violation: %s", json.dumps(summary, ensure_ascii=False))
    return HttpResponse(status=204)
