"""Publication dates: written at +08:00 wherever machines read them, whatever the year."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client

from tests.factories import SHANGHAI, ArticlePageFactory

pytestmark = pytest.mark.django_db

# Asia/Shanghai was at local mean time (+08:05:43) in 1900, and at summer time (+09:00) in 1990.
DATES = [
    (datetime(1900, 1, 1, 10, 0, tzinfo=SHANGHAI), "1900-01-01T10:00:00+08:00", "Mon, 01 Jan 1900"),
    (
        datetime(1949, 10, 1, 15, 0, tzinfo=SHANGHAI),
        "1949-10-01T15:00:00+08:00",
        "Sat, 01 Oct 1949",
    ),
    (datetime(1990, 7, 1, 9, 30, tzinfo=SHANGHAI), "1990-07-01T09:30:00+08:00", "Sun, 01 Jul 1990"),
]


@pytest.mark.parametrize(("published_at", "iso", "rfc"), DATES)
def test_every_offset_readers_and_machines_get_is_plus_eight(column, published_at, iso, rfc):
    article = ArticlePageFactory(parent=column, published_at=published_at)
    html = Client().get(article.url).content.decode()
    ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert json.loads(ld.group(1))["datePublished"] == iso
    assert f'<meta property="article:published_time" content="{iso}">' in html
    assert f'<time datetime="{iso}">' in html
    assert f'<time datetime="{iso}">' in Client().get(column.url).content.decode()
    feed = Client().get(f"{column.url}feed/").content.decode()
    assert f"<pubDate>{rfc} {iso[11:19]} +0800</pubDate>" in feed
    # Every offset the site writes is one of +08:00 / +0800 (the article's own revision is now).
    offsets = re.findall(r"[+-]\d\d:?\d\d(?::?\d\d)?(?=[\"<])", html + feed)
    assert offsets and set(offsets) <= {"+08:00", "+0800"}
