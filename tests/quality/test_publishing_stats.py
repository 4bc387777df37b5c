"""报告 → 发稿统计: the figures of a site with known counts — two editors, two reviewers, two
columns, an article published into both (一稿多发), an imported article, three months and
articles on either side of the period's ends in Beijing time — in the page, in the chart's text
alternative and table, and in the XLSX and CSV; bad input answered in Chinese; who may see it."""

import csv
import datetime
import io
from contextlib import contextmanager
from unittest import mock

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page, Site
from wagtail.users.forms import GroupForm

from core.beijing_time import BEIJING
from news.hits import store
from news.hits.models import PageHits
from news.importing.importer import import_article
from news.importing.seedformat import ParsedArticle
from news.models import ArticlePage, HomePage, NewsIndexPage
from news.roles import EDITORS, REVIEWERS
from news.sitetree import add_published
from news.slugs import new_article_slug
from quality.publishing_stats import Period, publishing_figures
from quality.safety_roles import CONTENT_SAFETY
from security.audit import SecurityEvent
from tests.admin_forms import user_in
from tests.module_transaction import module_transaction

# SQL dates in the site's zone, casts and correlated subqueries: CI runs these on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

URL = "/admin/reports/publishing/"
QUARTER = {"first": "2026-01-01", "last": "2026-03-31"}


@contextmanager
def clock(when):
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def at(month, day, hour=10, minute=0, year=2026):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=BEIJING)


def draft(column, title, editor, when):
    with clock(when):
        page = ArticlePage(title=title, owner=editor, published_at=when, live=False)
        column.add_child(instance=page)
    return ArticlePage.objects.get(pk=page.pk)


def submit(page, editor, when):
    with clock(when):
        page.save_revision(user=editor)
        page.get_workflow().start(page, editor)


def decide(page, reviewer, action, when):
    page = ArticlePage.objects.get(pk=page.pk)
    with clock(when):
        page.current_workflow_task.on_action(page.current_workflow_task_state, reviewer, action)


def resubmit(page, editor, when):
    page = ArticlePage.objects.get(pk=page.pk)
    with clock(when):
        page.save_revision(user=editor)
        page.current_workflow_state.resume(user=editor)


def reviewed(column, title, editor, reviewer, submitted, approved, hits=None):
    page = draft(column, title, editor, submitted)
    submit(page, editor, submitted)
    decide(page, reviewer, "approve", approved)
    if hits is not None:
        PageHits.objects.create(page=page, hits=hits)
    return ArticlePage.objects.get(pk=page.pk)


def make_people(django_user_model):
    return {
        "wang": user_in(django_user_model, EDITORS, "wang", first_name="王编辑")[0],
        "zhang": user_in(django_user_model, EDITORS, "zhang", first_name="张编辑")[0],
        "li": user_in(django_user_model, REVIEWERS, "li", first_name="李审核")[0],
        "zhao": user_in(django_user_model, REVIEWERS, "zhao", first_name="赵审核")[0],
    }


def make_newsroom(column, other_column, people):
    """The first quarter of 2026 on the default site, with what lies just outside it."""
    wang, zhang, li, zhao = people["wang"], people["zhang"], people["li"], people["zhao"]
    articles = {}
    articles["a1"] = reviewed(column, "王一", wang, li, at(1, 10), at(1, 11), hits=100)
    articles["a2"] = reviewed(column, "王二", wang, zhao, at(2, 2), at(2, 3), hits=40)
    # 一稿多发: a reviewer publishes the report into 通知公告 as well.
    with clock(at(2, 4)):
        articles["a2"].create_alias(
            parent=other_column, update_slug=new_article_slug(other_column), user=li
        )
    b1 = draft(other_column, "张一", zhang, at(1, 20))
    submit(b1, zhang, at(1, 20))
    decide(b1, li, "reject", at(1, 21))
    resubmit(b1, zhang, at(1, 21, 15))
    decide(b1, li, "approve", at(1, 22))
    PageHits.objects.create(page=b1, hits=7)
    # The last minutes of the period, in Beijing time (15:30 UTC), and the first of the next.
    articles["b2"] = reviewed(column, "张二", zhang, zhao, at(3, 30), at(3, 31, 23, 30))
    reviewed(column, "王四", wang, zhao, at(3, 31), at(4, 1, 0, 10), hits=9)
    # Published directly by a reviewer, before the period.
    before = draft(column, "王三", wang, at(12, 19, year=2025))
    with clock(at(12, 20, year=2025)):
        before.save_revision(user=wang).publish(user=li, skip_permission_checks=True)
    # An article imported with its count, by an operator's command (no author).
    imported = ParsedArticle(title="导入的文章", source="青溪日报", published_at=at(2, 9), hits=500)
    with clock(at(2, 10)):
        import_article(imported, column)
    # A draft never published counts nowhere.
    draft(column, "张的草稿", zhang, at(2, 15))
    return articles


