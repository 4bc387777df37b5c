"""站内搜索: Chinese words are found on SQLite and PostgreSQL, and bad queries are harmless."""

import re
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from news.search.tokens import index_tokens, query_terms, query_tokens
from tests.factories import SHANGHAI, ArticlePageFactory, section

# On PostgreSQL too: each engine searches its own way.
pytestmark = pytest.mark.engine_dependent

SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "000_75590902209970e4.txt"


def get(url, **params):
    response = Client().get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html):
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r"<h2><a href=\"[^\"]+\">(.*?)</a></h2>", html)
    ]


def test_cjk_text_is_indexed_as_characters_and_pairs():
    assert index_tokens("党建工作 Party 2024年") == "党 建 工 作 党建 建工 工作 party 2024 年"
    assert query_tokens(query_terms("友邻中心")) == ["友邻", "邻中", "中心"]
    assert query_tokens(query_terms("党")) == ["党"]


@pytest.mark.skipif(not SEED.exists(), reason=f"seed page not found at {SEED}")
@pytest.mark.parametrize("word", ["党建", "友邻中心", "社会组织", "嘉莲街道", "厦门非公党建"])
def test_seed_article_is_found_by_chinese_words(column, word):
    call_command("import_articles", str(SEED), stdout=None)
    html = get("/search/", q=word)
    assert result_titles(html).count("全市社会组织党建工作现场推进会召开") == 1


@pytest.fixture
def articles(column, other_column):
    return [
        ArticlePageFactory(
            parent=column,
            title="社区党建服务站揭牌",
            summary="云岭区睦邻服务站正式启用。",
            body=[section("议程一", "参观学习", "与会人员参观了Wi-Fi全覆盖的服务站。")],
        ),
        ArticlePageFactory(
            parent=other_column, title="关于举办党务培训班的通知", source="市委组织部"
        ),
        ArticlePageFactory(parent=column, title="青年志愿服务活动", summary="志愿者走进社区。"),
    ]


def test_finds_words_in_title_summary_source_and_body(articles):
    assert result_titles(get("/search/", q="揭牌")) == ["社区党建服务站揭牌"]
    assert result_titles(get("/search/", q="睦邻")) == ["社区党建服务站揭牌"]
    assert result_titles(get("/search/", q="组织部")) == ["关于举办党务培训班的通知"]
    assert result_titles(get("/search/", q="参观学习")) == ["社区党建服务站揭牌"]


def test_every_word_of_the_query_must_match(articles):
    assert result_titles(get("/search/", q="党建 揭牌")) == ["社区党建服务站揭牌"]
    assert result_titles(get("/search/", q="党建 志愿")) == []


def test_mixed_chinese_and_latin_query(articles):
    assert result_titles(get("/search/", q="wi-fi服务站")) == ["社区党建服务站揭牌"]


def test_results_show_column_date_and_highlighted_snippet(articles):
    html = get("/search/", q="睦邻")
    assert "工作动态 · <time" in html
    assert "<mark>睦邻</mark>" in html
    assert re.search(r"<time datetime=\"[^\"]+\">\d{4}-\d{2}-\d{2}</time>", html)


def test_a_result_shows_the_day_it_was_published_in_beijing(column):
    # 07:30 in Beijing is 23:30 the day before in UTC.
    ArticlePageFactory(
        parent=column,
        title="清晨发布的通知",
        published_at=datetime(2024, 3, 2, 7, 30, tzinfo=SHANGHAI),
    )
    html = get("/search/", q="清晨发布")
    assert '<time datetime="2024-03-02T07:30:00+08:00">2024-03-02</time>' in html


def snippets(html):
    return [
        re.sub(r"<[^>]+>", "", text)
        for text in re.findall(r"<p>(.*?)</p>\s*</li>", html.split('class="search-results"')[1])
    ]


def test_snippets_quote_the_body_around_the_words_not_the_title_or_source(column):
    ArticlePageFactory(
        parent=column,
        title="睦邻服务站揭牌",
        source="市委组织部",
        summary="服务站正式启用。",
        body=[
            {"type": "paragraph", "value": "<p>" + "开场的话。" * 30 + "</p>"},
            section("议程一", "参观学习", "与会人员参观了长者食堂和儿童阅读角。"),
        ],
    )
    # Words in the body: the passage around them.
    [around] = snippets(get("/search/", q="阅读角"))
    assert "议程一：参观学习 与会人员参观了长者食堂和儿童阅读角。" in around
    assert around.startswith("…") and "睦邻服务站揭牌" not in around
    # Words in the title or 来源 alone: the body's beginning, neither the title nor the source.
    for word in ("揭牌", "组织部"):
        [opening] = snippets(get("/search/", q=word))
        assert opening.startswith("开场的话。开场的话。"), opening
        assert "揭牌" not in opening and "市委组织部" not in opening


def test_filter_by_column(articles, other_column):
    assert result_titles(get("/search/", q="党", column=other_column.pk)) == [
        "关于举办党务培训班的通知"
    ]


def test_results_are_paginated(column):
    for number in range(13):
        ArticlePageFactory(parent=column, title=f"党建动态{number}")
    first = get("/search/", q="党建")
    assert len(result_titles(first)) == 10
    assert "第 1 页 / 共 2 页" in first
    assert len(result_titles(get("/search/", q="党建", page=2))) == 3
    assert "第 2 页 / 共 2 页" in get("/search/", q="党建", page="999")
    assert "第 1 页 / 共 2 页" in get("/search/", q="党建", page="abc")


def test_empty_query_shows_the_form_only(articles):
    html = get("/search/")
    assert '<input id="search-q" type="search" name="q"' in html
    assert "search-results" not in html
    assert "请输入要搜索的" in get("/search/", q="!!!")


def test_results_page_is_noindex(articles):
    assert '<meta name="robots" content="noindex, follow">' in get("/search/", q="党建")


@pytest.mark.parametrize(
    "query",
    [
        "党" * 10_000,
        "'; DROP TABLE wagtailcore_page; --",
        '" OR 1=1 --',
        "<script>alert(1)</script>",
        "NEAR(党建 服务) AND title:*",
        "\x00",
    ],
)
def test_hostile_queries_are_answered_quickly_and_escaped(articles, query):
    started = time.monotonic()
    response = Client().get("/search/", {"q": query})
    assert response.status_code == 200
    assert time.monotonic() - started < 5
    html = response.content.decode()
    assert "<script>alert(1)" not in html


def test_no_results_message(articles):
    assert "没有找到与“火星”相关的文章" in get("/search/", q="火星")


def test_search_box_on_every_page(articles):
    assert 'action="/search/"' in get("/")


def test_results_are_newest_first_and_a_new_article_is_counted_at_once(column):
    for day in (3, 1, 2):
        ArticlePageFactory(
            parent=column,
            title=f"睦邻简报{day}",
            published_at=datetime(2024, 5, day, tzinfo=SHANGHAI),
        )
    html = get("/search/", q="睦邻")
    assert result_titles(html) == ["睦邻简报3", "睦邻简报2", "睦邻简报1"]
    assert "共找到 3 篇" in html
    newest = ArticlePageFactory(
        parent=column, title="睦邻简报4", published_at=datetime(2024, 5, 4, tzinfo=SHANGHAI)
    )
    newest.save_revision().publish()  # as the admin and the importer publish
    html = get("/search/", q="睦邻")
    assert "共找到 4 篇" in html and result_titles(html)[0] == "睦邻简报4"
