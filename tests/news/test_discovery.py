"""Month archives, the home page's picture news and notices, feeds, sitemap and robots.txt."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils.timezone import localdate

from news.models import HomePage, TopicPage
from tests.crawler import sitemap_entries
from tests.factories import SHANGHAI, ArticlePageFactory, section

# On PostgreSQL too: feeds and site maps are ordered and filtered by date in SQL.
pytestmark = pytest.mark.engine_dependent


def get(url, status=200):
    response = Client().get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


@pytest.fixture
def dated(column):
    return {
        "may": ArticlePageFactory(
            parent=column,
            title="五月的文章",
            published_at=datetime(2017, 5, 24, 17, 1, tzinfo=SHANGHAI),
        ),
        "may_end": ArticlePageFactory(
            parent=column,
            title="五月末的文章",
            published_at=datetime(2017, 5, 31, 23, 30, tzinfo=SHANGHAI),
        ),
        "june": ArticlePageFactory(
            parent=column,
            title="六月的文章",
            published_at=datetime(2017, 6, 1, 0, 30, tzinfo=SHANGHAI),
        ),
    }


def test_month_archive_lists_that_months_articles_in_local_time(dated):
    html = get("/news/2017/05/").content.decode()
    assert "工作动态 · 2017年5月" in html
    assert "五月的文章" in html and "五月末的文章" in html
    assert "六月的文章" not in html.split('class="column-layout__side"')[0]


def test_month_list_links_every_month_with_counts(dated):
    html = get("/news/").content.decode()
    assert (
        '<a href="/news/2017/06/">2017年6月</a> <span class="month-list__count">（1）</span>'
        in html
    )
    assert (
        '<a href="/news/2017/05/">2017年5月</a> <span class="month-list__count">（2）</span>'
        in html
    )


@pytest.mark.parametrize(
    "url", ["/news/2017/13/", "/news/2017/00/", "/news/0001/05/", "/news/2017/05/x/"]
)
def test_impossible_months_are_404(dated, url):
    get(url, status=404)


def test_an_empty_month_within_the_columns_life_says_so(dated):
    assert "暂无文章" in get("/news/2017/07/").content.decode()


@pytest.mark.parametrize("url", ["/news/2017/04/", "/news/1999/01/", "/news/2999/12/"])
def test_months_before_the_first_article_or_after_today_are_404_not_soft_404(dated, url):
    get(url, status=404)


def test_months_of_a_column_without_articles_are_404(column):
    get(f"/news/{localdate():%Y/%m}/", status=404)


def test_this_month_and_a_month_of_articles_dated_ahead_are_pages(dated, column):
    ArticlePageFactory(
        parent=column, title="来年的文章", published_at=datetime(2999, 3, 1, tzinfo=SHANGHAI)
    )
    get(f"/news/{localdate():%Y/%m}/")
    assert "来年的文章" in get("/news/2999/03/").content.decode()
    get("/news/2999/04/", status=404)


def test_home_has_picture_news_with_pause_control_and_notices(home, column, other_column, image):
    ArticlePageFactory(parent=column, title="有封面的文章", cover_image=image)
    ArticlePageFactory(parent=other_column, title="一则通知")
    html = get("/").content.decode()
    carousel = html.split('class="carousel"')[1].split("</section>")[0]
    assert "有封面的文章" in carousel and "<picture>" in carousel
    assert "data-carousel-toggle" in carousel and "暂停" in carousel
    notices = html.split('class="notice-board column-block"')[1].split("</section>")[0]
    assert "一则通知" in notices
    assert HomePage.objects.get().notices_column_id == other_column.pk


def parse_rss(response):
    assert response["Content-Type"].startswith("application/rss+xml")
    return ET.fromstring(response.content)


def test_site_feed_has_every_column_with_full_content(column, other_column):
    ArticlePageFactory(
        parent=column, title="第一篇", body=[section("议程一", "实地观摩", "全文段落。")]
    )
    ArticlePageFactory(parent=other_column, title="第二篇")
    channel = parse_rss(get("/feed/")).find("channel")
    titles = [item.findtext("title") for item in channel.iter("item")]
    assert set(titles) == {"第一篇", "第二篇"}
    first = next(item for item in channel.iter("item") if item.findtext("title") == "第一篇")
    assert "全文段落。" in first.findtext("description")
    assert first.findtext("link").startswith("http://testserver/news/")
    assert first.findtext("pubDate")


def test_column_feed_has_only_that_column(column, other_column):
    ArticlePageFactory(parent=column, title="第一篇")
    ArticlePageFactory(parent=other_column, title="第二篇")
    channel = parse_rss(get("/notices/feed/")).find("channel")
    assert [item.findtext("title") for item in channel.iter("item")] == ["第二篇"]
    assert channel.findtext("title") == "通知公告 - 青溪党建网"


def test_feed_images_use_absolute_addresses(column, image):
    ArticlePageFactory(
        parent=column, body=[{"type": "image", "value": {"image": image.pk, "caption": "图"}}]
    )
    description = parse_rss(get("/feed/")).find("channel/item/description").text
    assert 'src="http://testserver/media/' in description
    assert 'src="/media/' not in description


def test_the_subscribe_links_lead_to_a_page_that_says_what_rss_is(home, column, image):
    topic = TopicPage(title="学习专题", slug="study", tag="学习", banner_image=image)
    home.add_child(instance=topic)
    topic.save_revision().publish()
    assert 'href="/rss/#feed-news">订阅本栏目（RSS）</a>' in get("/news/").content.decode()
    assert 'href="/rss/#feed-study">订阅本专题（RSS）</a>' in get("/study/").content.decode()
    html = get("/rss/").content.decode()
    assert "<h1>RSS 订阅</h1>" in html and "RSS 阅读器" in html
    addresses = dict(re.findall(r'<li id="([^"]+)">.*?<code[^>]*>([^<]+)</code>', html, re.S))
    assert addresses == {
        "feed-site": "http://testserver/feed/",
        "feed-news": "http://testserver/news/feed/",
        "feed-notices": "http://testserver/notices/feed/",
        "feed-practice": "http://testserver/practice/feed/",
        "feed-study": "http://testserver/study/feed/",
    }
    # Each address is the feed a reader's feed reader gets.
    for address in addresses.values():
        parse_rss(get(urlsplit(address).path))


def test_feeds_are_linked_from_head(column):
    assert 'type="application/rss+xml"' in get("/").content.decode()
    assert 'href="/news/feed/"' in get("/news/").content.decode()


def test_unknown_column_feed_is_404(site):
    get("/nope/feed/", status=404)


def test_sitemap_lists_every_live_page_with_lastmod(column):
    live = ArticlePageFactory(parent=column, title="在线")
    live.save_revision().publish()
    draft = ArticlePageFactory(parent=column, title="草稿", live=False)
    entries = sitemap_entries(Client())
    paths = {urlsplit(location).path for location in entries}
    assert {"/", "/news/", "/contact/", live.url} <= paths
    assert "/news/" + "/".join(draft.url_components) + "/" not in paths
    assert all(entries.values())


def test_robots_points_to_the_sitemap(site):
    text = get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/news/2017/5/", "/news/2017/05/"),
        ("/news/2017/005/", "/news/2017/05/"),
        ("/news/2017/5/?page=2", "/news/2017/05/?page=2"),
    ],
)
def test_a_month_has_one_address_and_the_others_redirect_there(dated, url, canonical):
    answer = get(url, status=301)
    assert answer["Location"] == canonical
    assert "五月的文章" in get(canonical).content.decode()