@pytest.fixture(scope="module")
def _newsroom_pks(django_db_setup, django_db_blocker):
    """The people and the newsroom, made once for the module (nine pages, most through their
    workflows: about a second for each test otherwise; tests/module_transaction.py)."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            home = Site.objects.get(is_default_site=True).root_page
            column = NewsIndexPage.objects.child_of(home).get(slug="news")
            other_column = NewsIndexPage.objects.child_of(home).get(slug="notices")
            people = make_people(get_user_model())
            articles = make_newsroom(column, other_column, people)
        yield (
            {name: user.pk for name, user in people.items()},
            {name: page.pk for name, page in articles.items()},
        )


@pytest.fixture
def people(_newsroom_pks, site, django_user_model):
    # Read again for each test: a test that changes a person changes only its own copy.
    return {name: django_user_model.objects.get(pk=pk) for name, pk in _newsroom_pks[0].items()}


@pytest.fixture
def newsroom(_newsroom_pks, people):
    return {name: ArticlePage.objects.get(pk=pk) for name, pk in _newsroom_pks[1].items()}


@pytest.fixture
def other_site(newsroom, people):
    root = Page.objects.get(depth=1)
    with clock(at(1, 5)):
        home = add_published(root, HomePage(title="区委党建网", slug="district"))
        news = add_published(home, NewsIndexPage(title="区县动态", slug="district-news"))
    site = Site.objects.create(
        hostname="district.example.cn", root_page=home, site_name="区委党建网"
    )
    page = draft(news, "区里的文章", people["wang"], at(2, 6))
    with clock(at(2, 6)):
        revision = page.save_revision(user=people["wang"])
        revision.publish(user=people["wang"], skip_permission_checks=True)
    return site


def rows(table):
    return [
        (row.find("th").get_text(strip=True), *[int(td.get_text()) for td in row.find_all("td")])
        for row in table.find("tbody").find_all("tr")
    ]


def total(table):
    cells = table.find("tfoot").find_all("td")
    return tuple(int(td.get_text()) for td in cells)


EDITOR_ROWS = [("王编辑", 2, 140), ("张编辑", 2, 7), ("（未署名）", 1, 500)]
COLUMN_ROWS = [("工作动态", 4, 640), ("通知公告", 2, 47)]
MONTH_ROWS = [("2026年1月", 2, 107), ("2026年2月", 2, 540), ("2026年3月", 1, 0)]
REVIEWER_ROWS = [("李审核", 2, 1), ("赵审核", 2, 0)]


# The figures -----------------------------------------------------------------------------------


def test_figures_count_first_publications_by_editor_column_month_and_reviewer(site, newsroom):
    figures = publishing_figures(
        site, Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    )
    assert [(r.label, r.articles, r.hits) for r in figures.editors] == EDITOR_ROWS
    assert [(r.label, r.articles, r.hits) for r in figures.columns] == COLUMN_ROWS
    assert [(r.label, r.articles, r.hits) for r in figures.months] == MONTH_ROWS
    assert [(r.label, r.approved, r.rejected) for r in figures.reviewers] == REVIEWER_ROWS
    assert (figures.articles, figures.hits) == (5, 647)


def test_the_hits_are_the_counts_the_articles_show(site, newsroom):
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    shown = sum(
        page.click_count_stored
        for page in ArticlePage.objects.filter(
            alias_of__isnull=True,
            first_published_at__gte=period.start,
            first_published_at__lt=period.end,
        )
    )
    assert publishing_figures(site, period).hits == shown == 647
    copy = ArticlePage.objects.get(alias_of=newsroom["a2"])
    assert copy.click_count_stored == 40  # what the 通知公告 row adds for it


def test_imports_can_be_left_out(site, newsroom):
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    figures = publishing_figures(site, period, with_imports=False)
    assert [(r.label, r.articles, r.hits) for r in figures.editors] == EDITOR_ROWS[:2]
    assert [(r.label, r.articles) for r in figures.columns] == [("工作动态", 3), ("通知公告", 2)]
    assert [r.articles for r in figures.months] == [2, 1, 1]
    assert (figures.articles, figures.hits) == (4, 147)


def test_the_period_ends_at_midnight_beijing_time(site, newsroom):
    march = publishing_figures(site, Period(datetime.date(2026, 3, 31), datetime.date(2026, 3, 31)))
    april = publishing_figures(site, Period(datetime.date(2026, 4, 1), datetime.date(2026, 4, 1)))
    assert [(r.label, r.articles) for r in march.editors] == [("张编辑", 1)]
    assert [(r.label, r.articles, r.hits) for r in april.editors] == [("王编辑", 1, 9)]
    assert [(r.label, r.approved) for r in april.reviewers] == [("赵审核", 1)]


def test_a_reviewers_direct_publishing_leaves_the_article_its_editors(site, newsroom):
    december = publishing_figures(
        site, Period(datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    )
    assert [(r.label, r.articles) for r in december.editors] == [("王编辑", 1)]
    assert december.reviewers == []  # publishing without the workflow is no review


def test_two_editors_of_one_name_are_told_apart(site, column, newsroom, people, django_user_model):
    namesake = user_in(django_user_model, EDITORS, "wang2", first_name="王编辑")[0]
    reviewed(column, "另一位王编辑的文章", namesake, people["li"], at(3, 2), at(3, 3), hits=3)
    figures = publishing_figures(
        site, Period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
    )
    # Alone in the figures, a name needs nothing more.
    assert sorted(row.label for row in figures.editors) == ["张编辑", "王编辑"]
    everyone = publishing_figures(
        site, Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    )
    assert {row.label for row in everyone.editors} >= {"王编辑（wang）", "王编辑（wang2）"}


def test_each_site_counts_its_own_articles(site, other_site):
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert publishing_figures(site, period).articles == 5
    district = publishing_figures(other_site, period)
    assert [(r.label, r.articles) for r in district.editors] == [("王编辑", 1)]
    assert [(r.label, r.articles) for r in district.columns] == [("区县动态", 1)]
    assert district.reviewers == []


def test_the_number_of_queries_does_not_grow_with_the_articles(site, column, newsroom, people):
    period = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    with CaptureQueriesContext(connection) as before:
        publishing_figures(site, period)
    for number in range(6):
        reviewed(column, f"更多{number}", people["zhang"], people["li"], at(3, 2), at(3, 3), 1)
    with CaptureQueriesContext(connection) as after:
        figures = publishing_figures(site, period)
    assert figures.articles == 11
    assert len(after.captured_queries) == len(before.captured_queries) <= 10


# The page --------------------------------------------------------------------------------------


@pytest.fixture
def reviewer(people):
    """李审核, signed in."""
    client = Client()
    client.force_login(people["li"])
    return client


def test_the_page_shows_the_figures_and_the_charts_text_alternative(reviewer, newsroom):
    response = reviewer.get(URL, QUARTER)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert rows(page.find(id="stats-table-editors")) == EDITOR_ROWS
    assert total(page.find(id="stats-table-editors")) == (5, 647)
    assert rows(page.find(id="stats-table-columns")) == COLUMN_ROWS
    assert rows(page.find(id="stats-table-months")) == MONTH_ROWS
    assert rows(page.find(id="stats-table-reviewers")) == REVIEWER_ROWS
    svg = page.find("svg", class_="publishing-chart")
    assert svg["role"] == "img"
    assert svg["aria-labelledby"] == "stats-chart-title stats-chart-desc"
    assert svg.find("title").get_text() == "每月首次发布的文章数"
    assert svg.find("desc").get_text() == (
        "2026-01-01 至 2026-03-31首次发布的文章共5篇，"
        "按月：2026年1月2篇；2026年2月2篇；2026年3月1篇。"
    )
    bars = svg.find_all("rect", class_="publishing-chart__bar")
    assert [float(bar["height"]) for bar in bars] == [160, 160, 80]
    figures = [text.get_text() for text in svg.find_all("text", class_="publishing-chart__figure")]
    assert figures == ["2", "2", "1"]
    # Nothing the admin's policy or a reader's settings could stop: no script, no style.
    assert svg.find_all(attrs={"style": True}) == [] and svg.find("script") is None
    export = page.find("a", string="Excel 文件（XLSX）")["href"]
    assert "first=2026-01-01" in export and "last=2026-03-31" in export


def test_without_a_period_the_page_shows_this_year(reviewer, newsroom):
    with clock(at(3, 15, 12)):
        response = reviewer.get(URL)
    page = BeautifulSoup(response.content, "html.parser")
    assert page.find("input", attrs={"name": "first"})["value"] == "2026-01-01"
    assert page.find("input", attrs={"name": "last"})["value"] == "2026-03-15"
    assert [r[0] for r in rows(page.find(id="stats-table-months"))] == [
        "2026年1月",
        "2026年2月",
        "2026年3月",
    ]


def test_the_page_leaves_imports_out_when_asked(reviewer, newsroom):
    response = reviewer.get(URL, {**QUARTER, "without_imports": "on"})
    page = BeautifulSoup(response.content, "html.parser")
    assert rows(page.find(id="stats-table-editors")) == EDITOR_ROWS[:2]
    assert "不含导入的文章" in page.find(id="stats-summary").find_parent("section").get_text()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"first": "2026-13-01", "last": "2026-03-31"}, "开始日期应为有效的日期"),
        ({"first": "2026-01-01", "last": "昨天"}, "结束日期应为有效的日期"),
        ({"first": "2026-03-31", "last": "2026-01-01"}, "开始日期不能晚于结束日期"),
        ({"first": "2010-01-01", "last": "2026-03-31"}, "统计时间最长 10 年"),
        ({"first": "0001-01-01", "last": "2026-03-31"}, "日期应在 1990 年至 2099 年之间"),
        ({"first": "2026-01-01", "last": "9999-12-31"}, "日期应在 1990 年至 2099 年之间"),
        ({"first": "2026-01-01", "last": "99999-12-31"}, "结束日期应为有效的日期"),
        ({**QUARTER, "site": "abc"}, "选择一个有效的选项"),
        ({**QUARTER, "site": "999999999999999999999"}, "选择一个有效的选项"),
        ({"first": "2026-01-01"}, "必需字段"),
    ],
)
def test_bad_periods_are_answered_in_chinese(reviewer, newsroom, query, message):
    for export in ("", "xlsx", "csv"):
        response = reviewer.get(URL, {**query, "export": export} if export else query)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        page = BeautifulSoup(response.content, "html.parser")
        assert message in page.get_text()
        assert page.find(id="stats-table-editors") is None


# Spreadsheets ----------------------------------------------------------------------------------


def sheet_rows(sheet):
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_the_xlsx_holds_the_same_figures(reviewer, newsroom):
    response = reviewer.get(URL, {**QUARTER, "export": "xlsx"})
    assert response.status_code == 200
    assert (
        "filename*=utf-8''%E5%8F%91%E7%A8%BF%E7%BB%9F%E8%AE%A1-20260101-20260331.xlsx"
        in (response["Content-Disposition"])
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概况", "按编辑", "按栏目", "按月份", "审核"]
    assert sheet_rows(book["按编辑"]) == [
        ("编辑", "文章数", "点击数"),
        *EDITOR_ROWS,
        ("合计", 5, 647),
    ]
    assert sheet_rows(book["按栏目"]) == [("栏目", "文章数", "点击数"), *COLUMN_ROWS]
    assert sheet_rows(book["按月份"]) == [
        ("月份", "文章数", "点击数"),
        *MONTH_ROWS,
        ("合计", 5, 647),
    ]
    assert sheet_rows(book["审核"]) == [
        ("审核人员", "通过", "退回"),
        *REVIEWER_ROWS,
        ("合计", 4, 1),
    ]
    summary = dict(sheet_rows(book["概况"])[1:])
    assert summary["统计时间"] == "2026-01-01 至 2026-03-31"
    assert summary["首次发布的文章"] == 5 and summary["点击数"] == 647


def test_the_csv_opens_in_chinese_excel(reviewer, newsroom):
    response = reviewer.get(URL, {**QUARTER, "export": "csv"})
    assert response.status_code == 200
    assert SecurityEvent.objects.filter(event="export", username="li").exists()
    assert response.content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    editors = lines.index(["按编辑"])
    assert lines[editors + 1 : editors + 6] == [
        ["编辑", "文章数", "点击数"],
        *[[name, str(articles), str(hits)] for name, articles, hits in EDITOR_ROWS],
        ["合计", "5", "647"],
    ]
    columns = lines.index(["按栏目"])
    assert lines[columns + 2 : columns + 4] == [
        [name, str(articles), str(hits)] for name, articles, hits in COLUMN_ROWS
    ]


def test_a_name_that_looks_like_a_formula_stays_text(reviewer, newsroom, people):
    people["wang"].first_name = '=HYPERLINK("http://example.com","点我")'
    people["wang"].save()
    book = openpyxl.load_workbook(
        io.BytesIO(reviewer.get(URL, {**QUARTER, "export": "xlsx"}).content)
    )
    cell = book["按编辑"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK")
    text = reviewer.get(URL, {**QUARTER, "export": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text


def test_a_name_with_control_characters_is_exported_without_them(reviewer, newsroom, people):
    people["wang"].first_name = "王\x1b编\x07辑"
    people["wang"].save()
    response = reviewer.get(URL, {**QUARTER, "export": "xlsx"})
    assert response.status_code == 200
    names = [
        row[0] for row in sheet_rows(openpyxl.load_workbook(io.BytesIO(response.content))["按编辑"])
    ]
    assert any(name.startswith("王编辑") for name in names), names


# Who may see it --------------------------------------------------------------------------------


def denied(response):
    """Wagtail's admin answers a refusal by going back to the dashboard with a Chinese
    message (or 403)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def test_an_editor_is_refused_even_with_the_address(editor_client, newsroom):
    assert denied(editor_client.get(URL, QUARTER))
    assert denied(editor_client.get(URL, {**QUARTER, "export": "xlsx"}))
    refusals = SecurityEvent.objects.filter(event="permission_denied", username="editor")
    assert refusals.filter(object__startswith=URL).count() == 2
    # The sidebar is drawn from the addresses in its props.
    assert URL not in editor_client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("group", [REVIEWERS, CONTENT_SAFETY])
