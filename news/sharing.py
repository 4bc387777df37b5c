"""分享: an article's address as a QR code, for a reader to open it in WeChat on a phone by
scanning the screen, drawn on the server as inline SVG (segno), so no outside service learns who
reads what and the code shows without JavaScript."""

import segno
from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.generation import remember


def qr_svg(url, label):
    """The QR code of `url` as an <svg> element named by `label` for screen readers; drawn once
    per address and site generation (a few milliseconds each time otherwise)."""
    svg = remember(f"qr:{url}", lambda: draw(url), articles=False)
    # One named picture to a screen reader, rather than a drawing of unnamed paths.
    named = svg.replace("<svg ", '<svg role="img" aria-label="' + escape(label) + '" ', 1)
    return mark_safe(named)  # noqa: S308 - segno's own markup; the label is escaped


def draw(url):
    # A viewBox and no fixed size: the stylesheet sizes it, and it stays sharp at any zoom.
    code = segno.make(url, error="m")
    return code.svg_inline(border=2, dark="#000", light="#fff", svgclass="share__qr", omitsize=True)
