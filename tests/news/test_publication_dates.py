"""Publication dates: a date far from today is saved only once confirmed, a date no calendar has
is refused with the reason, and every date is written at +08:00 wherever machines read it."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from news.forms import CONFIRM_LABEL
from news.models import ArticlePage
from tests.admin_forms import article_form
from tests.factories import SHANGHAI, ArticlePageFactory

# On PostgreSQL too: dates are compared in SQL, in each engine's time handling.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

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


def add_url(column):
    return reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.parametrize(
    ("typed", "warning"),
    [
        ("1900-01-01 10:00", "发布时间早于 1949 年 10 月 1 日"),
        ("2100-05-01 10:00", "发布时间在一年以后"),
    ],
)
def test_an_unusual_date_is_saved_only_once_confirmed(editor_client, column, typed, warning):
    form = article_form(title="日期待确认的文章", published_at=typed)
    assert CONFIRM_LABEL not in editor_client.get(add_url(column)).content.decode()
    response = editor_client.post(add_url(column), form)
    html = response.content.decode()
    assert response.status_code == 200
    assert warning in html and CONFIRM_LABEL in html
    assert 'name="confirm_published_at"' in html
    assert not ArticlePage.objects.filter(title="日期待确认的文章").exists()
    response = editor_client.post(add_url(column), {**form, "confirm_published_at": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ArticlePage.objects.get(title="日期待确认的文章").get_latest_revision_as_object()
    assert f"{localtime(saved.published_at):%Y-%m-%d %H:%M}" == typed


def test_a_confirmed_date_is_not_asked_about_again(reviewer_client, column):
    article = ArticlePageFactory(parent=column, published_at=datetime(1921, 7, 1, tzinfo=SHANGHAI))
    form = article_form(title="改了标题", published_at="1921-07-01 00:00")
    response = reviewer_client.post(edit_url(article), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    # Changing it to another unusual date asks again.
    response = reviewer_client.post(edit_url(article), {**form, "published_at": "1912-01-01 00:00"})
    assert "发布时间早于 1949 年 10 月 1 日" in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2024-02-30 10:00", "日期不存在：2024 年 2 月只有 29 天。"),
        ("2023-02-29 10:00", "日期不存在：2023 年 2 月只有 28 天。"),
        ("2024-13-01 10:00", "日期不存在：没有 13 月。"),
    ],
)
def test_an_impossible_date_is_refused_with_the_reason(editor_client, column, typed, message):
    response = editor_client.post(add_url(column), article_form(published_at=typed))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArticlePage.objects.filter(title="后台创建的文章").exists()


def test_the_date_pickers_leave_a_typed_date_as_typed(editor_client, column):
    html = editor_client.get(add_url(column)).content.decode()
    # Wagtail's picker rewrote the field on leaving it: 2024-02-30 became 2024-03-01.
    pickers = re.findall(r"initDateTimeChooser\(\"(id_[a-z_]+)\", (\{.*?\})\);", html)
    assert {name for name, _ in pickers} >= {"id_published_at", "id_go_live_at", "id_expire_at"}
    assert all(json.loads(config)["validateOnBlur"] is False for _, config in pickers)
