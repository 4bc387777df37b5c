"""URL configuration: the Wagtail admin, documents, and the page tree for everything else."""

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from news.search_views import search
from news.views import hit_beacon

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("hits/<int:page_id>/", hit_beacon, name="hit_beacon"),
    path("search/", search, name="search"),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
