"""Rich text as stored: only the elements of the features a field allows, nothing that runs.

Wagtail's editor only produces allowed markup, but rich text also arrives from the importer, from
scripts and from hand-made form posts. Every rich text is cleaned again when it is saved, by nh3
(the Python binding of ammonia, a maintained HTML sanitiser with an HTML5 parser, so the markup is
read as a browser would read it): unknown elements are unwrapped (their text stays), <script>-like
elements go with their content, every attribute not listed here is dropped (so all on* handlers
and styles), links keep an href only with a scheme listed here (ammonia undoes entities, case and
hidden characters before it judges one), and comments go. Empty paragraphs, which pasting from
Word or WeChat leaves between the real ones, are dropped.
"""

import html
import re
from functools import cache

import nh3
from django.utils.html import strip_tags
from wagtail.whitelist import check_url

# The elements Wagtail stores for each editor feature.
FEATURE_ELEMENTS = {
    "bold": ["b"],
    "italic": ["i"],
    "link": ["a"],
    "document-link": ["a"],
    "ol": ["ol", "li"],
    "ul": ["ul", "li"],
    "h2": ["h2"],
    "h3": ["h3"],
    "h4": ["h4"],
    "hr": ["hr"],
    "superscript": ["sup"],
    "subscript": ["sub"],
}
# Removed with everything inside them: their text is code or markup, never reading matter.
DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "svg",
    "math",
}
# The schemes Wagtail's link chooser produces; relative links (a page's own #anchor) pass too.
LINK_SCHEMES = {"http", "https", "mailto", "tel", "ftp"}
# Elements that carry the editor's data-block-key, which keeps comments on their paragraph.
KEYED_ELEMENTS = {"p", "h2", "h3", "h4", "li"}
VALID_VALUE = {
    "data-block-key": re.compile(r"[A-Za-z0-9_-]{1,16}"),
    "linktype": re.compile(r"page|document"),
    "id": re.compile(r"[0-9]{1,12}"),  # a linked page's or document's id, not an anchor
}


def _keep_valid_values(element, attribute, value):
    if attribute == "href":
        # An href ammonia reads as relative may still be a scheme once a browser drops the
        # characters it ignores (java\0script:); Wagtail's own check judges it as they do.
        return check_url(value)
    pattern = VALID_VALUE.get(attribute)
    return value if pattern is None or pattern.fullmatch(value) else None


@cache
def _options(features):
    allowed = {"p", "br"} | {e for f in features for e in FEATURE_ELEMENTS.get(f, [])}
    attributes = {element: {"data-block-key"} for element in allowed & KEYED_ELEMENTS}
    if "a" in allowed:
        attributes["a"] = {"href", "linktype", "id"}
    return {
        "tags": allowed,
        "clean_content_tags": DROPPED_WITH_CONTENT,
        "attributes": attributes,
        "attribute_filter": _keep_valid_values,
        "url_schemes": LINK_SCHEMES,
        "link_rel": None,  # stored text stays as the editor wrote it; templates add rel
        "strip_comments": True,
    }


# A paragraph with nothing to read: what pasting from Word or WeChat leaves between paragraphs
# (spaces, full-width spaces, no-break spaces, line breaks).
EMPTY_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(?:\s|&nbsp;|\u00a0|\u3000|<br\s*/?>)*</p>")


# A link to a page or document whose id was not a number (and so was dropped): it would point at
# nothing, and Wagtail's record of what each page uses fails on it (news/library/replacement.py
# relies on that record). Its words stay.
LINK_WITHOUT_ID = re.compile(r'<a(?![^>]*\sid=")[^>]*\slinktype="[^"]*"[^>]*>(.*?)</a>', re.S)


def clean(html, features):
    """The stored form of rich text `html` for a field allowing `features`: cleaned, without
    empty paragraphs."""
    if not html or ("<" not in html and "&" not in html):
        return html
    cleaned = nh3.clean(html, **_options(tuple(features)))
    return EMPTY_PARAGRAPH.sub("", LINK_WITHOUT_ID.sub(r"\1", cleaned))


def plain_text(markup):
    """The words of stored rich text as a reader sees them: no tags, entities (&amp;, &lt;) as
    the characters they stand for."""
    return html.unescape(strip_tags(markup or ""))
