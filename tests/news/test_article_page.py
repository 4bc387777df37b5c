"""What an article page shows, where it lives, and what it costs to render."""

import json
import re
from datetime import datetime

import pytest
from django.test import Client

from news.hits.models import PageHits
from news.models import ArticlePage
from tests.factories import SHANGHAI, ArticlePageFactory


@pytest.fixture
def article(column):
    return ArticlePageFactory(
        parent=column,
        title="全市社会组织党建工作现场推进会召开",
        source="厦门非公党建",
        author="张三",
        editor="李四",
        summary="社会组织党建现场推进会。",
        published_at=datetime(2017, 5, 24, 17, 1, 55, tzinfo=SHANGHAI),
        hits=1234,
    )


def get(url):
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_article_url_is_column_date_and_id(article):
    assert article.url == f"/news/2017/0524/{article.pk}/"
    assert "%" not in article.url


def test_article_url_is_stable_when_title_is_edited(article):
    url = article.url
    article.title = "新的标题"
    article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).url == url


def test_slug_url_redirects_permanently_to_the_article_url(article):
    response = Client().get(f"/news/{article.slug}/?from=old")
    assert response.status_code == 301
    assert response["Location"] == f"/news/2017/0524/{article.pk}/?from=old"


def test_url_with_an_outdated_date_redirects_to_the_current_one(article):
    response = Client().get(f"/news/2017/0101/{article.pk}/")
    assert response.status_code == 301
    assert response["Location"] == article.url


def test_article_moved_to_another_column_redirects_from_old_url(article, other_column):
    old_url = article.url
    article.move(other_column, pos="last-child")
    article.refresh_from_db()
    response = Client().get(old_url)
    assert response.status_code == 301
    assert response["Location"] == f"/notices/2017/0524/{article.pk}/"


def test_unknown_or_draft_article_id_is_404(column, article):
    assert Client().get("/news/2017/0524/999999/").status_code == 404
    article.unpublish()
    assert Client().get(f"/news/2017/0524/{article.pk}/").status_code == 404


def test_generated_slug_is_ascii_even_for_chinese_title(article):
    assert re.fullmatch(r"20170524-[0-9a-f]{6}", article.slug)


def test_article_shows_title_breadcrumbs_and_meta_line(article):
    html = get(article.url)
    assert '<h1 id="article-title">全市社会组织党建工作现场推进会召开</h1>' in html
    assert "当前位置" in html
    assert '<a href="/">首页</a>' in html
    assert '<a href="/news/">工作动态</a>' in html
    assert "来源：厦门非公党建" in html
    assert "点击数：<span data-hit-count>1234</span>" in html
    assert '日期：<time datetime="2017-05-24T17:01:55+08:00">2017-05-24 17:01:55</time>' in html
    assert "作者：张三" in html
    assert "责任编辑：李四" in html


def test_article_body_has_anchored_sections_subsections_and_contents(article):
    html = get(article.url)
    assert 'id="section-1"' in html
    assert 'id="section-2"' in html
    assert '<a href="#section-1">议程一：实地观摩</a>' in html
    assert '<a href="#section-2">议程二：座谈会</a>' in html
    assert "<h3>嘉莲街道友邻中心</h3>" in html
    assert "友邻中心段落。" in html


def test_no_table_of_contents_with_a_single_section(column):
    from tests.factories import section

    page = ArticlePageFactory(parent=column, body=[section("议程一", "实地观摩", "段落。")])
    html = get(page.url)
    assert 'id="section-1"' in html
    assert "本文目录" not in html


def test_previous_and_next_articles_come_from_the_same_column(column, other_column):
    older = ArticlePageFactory(
        parent=column, title="较早的文章", published_at=datetime(2020, 1, 1, tzinfo=SHANGHAI)
    )
    middle = ArticlePageFactory(
        parent=column, title="中间的文章", published_at=datetime(2021, 1, 1, tzinfo=SHANGHAI)
    )
    ArticlePageFactory(
        parent=other_column, title="别的栏目", published_at=datetime(2022, 1, 1, tzinfo=SHANGHAI)
    )
    newer = ArticlePageFactory(
        parent=column, title="较新的文章", published_at=datetime(2023, 1, 1, tzinfo=SHANGHAI)
    )
    html = get(middle.url)
    assert f'上一篇：<a href="{older.url}" rel="prev">较早的文章</a>' in html
    assert f'下一篇：<a href="{newer.url}" rel="next">较新的文章</a>' in html
    assert "别的栏目" not in html
    assert "上一篇：没有了" in get(older.url)
    assert "下一篇：没有了" in get(newer.url)


