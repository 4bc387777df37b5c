"""Article slugs: generated, unique in their column, never typed or seen by an editor.

An article's URL is its column, date and id, so its slug is only Wagtail's key among its
siblings. Deriving it from a Chinese title gives nothing (or "--" for a title with spaces), and a
second such title in the same column would meet Wagtail's "slug already in use" error; a
generated date-and-random slug that is checked against the column never does.
"""

import re
import secrets

from django.utils.timezone import localtime, now

USABLE = re.compile(r"[0-9a-z]")


def is_usable(slug):
    """A slug with at least one letter or digit; "", "-" and "--" are what a title without Latin
    letters leaves behind."""
    return bool(slug and USABLE.search(slug))


def new_article_slug(parent, when=None, page=None):
    """A slug free among `parent`'s children (any page but `page` itself), such as 20240315-a1b2c3."""
    from wagtail.models import Page

    day = f"{localtime(when or now()):%Y%m%d}"
    while True:
        slug = f"{day}-{secrets.token_hex(3)}"
        if parent is None or Page._slug_is_available(slug, parent, page):
            return slug
