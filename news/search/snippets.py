"""What a search result shows: its title and a passage of its body with the reader's words in
<mark>, made from the plain text stored in the search table (news/search/entries.py), never from
the page itself."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

SNIPPET_CHARS = 120
SPACES = re.compile(r"\s+")


def contains(text, terms):
    lowered = text.lower()
    return any(term.lower() in lowered for term in terms if term)


def snippet(body, summary, terms):
    """The body around the words, or the summary where only it has them; the body's beginning
    when the words are in the title or 来源 alone, which the result shows already or not at all."""
    for text in (body, summary):
        if text and contains(text, terms):
            return highlight(text, terms)
    return highlight(body or summary, terms)


def highlight(text, terms, length=SNIPPET_CHARS):
    """An escaped excerpt of plain `text` around the first term found, every term in <mark>."""
    text = SPACES.sub(" ", text or "").strip()
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms if term and term.lower() in lowered]
    start = max(0, min(positions) - length // 4) if positions else 0
    excerpt = text[start : start + length]
    pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True) if term)
    pieces = re.split(f"({pattern})", excerpt, flags=re.IGNORECASE) if pattern else [excerpt]
    marked = "".join(
        f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece)
        for index, piece in enumerate(pieces)
    )
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # noqa: S308 - every piece is escaped above