def test_print_button_print_stylesheet_and_font_size_switch(article):
    html = get(article.url)
    assert "data-print" in html
    assert 'media="print"' in html
    for size, label in [("large", "大"), ("medium", "中"), ("small", "小")]:
        assert f'data-font-size="{size}"' in html and f">{label}</button>" in html
    assert "js/prefs.js" in html  # applies the remembered size before the page is drawn


def test_json_ld_describes_the_news_article(article):
    data = json_ld(get(article.url))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "全市社会组织党建工作现场推进会召开"
    assert data["datePublished"] == "2017-05-24T17:01:55+08:00"
    assert data["author"] == {"@type": "Person", "name": "张三"}
    assert data["sourceOrganization"]["name"] == "厦门非公党建"
    assert data["publisher"]["name"] == "青溪党建网"
    assert data["interactionStatistic"]["userInteractionCount"] == 1234


def test_json_ld_cannot_be_broken_out_of_by_the_title(column):
    page = ArticlePageFactory(parent=column, title="</script><script>alert(1)</script>")
    html = get(page.url)
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["headline"] == "</script><script>alert(1)</script>"


def test_opengraph_tags(article):
    html = get(article.url)
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="全市社会组织党建工作现场推进会召开">' in html
    assert f'<meta property="og:url" content="http://testserver{article.url}">' in html
    assert '<meta property="article:published_time" content="2017-05-24T17:01:55+08:00">' in html


def test_click_count_is_kept_off_the_page_and_survives_publishing(article):
    assert not any(field.name == "hits" for field in ArticlePage._meta.get_fields())
    article.title = "改过的标题"
    article.save_revision().publish()
    assert PageHits.objects.count_for(article.pk) == 1234
    assert "点击数：<span data-hit-count>1234</span>" in get(article.url)


def test_copying_an_article_does_not_copy_its_count(article, column):
    copy = article.copy(to=column, update_attrs={"slug": "copy-of-article", "title": "副本"})
    assert PageHits.objects.count_for(copy.pk) == 0


def test_article_without_hits_row_shows_zero(column):
    page = ArticlePageFactory(parent=column)
    assert "点击数：<span data-hit-count>0</span>" in get(page.url)


def test_cover_and_body_images_render_with_alt_text_and_size(column, image):
    from tests.factories import section

    page = ArticlePageFactory(
        parent=column,
        cover_image=image,
        body=[
            section("议程一", "实地观摩"),
            {"type": "image", "value": {"image": image.pk, "caption": "现场照片"}},
        ],
    )
    html = get(page.url)
    cover = html.split('class="article__cover">')[1].split("</figure>")[0]
    assert '<source sizes="(max-width: 64rem) 100vw, 62rem" srcset="' in cover
    assert 'type="image/webp"' in cover and ".webp 480w" in cover
    assert re.search(
        r'<img alt="[^"]+" height="\d+" sizes="[^"]+" src="[^"]+\.jpg" srcset="[^"]+" width="\d+">',
        cover,
    )
    body = html.split('class="body-image">')[1].split("</figure>")[0]
    assert re.search(r'<img alt="现场照片" height="\d+" loading="lazy"', body)
    assert "<figcaption>现场照片</figcaption>" in html
    assert '<meta property="og:image" content="http://testserver/' in html


def test_article_page_makes_at_most_8_queries(article, django_assert_max_num_queries, image):
    article.cover_image = image
    article.save_revision().publish()
    client = Client()
    client.get(article.url)  # warm the renditions and the contact cache as a visited site has
    with django_assert_max_num_queries(8):
        assert client.get(article.url).status_code == 200


def test_home_page_makes_at_most_12_queries(site, column, django_assert_max_num_queries):
    for _ in range(10):
        ArticlePageFactory(parent=column)
    client = Client()
    client.get("/")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/news/2024/0315/9223372036854775808/",
        "/news/2024/0315/99999999999999999999999999/",
        "/news/2024/0315/²/",
        "/news/２０２４/０３/",
        "/news/2024/²/",
    ],
)
def test_an_id_or_date_no_row_can_have_is_not_found(column, reader, path):
    assert reader.get(path).status_code == 404


def test_the_beacon_for_an_id_no_row_can_have_is_not_found(column, reader):
    assert reader.post("/hits/9223372036854775808/").status_code == 404


def test_a_login_restricted_article_sends_readers_to_a_login_page_that_exists(article, reader):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    answer = reader.get(article.url)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/admin/login/?next=")
    assert reader.get(answer["Location"]).status_code == 200
