"""站内搜索's 排序 and 时间范围: read from any query string without an error page, each bad part
left out with a Chinese message, and kept by the links to the other pages of results."""

import re
from datetime import date, datetime

import pytest
from django.test import Client

from news.search.filters import SearchFilters, read_filters
from tests.factories import SHANGHAI, ArticlePageFactory

# The page tests filter on dates in SQL: on PostgreSQL too.
pytestmark = pytest.mark.engine_dependent

TODAY = date(2026, 12, 7)


def test_defaults_are_relevance_and_any_time():
    assert read_filters({}, TODAY) == SearchFilters()
    assert SearchFilters().query_string == ""


@pytest.mark.parametrize(
    ("period", "since"),
    [("week", date(2026, 12, 1)), ("month", date(2026, 11, 8)), ("year", date(2025, 12, 8))],
)
def test_presets_count_back_from_today(period, since):
    filters = read_filters({"period": period, "sort": "date"}, TODAY)
    assert (filters.sort, filters.period, filters.since, filters.until) == (
        "date",
        period,
        since,
        None,
    )
    assert filters.errors == ()
    assert filters.query_string == f"sort=date&period={period}"


@pytest.mark.parametrize("typed", ["2024-03-01", "2024/3/1", "2024年3月1日", " 2024-03-01 "])
def test_custom_range_reads_the_ways_people_write_a_day(typed):
    filters = read_filters({"period": "custom", "from": typed, "to": "2024-03-31"}, TODAY)
    assert (filters.since, filters.until, filters.errors) == (
        date(2024, 3, 1),
        date(2024, 3, 31),
        (),
    )
    assert filters.query_string == "period=custom&from=2024-03-01&to=2024-03-31"
    assert filters.summary == "2024-03-01 至 2024-03-31"


def test_dates_without_a_period_are_a_custom_range():
    # The form without JavaScript: the reader filled a date and left 时间范围 at 不限.
    filters = read_filters({"to": "2024-03-31"}, TODAY)
    assert (filters.period, filters.since, filters.until) == ("custom", None, date(2024, 3, 31))


def test_a_preset_wins_over_dates_and_says_so():
    filters = read_filters({"period": "week", "from": "2024-03-01"}, TODAY)
    assert filters.since == date(2026, 12, 1)
    assert filters.errors == ("已按“近一周”筛选，未使用填写的日期；要按日期筛选请选“自定义”。",)


def test_reversed_range_is_an_error_not_a_swap():
    filters = read_filters({"period": "custom", "from": "2024-05-01", "to": "2024-03-01"}, TODAY)
    assert (filters.since, filters.until) == (None, None)
    assert (filters.from_value, filters.to_value) == ("2024-05-01", "2024-03-01")
    assert filters.errors == (
        "开始日期（2024-05-01）晚于结束日期（2024-03-01），请重新选择；本次搜索不限时间。",
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sort": "hot"}, "不认识的排序方式“hot”，已按相关度排序。"),
        ({"sort": "x" * 10_000}, "不认识的排序方式“xxxxxxxxxxxx…”，已按相关度排序。"),
        ({"period": "decade"}, "不认识的时间范围“decade”，本次搜索不限时间。"),
        (
            {"from": "2024-02-30"},
            "开始日期“2024-02-30”不是有效的日期，请按 2024-03-15 的格式填写；本次搜索未按它筛选。",
        ),
        (
            {"to": "yesterday"},
            "结束日期“yesterday”不是有效的日期，请按 2024-03-15 的格式填写；本次搜索未按它筛选。",
        ),
        (
            {"from": "9999-12-31"},
            "开始日期“9999-12-31”超出范围，请选择 1990-01-01 至 2027-12-08 之间的日期；"
            "本次搜索未按它筛选。",
        ),
        (
            {"from": "0001-01-01"},
            "开始日期“0001-01-01”超出范围，请选择 1990-01-01 至 2027-12-08 之间的日期；"
            "本次搜索未按它筛选。",
        ),
        ({"period": "custom"}, "选择“自定义”时请填写开始日期或结束日期；本次搜索不限时间。"),
    ],
)
def test_bad_parts_are_left_out_with_a_chinese_message(params, message):
    filters = read_filters(params, TODAY)
    assert filters.errors == (message,)
    assert (filters.sort, filters.since, filters.until) == ("relevance", None, None)


def titles(html):
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r"<h2><a href=\"[^\"]+\">(.*?)</a></h2>", html)
    ]


@pytest.fixture
def reports(column):
    return [
        ArticlePageFactory(
            parent=column,
            title=f"党建简报第{number}期",
            published_at=datetime(2024, 3, number, 9, tzinfo=SHANGHAI),
        )
        for number in range(1, 16)
    ]


def test_the_page_filters_by_dates_and_counts_what_it_shows(reports):
    html = Client().get("/search/", {"q": "简报", "from": "2024-03-03", "to": "2024-03-05"})
    assert html.status_code == 200
    page = html.content.decode()
    assert sorted(titles(page)) == ["党建简报第3期", "党建简报第4期", "党建简报第5期"]
    assert "共找到 3 篇与“简报”相关的文章（2024-03-03 至 2024-03-05）。" in page
    assert 'value="2024-03-03"' in page and '<option value="custom" selected>' in page


def test_bad_filters_still_search_and_say_why(reports):
    response = Client().get(
        "/search/", {"q": "简报", "sort": "<script>", "from": "2024-03-09", "to": "2024-03-01"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert '<div class="search-errors" role="alert">' in page
    assert "不认识的排序方式“&lt;script&gt;”" in page
    assert "开始日期（2024-03-09）晚于结束日期（2024-03-01）" in page
    assert "共找到 15 篇" in page


def test_pagination_keeps_every_filter(reports, column):
    page = (
        Client()
        .get(
            "/search/",
            {"q": "简报", "column": column.pk, "sort": "date", "from": "2024-03-01"},
        )
        .content.decode()
    )
    assert (
        f'href="?q=%E7%AE%80%E6%8A%A5&amp;column={column.pk}&amp;sort=date&amp;period=custom'
        '&amp;from=2024-03-01&amp;page=2" rel="next"'
    ) in page
