"""网站地图 (/sitemap/), linked from every footer and read from the page tree; and what every
page's <head> gives browsers and search engines: a meta description, the icons, /favicon.ico."""

import re

import pytest
from django.test import Client

from news.models import NewsIndexPage, TopicPage
from tests.factories import ArticlePageFactory


def get(url, status=200):
    response = Client().get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def site_map_links(html):
    body = html.split('class="site-map"')[1].split("</main>")[0]
    return re.findall(r'<a [^>]*href="([^"]+)"[^>]*>([^<]+)<', body)


def test_the_site_map_lists_every_column_with_its_count_the_topics_and_the_other_pages(
    home, column, image
):
    ArticlePageFactory(parent=column).save_revision().publish()
    topic = TopicPage(
        title="学习贯彻党的二十大精神", slug="ershida", tag="二十大", banner_image=image
    )
    home.add_child(instance=topic)
    topic.save_revision().publish()
    html = get("/sitemap/").content.decode()
    links = site_map_links(html)
    assert ("/", "首页") in links
    for path, title in [
        ("/news/", "工作动态"),
        ("/notices/", "通知公告"),
        ("/practice/", "基层实践"),
    ]:
        assert (path, title) in links
        assert (f"/rss/#feed-{path.strip('/')}", "RSS 订阅") in links
    assert "（共 1 篇）" in html.split('class="site-map"')[1].split("工作动态")[1]
    assert ("/ershida/", "学习贯彻党的二十大精神") in links
    assert ("/contact/", "联系我们") in links
    assert ("/search/", "站内搜索") in links and ("/rss/", "RSS 订阅") in links
    # No article is listed one by one: a column's articles are behind its link.
    assert not any("/2024/" in path for path, _ in links)


def test_the_site_map_follows_the_page_tree_on_the_next_request(home, column):
    get("/sitemap/")
    added = NewsIndexPage(title="理论学习", slug="theory")
    home.add_child(instance=added)
    added.save_revision().publish()
    assert ("/theory/", "理论学习") in site_map_links(get("/sitemap/").content.decode())
    column.unpublish()
    links = site_map_links(get("/sitemap/").content.decode())
    assert ("/news/", "工作动态") not in links and ("/theory/", "理论学习") in links


@pytest.mark.parametrize("url", ["/", "/news/", "/contact/", "/search/?q=党建", "/sitemap/"])
def test_every_footer_links_to_the_site_map(site, url):
    footer = get(url).content.decode().split('class="site-info"')[1]
    assert '<a href="/sitemap/">网站地图</a>' in footer


@pytest.mark.parametrize("url", ["/", "/news/", "/contact/", "/sitemap/"])
def test_search_engines_find_the_toolbar_only_inside_a_template_never_as_content(site, url):
    html = get(url).content.decode()
    outside = re.sub(r"<template\b.*?</template>", "", html, flags=re.S)
    assert "无障碍工具条" in html and "连读" in html
    assert "无障碍工具条" not in outside and "连读" not in outside and "大字幕" not in outside


def test_the_site_map_answers_only_reading(site):
    assert Client().post("/sitemap/").status_code == 405


def description(html):
    return re.search(r'<meta name="description" content="([^"]*)">', html).group(1)


def test_each_page_describes_itself_for_search_engines(home, column):
    plain = ArticlePageFactory(parent=column, title="没有摘要的文章")
    plain.save_revision().publish()
    summarised = ArticlePageFactory(parent=column, title="有摘要的文章", summary="本文摘要。")
    summarised.save_revision().publish()
    # An article: its own search description, else its summary, or the start of its text.
    assert description(get(summarised.url).content.decode()) == "本文摘要。"
    assert description(get(plain.url).content.decode()) == "导语段落。"
    summarised.search_description = "编辑写的搜索描述。"
    summarised.save_revision().publish()
    assert description(get(summarised.url).content.decode()) == "编辑写的搜索描述。"
    # A column: its introduction, without its markup.
    assert description(get("/news/").content.decode()) == "社会组织党建工作的最新动态。"
    # Pages without words of their own: the site's (the home page's search description).
    for url in ["/search/?q=党建", "/sitemap/"]:
        assert description(get(url).content.decode()).startswith("青溪党建网")
    home.search_description = "青溪市社会组织党建工作的门户网站。"
    home.save_revision().publish()
    assert description(get("/sitemap/").content.decode()) == "青溪市社会组织党建工作的门户网站。"


def test_pages_name_their_icons_and_the_root_favicon_leads_to_one(site):
    html = get("/").content.decode()
    icons = re.findall(r'<link rel="(icon|apple-touch-icon)" href="([^"]+)"', html)
    assert {kind for kind, _ in icons} == {"icon", "apple-touch-icon"}
    client = Client()
    for _, href in icons:
        assert client.get(href).status_code == 200, href
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert "max-age=86400" in response["Cache-Control"]


def title(html):
    return re.search(r"<title>([^<]*)</title>", html).group(1)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/news/", "工作动态 - 青溪党建网"),
        ("/contact/", "联系我们 - 青溪党建网"),
        ("/sitemap/", "网站地图 - 青溪党建网"),
        ("/search/", "站内搜索 - 青溪党建网"),
        ("/search/?q=党建", "“党建”的搜索结果 - 青溪党建网"),
    ],
)
def test_a_pages_title_names_it_then_the_site_once(site, url, expected):
    """What a tab, a bookmark and a shared link show."""
    assert title(get(url).content.decode()) == expected
