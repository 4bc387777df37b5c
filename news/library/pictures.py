"""The pictures readers see (renditions under MEDIA_ROOT/images/) served by Django itself, for a
production stack with no web server in front (`make serve`, SERVE_MEDIA=1). It serves what
deploy/nginx.conf serves from /media/ and nothing more: never an original upload (its camera
metadata and full size), never a document file (documents leave only through their serve view,
which checks who may have them)."""

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

NEVER_SERVED = ("original_images/", "documents/")


@require_safe
def serve_media(request, path):
    if not settings.SERVE_MEDIA or path.startswith(NEVER_SERVED):
        raise Http404
    try:
        answer = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:  # a path leading out of the folder ("../")
        raise Http404 from None
    # As nginx's `expires 30d`: a rendition's name changes with its picture.
    answer["Cache-Control"] = "public, max-age=2592000"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
