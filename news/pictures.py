"""Responsive pictures: WebP with a JPEG fallback, several widths, width and height always set.

Pictures are loaded with their renditions for a whole list of articles at once: during a request,
`prefetch_pictures(articles)` fetches every cover and body image of the articles, with all their
renditions, in two queries, and the body's image blocks take them from there instead of asking
the database once per section.
"""

from contextvars import ContextVar

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.images import get_image_model

# {image id: image with prefetched renditions} for the request being served, or None outside one.
_request_images = ContextVar("request_images", default=None)


def render_picture(image, kind, alt=None, first=False):
    """The <picture> element of `image` for a place in the layout (slide, cover or body); the
    first of a row is loaded at once, being on screen when the page opens."""
    html = render_to_string(
        f"includes/picture_{kind}.html",
        {"image": image, "alt": alt or image.title, "loading": "eager" if first else "lazy"},
    )
    return mark_safe(html.strip())  # noqa: S308 - rendered by a template with autoescaping


def load_images(ids):
    """{id: image} with every rendition of each image already loaded."""
    ids = {image_id for image_id in ids if image_id is not None}
    if not ids:
        return {}
    return get_image_model().objects.prefetch_renditions().in_bulk(ids)


def body_image_ids(raw_blocks):
    """The ids of the images anywhere in a body's raw stream data, sections included."""
    for block in raw_blocks or ():
        value = block.get("value")
        if block.get("type") == "image" and isinstance(value, dict):
            yield value.get("image")
        elif isinstance(value, dict) and isinstance(value.get("body"), list):
            yield from body_image_ids(value["body"])


def prefetch_pictures(articles):
    """Load the covers and body images of `articles`, with their renditions, in two queries."""
    ids = set()
    for article in articles:
        ids.add(article.cover_image_id)
        ids.update(body_image_ids(article.body.raw_data))
    images = load_images(ids)
    for article in articles:
        if article.cover_image_id in images:
            article.cover_image = images[article.cover_image_id]
    known = _request_images.get()
    if known is not None:
        known.update(images)
    return images


def known_images(ids):
    """{id: image} for those of `ids` prefetched during this request."""
    known = _request_images.get() or {}
    return {image_id: known[image_id] for image_id in ids if image_id in known}


class PrefetchedPicturesMiddleware:
    """Gives each request its own set of prefetched images, forgotten when the response is made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_images.set({})
        try:
            return self.get_response(request)  # template responses are rendered by then
        finally:
            _request_images.reset(token)
