"""Idle logout (等保2.0 7.1.4.1 b, 登录连接超时自动退出), decided on the server: a signed-in session
whose last real activity is more than ADMIN_IDLE_MINUTES old is signed out on its next request,
and the audit log records it once ("idle_logout", not also "logout").

Real activity is what a person does: a page opened in the admin, a form saved, and the
继续保持登录 button of the warning (static/js/admin/idle-warning.js, answered by `keep_alive`).
What the admin's scripts send by themselves is not: the editing session's pings
(wagtailadmin_editing_sessions), autosave (a POST to the edit view with `Accept: application/json`,
wagtail/admin/views/generic/mixins.py JsonPostResponseMixin), the preview panel's posts and its
frame, choosers and other fragments (`X-Requested-With: XMLHttpRequest` from Wagtail's w-swap
controller and jQuery), the dismissibles' PATCH, and the warning's own status checks. Browsers say
which requests are navigations (`Sec-Fetch-Mode: navigate`, `Sec-Fetch-Dest: document`); the other
signs cover clients that do not.

After the limit, a navigation is sent to the login page with a Chinese message and comes back
where it was after signing in; a background request gets a 401 with a JSON body
({"success": false, ...}) that Wagtail's autosave shows as an error and its other scripts give up
on, with no script error, and the message waits for the login page the warning's script then
opens.
"""

import time
from urllib.parse import quote

from django.conf import settings
from django.contrib import auth, messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.views.decorators.http import require_http_methods

from security import audit

LAST_ACTIVITY = "security.last_activity"
# Set on a request whose sign-out is an idle logout, so that the sign-out is recorded once, as that
# (security/audit_events.py signed_out).
IDLE_LOGOUT = "_security_idle_logout"
# Requests the admin's scripts send by themselves, by the name of the view answering them.
BACKGROUND_NAMESPACES = {"wagtailadmin_editing_sessions"}
BACKGROUND_URL_NAMES = {
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "security_session_status",
    # The preview panel's posts and its frame, for pages and snippets alike.
    "preview_on_add",
    "preview_on_edit",
}
KEEP_ALIVE = "security_keep_alive"
NAVIGATION_METHODS = {"GET", "HEAD", "POST"}


def idle_seconds():
    return float(settings.ADMIN_IDLE_MINUTES) * 60


def idle_minutes_text():
    minutes = float(settings.ADMIN_IDLE_MINUTES)
    return f"{minutes:g}"


def _route(request):
    try:
        return resolve(request.path_info)
    except Resolver404:
        return None


def is_background(request, route=None):
    """Whether the request was sent by a script rather than by the person using the admin."""
    if request.method not in NAVIGATION_METHODS:
        return True
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return True
    mode = request.headers.get("Sec-Fetch-Mode")
    if mode is not None and mode != "navigate":
        return True
    destination = request.headers.get("Sec-Fetch-Dest")
    if destination is not None and destination != "document":
        # A frame (the preview panel), a script, a picture.
        return True
    if not request.accepts("text/html"):
        return True
    return route is not None and (
        route.namespace in BACKGROUND_NAMESPACES or route.url_name in BACKGROUND_URL_NAMES
    )


def is_activity(request, route):
    if route is not None and route.url_name == KEEP_ALIVE:
        return True
    return not is_background(request, route)


def remaining_seconds(request, now=None):
    last = request.session.get(LAST_ACTIVITY)
    if last is None:
        return idle_seconds()
    return idle_seconds() - ((now or time.time()) - last)


def note_activity(request, now=None):
    request.session[LAST_ACTIVITY] = now or time.time()


def message():
    return (
        f"您已超过 {idle_minutes_text()} 分钟未操作，为安全起见已自动退出，请重新登录。"
        "正在编辑的页面，修改已自动保存为草稿。"
    )


class IdleLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        # Readers have no session: nothing to look at.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES or idle_seconds() <= 0:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if self.admin_prefix is None:
            self.admin_prefix = reverse("wagtailadmin_home")
        in_admin = request.path_info.startswith(self.admin_prefix)
        route = _route(request) if in_admin else None
        now = time.time()
        if request.session.get(LAST_ACTIVITY) is None:
            # A session from before this feature, or signed in by code: its clock starts now.
            note_activity(request, now)
        elif remaining_seconds(request, now) <= 0:
            return self.sign_out(request, in_admin, route)
        elif in_admin and is_activity(request, route):
            note_activity(request, now)
        return self.get_response(request)

    def sign_out(self, request, in_admin, route):
        user = request.user
        audit.record(
            "idle_logout",
            user=user,
            obj=f"用户 {user.get_username()}",
            detail=f"超过 {idle_minutes_text()} 分钟未操作",
            request=request,
        )
        setattr(request, IDLE_LOGOUT, True)
        auth.logout(request)
        if not in_admin:
            # A public page is answered as for any reader.
            return self.get_response(request)
        # Shown on the login page, whichever request found the session idle: the warning's script
        # goes there when its check is answered with the 401 below.
        messages.warning(request, message())
        if is_background(request, route):
            return JsonResponse(
                {
                    "success": False,
                    "error_code": "session_expired",
                    "error_message": message(),
                    "login_url": reverse("wagtailadmin_login"),
                },
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        name = route.url_name if route is not None else None
        if name == "wagtailadmin_login":
            return self.get_response(request)
        if name == "wagtailadmin_logout":
            return redirect("wagtailadmin_login")
        target = request.get_full_path() if request.method == "GET" else request.path
        return redirect(f"{reverse('wagtailadmin_login')}?next={quote(target)}")


@require_http_methods(["GET", "POST"])
def session_status(request):
    """How many seconds are left before the idle logout (GET: a check that changes nothing;
    POST to keep_alive: 继续保持登录, which counts as activity)."""
    if not request.user.is_authenticated:
        return JsonResponse({"success": False, "error_code": "session_expired"}, status=401)
    return JsonResponse(
        {
            "success": True,
            "remaining": max(0, round(remaining_seconds(request), 1)),
            "limit": idle_seconds(),
        }
    )


@require_http_methods(["POST"])
def keep_alive(request):
    return session_status(request)
