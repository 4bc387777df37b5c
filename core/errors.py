"""Error pages (400, 403, 405, CSRF failure, 500, 503) in Chinese, rendered without asking the
database, which may be the thing that failed; the footer's contact card comes from the cache."""

import logging
import sys

from django.core.cache import cache
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.template import loader
from django.urls import reverse

from core.plain_pages import PLAIN_400, PLAIN_403, PLAIN_405, PLAIN_500, PLAIN_503

logger = logging.getLogger(__name__)

# What the database driver raises when the server is down or the connection was cut.
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
# The last contact card a page showed, kept by contact/live.py: error pages show it without asking
# the database, which may be what failed.
LAST_CARD_KEY = "contact:last-card"


class HttpResponseServiceUnavailable(HttpResponse):
    status_code = 503


def render_error(template, response_class, plain, **context):
    try:
        context["contact"] = cache.get(LAST_CARD_KEY) or None
    except Exception:
        context["contact"] = None  # the cache may be down too
    try:
        html = loader.render_to_string(template, context)
    except Exception:
        logger.exception("The error page %s could not be rendered", template)
        html = plain
    return response_class(html)


def html_body(response, template, plain):
    """Give a response made without a body (a 405 from any view) the Chinese page."""
    page = render_error(template, HttpResponse, plain)
    response.content = page.content
    response["Content-Type"] = page["Content-Type"]
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response


class ErrorBodyMiddleware:
    """Readers and bots get a Chinese page, never a blank one, for a 4xx that a view sent empty:
    Django's and Wagtail's 405s, or a view's bare HttpResponseBadRequest. The admin is left as is;
    its scripts read its own empty answers."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("wagtailadmin_home")

    def __call__(self, request):
        response = self.get_response(request)
        if (
            400 <= response.status_code < 500
            and request.method != "HEAD"
            and not getattr(response, "streaming", False)
            and not response.content
            and not request.path_info.startswith(self.admin_prefix)
        ):
            if response.status_code == 405:
                return html_body(response, "405.html", PLAIN_405)
            return html_body(response, "400.html", PLAIN_400)
        return response


def database_unavailable():
    """503 with Retry-After while the database cannot be reached; the site recovers by itself,
    because Django drops a connection that failed and opens a new one for the next request."""
    response = render_error("503.html", HttpResponseServiceUnavailable, PLAIN_503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    # Django calls this while handling the exception, so it can still be looked at.
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return database_unavailable()
    return render_error("500.html", HttpResponseServerError, PLAIN_500)


class DatabaseDownLogFilter(logging.Filter):
    """While the database is down every request fails alike: one line each, not a traceback."""

    def filter(self, record):
        down = record.exc_info and isinstance(record.exc_info[1], DATABASE_DOWN)
        if down and isinstance(record.args or (), tuple):
            record.msg = f"{record.msg} (database unavailable: %s)"
            error = record.exc_info[1]
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            record.args = (*(record.args or ()), first_line)
            record.exc_info = None
            record.exc_text = None
        return True


# The loggers of what sends the site's mail: Wagtail's notifications, Django's password resets.
MAIL_SENDERS = ("wagtail.admin", "django.contrib.auth")


class MailDownLogFilter(logging.Filter):
    """A mail server that does not answer (refused, timed out, rejected the login) is one line in
    the log: the notification is lost, the reviewer's action is not, and a traceback helps no one."""

    def filter(self, record):
        error = record.exc_info[1] if record.exc_info else None
        # smtplib's errors, refused connections and timeouts are all OSErrors.
        if isinstance(error, OSError) and record.name.startswith(MAIL_SENDERS):
            record.msg = f"{record.getMessage()} (mail server unavailable: {error})"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True


def bad_request(request, exception=None, *args, **kwargs):
    return render_error("400.html", HttpResponseBadRequest, PLAIN_400)


def permission_denied(request, exception=None, *args, **kwargs):
    return render_error("403.html", HttpResponseForbidden, PLAIN_403)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old tab, cookies off, or a forged request)."""
    return render_error(
        "403.html",
        HttpResponseForbidden,
        PLAIN_403,
        reason="表单已过期或缺少安全验证信息，请返回上一页刷新后重新提交。",
    )
