"""Responsive pictures: WebP with a JPEG fallback, several widths, width and height always set."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe


def render_picture(image, kind, alt=None):
    """The <picture> element of `image` for a place in the layout (slide, cover or body)."""
    html = render_to_string(
        f"includes/picture_{kind}.html", {"image": image, "alt": alt or image.title}
    )
    return mark_safe(html.strip())  # noqa: S308 - rendered by a template with autoescaping
