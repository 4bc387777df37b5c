"""Content-Security-Policy (django-csp): strict on the public site, as loose as Wagtail needs in
the admin, and framing of previews by the admin alone.

Public pages load only the site's own scripts, styles, pictures and fonts, with no inline script or
style at all, so a script that found its way into an article could neither run inline nor load from
elsewhere.

The admin is Wagtail's. Wagtail 8 writes inline ``<script>`` elements into its pages (the date and
time pickers, InlinePanel rows, listings, workflow dialogs) and its chooser modals fetch HTML
fragments whose scripts jQuery runs inside the editing page. A nonce cannot cover those: Wagtail's
templates carry none, and a fragment fetched by a modal comes from another response with another
nonce. Hashes cannot either, since the scripts carry per-page ids and data. So the admin allows
inline scripts and style attributes ('unsafe-inline'), and nothing else the public policy refuses:
no script, style, font, picture or connection from another origin, no plugins, no eval, no
changed ``<base>``, forms only to the site itself, frames only of the site itself (the preview
panel), and only the site itself may frame it. What keeps injected script out of the admin is what
keeps it out of the pages: rich text cleaned when saved and every other value escaped.
``data:`` and ``blob:`` pictures are Wagtail's own icons and the previews of files chosen for
upload. Avatars stay on the site (``WAGTAIL_GRAVATAR_PROVIDER_URL = None``) and the upgrade check
is off, so the admin needs no outside host.

A preview is a public page rendered for the admin's preview panel: it keeps the public policy but
may be framed by the site itself (``frame-ancestors 'self'``), and by nothing else.
"""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.urls import reverse, reverse_lazy

REPORT_URI = reverse_lazy("csp_report")

PUBLIC_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
    "report-uri": [REPORT_URI],
}

PREVIEW_POLICY = {**PUBLIC_POLICY, "frame-ancestors": [SELF]}

ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "media-src": [SELF, "blob:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
    "report-uri": [REPORT_URI],
}


class AreaPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the policy by what the response is: an admin screen, a
    preview for the admin's preview panel, or a public page (the settings' policy)."""

    def __init__(self, get_response):
        super().__init__(get_response)
        self.admin_prefix = reverse("wagtailadmin_home")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if parts.config is None and not report_only:
            # Wagtail renders a preview through the whole middleware chain with a dummy request
            # for the page's own URL; the outer admin response then keeps the header set here.
            if getattr(request, "is_dummy", False):
                parts.config = default_config(PREVIEW_POLICY)
            elif request.path_info.startswith(self.admin_prefix):
                parts.config = default_config(ADMIN_POLICY)
        return parts
