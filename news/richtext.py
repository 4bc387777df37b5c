"""Rich text as stored: only the elements of the features a field allows, nothing that runs.

Wagtail's editor only produces allowed markup, but rich text also arrives from the importer, from
scripts and from hand-made form posts. Every rich text is cleaned again when it is saved: unknown
elements are unwrapped (their text stays), <script>-like elements go with their content, every
attribute not listed here is dropped (so all on* handlers and styles), and links keep an href only
if Wagtail's check_url accepts its scheme after undoing entities, case and hidden characters.
"""

import re
from functools import cache

from wagtail.whitelist import Whitelister, allow_without_attributes, attribute_rule, check_url

# The elements Wagtail stores for each editor feature.
FEATURE_ELEMENTS = {
    "bold": ["b"],
    "italic": ["i"],
    "link": ["a"],
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
BLOCK_KEY = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
OBJECT_ID = re.compile(r"^[0-9]{1,12}$")


def _block_key(value):
    """The editor's data-block-key, which keeps comments attached to their paragraph."""
    return value if BLOCK_KEY.match(value) else None


def _link_type(value):
    return value if value in {"page", "document"} else None


def _object_id(value):
    return value if OBJECT_ID.match(value) else None


BLOCK_ELEMENT = attribute_rule({"data-block-key": _block_key})
ELEMENT_RULES = {
    "a": attribute_rule({"href": check_url, "linktype": _link_type, "id": _object_id}),
    "b": allow_without_attributes,
    "i": allow_without_attributes,
    "hr": allow_without_attributes,
    "sup": allow_without_attributes,
    "sub": allow_without_attributes,
    "ol": allow_without_attributes,
    "ul": allow_without_attributes,
}


class StoredRichTextCleaner(Whitelister):
    def __init__(self, features):
        allowed = {"p", "br"} | {e for f in features for e in FEATURE_ELEMENTS.get(f, [])}
        self.element_rules = {"[document]": allow_without_attributes}
        for element in allowed:
            self.element_rules[element] = ELEMENT_RULES.get(element, BLOCK_ELEMENT)
        self.element_rules["br"] = allow_without_attributes

    def clean_tag_node(self, doc, tag):
        if tag.name in DROPPED_WITH_CONTENT:
            tag.decompose()
            return
        super().clean_tag_node(doc, tag)


@cache
def _cleaner(features):
    return StoredRichTextCleaner(features)


def clean(html, features):
    """The stored form of rich text `html` for a field allowing `features`."""
    if not html or ("<" not in html and "&" not in html):
        return html
    return _cleaner(tuple(features)).clean(html)