def test_reviewers_and_content_safety_may_read_it(site, django_user_model, newsroom, group):
    client = user_in(django_user_model, group, "reader")[1]
    response = client.get(URL, QUARTER)
    assert response.status_code == 200
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_superuser_may_read_it(superuser_client, newsroom):
    assert superuser_client.get(URL, QUARTER).status_code == 200


def test_with_two_sites_a_user_sees_only_the_sites_they_are_tied_to(
    site, other_site, django_user_model, superuser_client
):
    user, client = user_in(django_user_model, CONTENT_SAFETY, "neirong")
    tie = Group.objects.create(name="本站人员")
    GroupPagePermission.objects.create(
        group=tie, page=site.root_page, permission=Permission.objects.get(codename="change_page")
    )
    user.groups.add(tie)
    page = BeautifulSoup(client.get(URL, QUARTER).content, "html.parser")
    # One site of their own: nothing to choose.
    assert page.find("select", attrs={"name": "site"}) is None
    assert page.find("input", attrs={"name": "site"})["value"] == str(site.pk)
    assert total(page.find(id="stats-table-editors")) == (5, 647)
    refused = client.get(URL, {**QUARTER, "site": other_site.pk})
    assert "选择一个有效的选项" in refused.content.decode()
    assert "区县动态" not in refused.content.decode()
    # A superuser chooses either.
    district = superuser_client.get(URL, {**QUARTER, "site": other_site.pk})
    page = BeautifulSoup(district.content, "html.parser")
    assert rows(page.find(id="stats-table-columns")) == [("区县动态", 1, 0)]


