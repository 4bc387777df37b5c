"""URL configuration: the Wagtail admin, documents, and the page tree for everything else."""

import re

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from core import accounts, csp_reports
from news.admin_views import page_bulk_action
from news.discovery_views import favicon, robots_txt
from news.feed_page import feed_page
from news.feeds import feed
from news.hits.beacon import hit_beacon
from news.library.downloads import serve_document
from news.library.served_pictures import serve_media
from news.search.views import search
from news.site_map import site_map
from news.sitemap_xml import sitemap

urlpatterns = [
    # Wagtail's own views at their own URLs, made safer (core/accounts.py); listed first, so
    # Wagtail's routes of the same paths are unused.
    path("admin/logout/", accounts.LogoutView.as_view(), name="wagtailadmin_logout"),
    path("admin/login/", accounts.LoginView.as_view(), name="wagtailadmin_login"),
    path(
        "admin/password_reset/",
        accounts.PasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/bulk/wagtailcore/page/<str:action>/", page_bulk_action),
    path("admin/", include(wagtailadmin_urls)),
    path("hits/<int:page_id>/", hit_beacon, name="hit_beacon"),
    path("search/", search, name="search"),
    path("sitemap/", site_map, name="site_map"),
    path("feed/", feed, name="site_feed"),
    path("rss/", feed_page, name="feed_page"),
    path("<slug:column>/feed/", feed, name="column_feed"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("csp-report/", csp_reports.report, name="csp_report"),
    path("hudong/", include("interaction.urls")),
    # Wagtail's document download, its headers corrected (news/library/downloads.py); it comes
    # first, so Wagtail's route of the same path is unused.
    re_path(r"^documents/(\d+)/(.*)$", serve_document, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    # Wagtail's own view, throttled; it comes first, so Wagtail's route of the same path is unused.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        accounts.password_for_page,
        name="wagtailcore_authenticate_with_password",
    ),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.MEDIA_URL.startswith("/"):
    # Pictures when no web server is in front (`make run`, and `make serve` with SERVE_MEDIA=1);
    # else a 404. Never the whole media folder, with DEBUG neither: a document is fetched through
    # its own view, which keeps its collection's privacy.
    media = re.escape(settings.MEDIA_URL.lstrip("/"))
    urlpatterns += [re_path(rf"^{media}(?P<path>.+)$", serve_media)]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler500 = "core.errors.server_error"
