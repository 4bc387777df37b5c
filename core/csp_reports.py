"""/csp-report/: browsers' reports of what the Content-Security-Policy (core/csp.py) blocked,
logged as one line each and never stored.

Anyone can post here, so nothing posted may cost more than a little: the body is read up to
REPORT_MAX_BYTES, anything that is not a JSON report (also JSON nested deeper than Python's
parser goes) gets 400, and one address may report REPORTS_PER_MINUTE times, counted by the
reader's own address (core/clients.py), not a proxy's, so one client cannot silence everyone's
reports."""

import json
import logging

from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from core import limits

logger = logging.getLogger(__name__)

REPORT_MAX_BYTES = 16 * 1024
REPORTS_PER_MINUTE = "30/m"
FIELDS = ("document-uri", "violated-directive", "blocked-uri", "disposition")


@csrf_exempt  # browsers send reports without a token
def report(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if limits.exceeded(request, "csp-report", REPORTS_PER_MINUTE):
        return HttpResponse(status=429)
    body = request.read(REPORT_MAX_BYTES)
    try:
        violation = json.loads(body).get("csp-report", {})
        summary = {key: str(violation.get(key, ""))[:200] for key in FIELDS}
    except (ValueError, AttributeError, RecursionError):
        return HttpResponse(status=400)
    logger.warning("Content-Security-Policy violation: %s", json.dumps(summary, ensure_ascii=False))
    return HttpResponse(status=204)
