"""The pictures readers see (renditions under MEDIA_ROOT/images/) served by Django itself, for a
production stack with no web server in front (`make serve`, SERVE_MEDIA=1). Only renditions:
never an original upload (its camera metadata and full size), never a document file (documents
leave only through their serve view, which checks who may have them)."""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.decorators.http import require_safe
from django.views.static import serve

SERVED = "images/"


@require_safe
def serve_media(request, path):
    # The path as the file system will read it ("//", "./" and "../" resolved) is what is checked.
    clean = posixpath.normpath(path)
    if not settings.SERVE_MEDIA or not clean.startswith(SERVED):
        raise Http404
    answer = serve(request, clean, document_root=settings.MEDIA_ROOT)
    # As nginx's `expires 30d`: a rendition's name changes with its picture.
    answer["Cache-Control"] = "public, max-age=2592000"
    answer["X-Content-Type-Options"] = "nosniff"
    return answer