def test_a_user_tied_to_no_site_is_told_so(site, other_site, django_user_model):
    client = user_in(django_user_model, CONTENT_SAFETY, "nowhere")[1]
    response = client.get(URL, QUARTER)
    assert response.status_code == 200
    assert "没有关联任何站点" in response.content.decode()


def test_the_report_is_shown_when_redis_fails_at_the_flush(reviewer, newsroom):
    with mock.patch("news.hits.store.flush", side_effect=ConnectionError("Redis went away")):
        response = reviewer.get(URL, QUARTER)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert total(page.find(id="stats-table-editors")) == (5, 647)


@pytest.fixture
def worker_id(request):
    # pytest-xdist's, for redis_buffer, also when the module runs without xdist (-p no:xdist).
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


def test_views_still_buffered_in_redis_are_counted(reviewer, newsroom, redis_buffer):
    a1 = newsroom["a1"]
    store.record_view(a1.pk, reader="reader-1", address="203.0.113.1")
    store.record_view(a1.pk, reader="reader-2", address="203.0.113.2")
    assert store.current_count(a1.pk) == 102  # what the article shows, before any flush
    page = BeautifulSoup(reviewer.get(URL, QUARTER).content, "html.parser")
    assert rows(page.find(id="stats-table-editors"))[0] == ("王编辑", 2, 142)
    assert total(page.find(id="stats-table-editors")) == (5, 649)


def test_the_permission_is_offered_by_the_group_form_and_held_by_the_roles(site):
    # Saving a group keeps only the permissions its form offers.
    permission = Permission.objects.get(codename="view_publishingstats")
    assert permission in GroupForm().fields["permissions"].queryset
    assert str(permission.name) == "可以查看发稿统计"
    holders = Group.objects.filter(permissions=permission).values_list("name", flat=True)
    assert set(holders) == {REVIEWERS, CONTENT_SAFETY}
