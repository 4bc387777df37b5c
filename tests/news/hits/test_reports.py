"""Where editors and readers see the counts: the admin listing, 阅读排行 and 热点排行."""

import codecs
import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate, localtime

from news.hits.models import PageDailyHits
from news.hits.ranking import period_start
from tests.factories import ArticlePageFactory

# On PostgreSQL too: the rankings group and window by date in SQL.
pytestmark = pytest.mark.engine_dependent


@pytest.fixture
def ranked(column, other_column):
    today = localdate()
    popular = ArticlePageFactory(parent=column, title="本周最热的文章", hits=900)
    older = ArticlePageFactory(parent=other_column, title="上月热门的文章", hits=5000)
    quiet = ArticlePageFactory(parent=column, title="无人问津的文章", hits=0)
    PageDailyHits.objects.create(page=popular, day=today, hits=40)
    PageDailyHits.objects.create(page=older, day=today.replace(day=1) - timedelta(days=3), hits=700)
    return popular, older, quiet


def test_period_starts_follow_the_calendar():
    from datetime import date

    wednesday = date(2024, 5, 15)
    assert period_start("day", wednesday) == wednesday
    assert period_start("week", wednesday) == date(2024, 5, 13)
    assert period_start("month", wednesday) == date(2024, 5, 1)
    assert period_start("all", wednesday) is None


def test_admin_article_listing_shows_column_source_status_and_click_count(admin_client, ranked):
    response = admin_client.get(reverse("articles:index"))
    html = response.content.decode()
    assert response.status_code == 200
    for heading in ["栏目", "发布时间", "来源", "状态", "点击数"]:
        assert heading in html
    assert "本周最热的文章" in html and "900" in html and "5000" in html


def test_admin_article_listing_filters_by_column(admin_client, ranked, other_column):
    html = admin_client.get(reverse("articles:index"), {"column": other_column.pk}).content.decode()
    assert "上月热门的文章" in html
    assert "本周最热的文章" not in html


def test_most_read_report_ranks_by_period(admin_client, ranked):
    url = reverse("news_most_read")
    week = admin_client.get(url, {"period": "week"}).content.decode()
    assert "本周最热的文章" in week and "上月热门的文章" not in week
    everything = admin_client.get(url, {"period": "all"}).content.decode()
    assert everything.index("上月热门的文章") < everything.index("本周最热的文章")
    assert "无人问津的文章" not in everything


def cells(html, title):
    """The text of the cells of the report row holding `title`."""
    row = next(row for row in html.split("<tr")[1:] if title in row)
    return [
        re.sub(r"<[^>]+>|\s+", " ", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
    ]


def test_most_read_report_shows_rank_and_the_periods_count(admin_client, ranked):
    _, older, _ = ranked
    html = admin_client.get(reverse("news_most_read"), {"period": "all"}).content.decode()
    for heading in ["排名", "标题", "栏目", "发布时间", "点击数"]:
        assert f">{heading}<" in re.sub(r"\s*<", "<", re.sub(r">\s*", ">", html))
    row = cells(html, "上月热门的文章")
    assert row[0] == "1" and row[-1] == "5000" and row[2] == "通知公告"
    assert localtime(older.published_at).strftime("%Y-%m-%d %H:%M") in row[3]
    # This week only the 40 views of this week count.
    week = admin_client.get(reverse("news_most_read"), {"period": "week"}).content.decode()
    row = cells(week, "本周最热的文章")
    assert row[0] == "1" and row[-1] == "40"


def test_most_read_period_select_shows_the_period_shown(admin_client, ranked):
    html = admin_client.get(reverse("news_most_read")).content.decode()
    assert re.search(r'<option value="week"\s+selected', html)
    assert not re.search(r'<option value="day"\s+selected', html)
    assert "本周（" in html
    html = admin_client.get(reverse("news_most_read"), {"period": "month"}).content.decode()
    assert re.search(r'<option value="month"\s+selected', html)


def content_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    content = content_of(response)
    assert content.startswith(codecs.BOM_UTF8)  # Chinese Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_most_read_report_exports_csv_for_chinese_excel(admin_client, ranked):
    _, older, _ = ranked
    response = admin_client.get(reverse("news_most_read"), {"period": "all", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = csv_rows(response)
    assert rows[0] == ["排名", "标题", "栏目", "网址", "发布时间", "点击数"]
    assert rows[1][:3] == ["1", "上月热门的文章", "通知公告"]
    assert rows[1][3] == older.full_url and older.full_url.startswith("http")
    assert rows[1][4] == localtime(older.published_at).strftime("%Y-%m-%d %H:%M")
    assert rows[1][5] == "5000"


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://evil.example")', "+1+1", "-2+3", "@SUM(A1)", "  =1+1"]
)
def test_exported_titles_never_become_formulas(admin_client, column, title):
    ArticlePageFactory(parent=column, title=title, hits=10)
    url = reverse("news_most_read")
    rows = csv_rows(admin_client.get(url, {"period": "all", "export": "csv"}))
    assert rows[1][1] == "'" + title

    response = admin_client.get(url, {"period": "all", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value == "'" + title and cell.data_type == "s"


def test_xlsx_export_has_beijing_times(admin_client, ranked):
    _, older, _ = ranked
    response = admin_client.get(reverse("news_most_read"), {"period": "all", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [cell.value for cell in sheet[1]] == [
        "排名",
        "标题",
        "栏目",
        "网址",
        "发布时间",
        "点击数",
    ]
    assert sheet.cell(row=2, column=5).value == localtime(older.published_at).replace(tzinfo=None)
    assert sheet.cell(row=2, column=6).value == 5000


def test_most_read_report_is_closed_to_users_without_page_permissions(
    client, django_user_model, ranked
):
    user = django_user_model.objects.create_user("staff", password="x")
    group = Group.objects.create(name="只能登录后台")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)
    response = client.get(reverse("news_most_read"))
    assert response.status_code in (302, 403)


def test_home_and_column_pages_show_hot_lists(ranked):
    home = Client().get("/").content.decode()
    assert "热点排行" in home
    assert "本周热点" in home and "本周最热的文章" in home
    column = Client().get("/news/").content.decode()
    hot = column.split('class="hot-list"')[1]
    assert "本周最热的文章" in hot
    assert "上月热门的文章" not in hot  # another column


def test_no_hot_list_without_recent_views(column):
    ArticlePageFactory(parent=column, hits=50)
    assert "热点排行" not in Client().get("/").content.decode()


@pytest.mark.parametrize("title", ['=HYPERLINK("http://evil.example")', "+1", "-1", "@SUM(A1)"])
def test_wagtails_own_site_history_export_never_holds_a_formula(admin_client, column, title):
    page = ArticlePageFactory(parent=column, title="正常标题")
    page.title = title
    page.save_revision(log_action=True)
    response = admin_client.get("/admin/reports/site-history/", {"export": "csv"})
    content = content_of(response)
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.lstrip(" ").startswith(("=", "+", "-", "@"))]
    assert any(cell.startswith("'") and title in cell for cell in cells), rows[:3]
