"""栏目更新监测 on a fixed day: each update class just inside and just outside its limit, blank
columns, what does not count as an update (a scheduled, expired or restricted article, a draft)
and what does (a copy in another column), the veto counters, the home page, the report as staff
read and export it, who may read it, the dashboard's panel and menu item, and the daily job's
warnings, sent once a day to a column's reviewers and 内容安全管理."""

import codecs
import csv
import datetime
import io
import json
import re
from unittest import mock

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, PageLogEntry, PageViewRestriction

from core import generation, staff_sites
from core.beijing_time import BEIJING
from news.models import NewsIndexPage, UpdateClass
from news.roles import EDITORS, REVIEWERS
from news.sitetree import add_published
from quality import nightly
from quality.freshness import BLANK, FRESH, SOON, STALE, UNMONITORED, measure
from quality.freshness_mail import send_warnings
from quality.freshness_models import FreshnessWarning
from quality.safety_roles import CONTENT_SAFETY
from tests.admin_forms import user_in
from tests.factories import ArticlePageFactory

# The measure is one aggregated query of date functions (LEAST, COALESCE, SUBSTR), which each
# engine computes its own way: CI runs these again on PostgreSQL.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

TODAY = datetime.date(2026, 12, 7)


def at(day, hour=10):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BEIJING)


def days_ago(days, hour=10):
    return at(TODAY - datetime.timedelta(days=days), hour)


def clock(day=TODAY):
    """The site's clock stopped at 10 o'clock of `day`, Beijing time."""
    return mock.patch("django.utils.timezone.now", return_value=at(day))


def article(column, age_days, **fields):
    """A live article in `column` dated `age_days` before TODAY, first published on that day."""
    when = days_ago(age_days)
    page = ArticlePageFactory(parent=column, published_at=when, first_published_at=when, **fields)
    # Made live without publishing: what publishing would do to the site generation, done here.
    generation.bump()
    return page


def new_column(home, title, update_class=UpdateClass.NEWS):
    slug = f"col-{NewsIndexPage.objects.count()}"
    return add_published(home, NewsIndexPage(title=title, slug=slug, update_class=update_class))


def state_of(column, site, today=TODAY):
    [measured] = measure([site], today)
    return next(c for c in measured.columns if c.page_id == column.pk)


@pytest.fixture
def columns(home):
    """The three standard columns: 工作动态 (news), 通知公告 (notices), 基层实践 set to 人事/规划."""
    news = NewsIndexPage.objects.child_of(home).get(slug="news")
    notices = NewsIndexPage.objects.child_of(home).get(slug="notices")
    plans = NewsIndexPage.objects.child_of(home).get(slug="practice")
    plans.update_class = UpdateClass.PLANS
    plans.save()
    generation.bump()
    return news, notices, plans


@pytest.fixture
def safety(site, django_user_model):
    """A member of 内容安全管理 with an address, signed in (.user)."""
    return user_in(django_user_model, CONTENT_SAFETY, "anquan", email="anquan@example.cn")[1]


# What counts ------------------------------------------------------------------------------------


def test_a_new_sites_notices_column_is_a_notices_column_and_the_others_news(home):
    classes = dict(NewsIndexPage.objects.child_of(home).values_list("slug", "update_class"))
    assert classes == {"news": 14, "notices": 183, "practice": 14}
    assert home.notices_column.update_class == UpdateClass.NOTICES


@pytest.mark.parametrize(
    ("which", "limit"), [(0, 14), (1, 183), (2, 365)], ids=["news", "notices", "plans"]
)
def test_each_class_is_fresh_on_its_last_day_and_stale_the_day_after(site, columns, which, limit):
    column = columns[which]
    article(column, limit)
    inside = state_of(column, site)
    assert (inside.days_left, inside.status) == (0, SOON)
    assert inside.days_left_label == "今天是最后一天"
    outside = state_of(column, site, TODAY + datetime.timedelta(days=1))
    assert (outside.days_left, outside.status, outside.days_left_label) == (-1, STALE, "超期 1 天")
    early = state_of(column, site, TODAY - datetime.timedelta(days=5))
    assert (early.days_left, early.status) == (5, FRESH)


def test_the_day_counts_in_beijing_time(site, columns):
    news = columns[0]
    # 23:30 in Beijing is 15:30 UTC the same day: the article is of that Beijing day.
    when = days_ago(14, hour=23).replace(minute=30)
    ArticlePageFactory(parent=news, published_at=when, first_published_at=when)
    assert state_of(news, site).days_left == 0


def test_a_column_with_no_public_article_is_blank_whatever_its_class(site, home, columns):
    news, _notices, _plans = columns
    ArticlePageFactory(parent=news, live=False, published_at=days_ago(1))  # a draft
    unmonitored = new_column(home, "历史资料", UpdateClass.UNMONITORED)
    assert state_of(news, site).status == BLANK
    assert state_of(unmonitored, site).status == BLANK
    article(unmonitored, 900)
    assert state_of(unmonitored, site).status == UNMONITORED


def test_a_scheduled_article_does_not_update_its_column(site, columns):
    news = columns[0]
    article(news, 20)
    ArticlePageFactory(
        parent=news,
        live=False,
        published_at=days_ago(0),
        go_live_at=at(TODAY + datetime.timedelta(days=1)),
    )
    state = state_of(news, site)
    assert (state.count, state.last_day, state.status) == (1, TODAY - datetime.timedelta(20), STALE)


def test_an_expired_article_does_not_update_its_column(site, columns):
    news = columns[0]
    article(news, 20)
    article(news, 1, live=False, expired=True)
    assert state_of(news, site).status == STALE


def test_a_restricted_article_does_not_update_its_column(site, columns):
    news = columns[0]
    article(news, 20)
    fresh = article(news, 1)
    assert state_of(news, site).status == FRESH
    PageViewRestriction.objects.create(page=fresh, restriction_type="password", password="x")
    assert state_of(news, site).status == STALE


def test_a_restricted_column_is_not_a_column_an_inspector_sees(site, columns):
    news = columns[0]
    article(news, 1)
    PageViewRestriction.objects.create(page=news, restriction_type="login")
    [measured] = measure([site], TODAY)
    assert news.pk not in [c.page_id for c in measured.columns]


def test_a_date_later_than_the_first_publication_counts_from_the_publication(site, columns):
    """A 发布时间 set in the future cannot keep a column fresh."""
    news = columns[0]
    ArticlePageFactory(
        parent=news,
        published_at=at(TODAY + datetime.timedelta(days=300)),
        first_published_at=days_ago(20),
    )
    state = state_of(news, site)
    assert state.last_day == TODAY - datetime.timedelta(days=20) and state.status == STALE


def test_an_imported_article_counts_from_its_displayed_date(site, columns):
    """Published today with its source's date of a month ago: a reader sees a month-old item."""
    news = columns[0]
    ArticlePageFactory(parent=news, published_at=days_ago(30), first_published_at=days_ago(0))
    assert state_of(news, site).last_day == TODAY - datetime.timedelta(days=30)


def test_a_copy_counts_for_each_column_it_appears_in(site, columns):
    news, notices, _ = columns
    article(notices, 100)
    original = article(news, 2)
    original.create_alias(parent=notices)
    for column in (news, notices):
        state = state_of(column, site)
        assert state.last_day == TODAY - datetime.timedelta(days=2), column.title
    assert state_of(notices, site).count == 2


def test_a_copy_of_a_restricted_article_counts_nowhere(site, columns):
    news, notices, _ = columns
    article(notices, 100)
    original = article(news, 2)
    original.create_alias(parent=notices)
    PageViewRestriction.objects.create(page=original, restriction_type="password", password="x")
    assert state_of(notices, site).last_day == TODAY - datetime.timedelta(days=100)
    assert state_of(news, site).status == BLANK


def test_the_home_page_is_updated_by_the_latest_article_of_any_column(site, columns):
    news, notices, plans = columns
    article(plans, 16)
    article(notices, 15)
    [measured] = measure([site], TODAY)
    assert measured.home.last_day == TODAY - datetime.timedelta(days=15)
    assert measured.home.status == STALE
    assert measured.alarms[0] == "首页已 15 天未更新，超过 2 周即单项否决。"
    article(news, 14)
    [measured] = measure([site], TODAY)
    assert measured.home.status == SOON and not measured.alarms


def test_measuring_costs_the_same_queries_for_two_articles_or_thirty(site, columns):
    news, notices, plans = columns
    for column in columns:
        article(column, 3)
    measure([site], TODAY)  # the restricted sections, cached from then on

    def queries():
        """The queries of a measure after a change: what is not the site generation's."""
        generation.bump()
        with CaptureQueriesContext(connection) as captured:
            measure([site], TODAY)
        return [q["sql"] for q in captured if "sitegeneration" not in q["sql"]]

    few = queries()
    for age in range(27):
        article([news, notices, plans][age % 3], age)
    # The articles and the columns, and what readers may see (core/restrictions.py).
    assert len(queries()) == len(few) == 4
    # And none but the site generation's while nothing changes.
    with CaptureQueriesContext(connection) as captured:
        measure([site], TODAY)
    assert all("sitegeneration" in query["sql"] for query in captured)


# The veto counters -------------------------------------------------------------------------------


def test_five_stale_news_or_notices_columns_reach_the_first_veto(site, home, columns):
    news, notices, plans = columns
    article(news, 15)
    article(notices, 184)
    article(plans, 400)  # stale, but a 人事/规划 column: counted as 应更新 only
    for number in range(3):
        article(new_column(home, f"动态{number}"), 15 if number < 2 else 3)
    [measured] = measure([site], TODAY)
    assert (len(measured.stale), len(measured.should_update)) == (4, 5)
    assert not [a for a in measured.alarms if "超期未更新栏目" in a]
    article(new_column(home, "动态3"), 30)
    [measured] = measure([site], TODAY)
    assert len(measured.stale) == 5
    assert "超期未更新栏目（动态要闻、通知公告/政策文件）已有 5 个，达到 5 个即单项否决。" in (
        measured.alarms
    )


def test_ten_columns_that_should_be_updated_reach_the_second_veto(site, home, columns):
    news, notices, plans = columns
    article(news, 1)
    article(notices, 1)
    for number in range(10):
        article(new_column(home, f"规划{number}", UpdateClass.PLANS), 366 if number < 9 else 365)
    [measured] = measure([site], TODAY)
    assert len(measured.should_update) == 9 and len(measured.stale) == 0
    article(plans, 400)
    [measured] = measure([site], TODAY)
    assert len(measured.should_update) == 10
    assert any(a.startswith("应更新未更新栏目（各类）已有 10 个") for a in measured.alarms)


def test_five_blank_columns_reach_the_third_veto(site, home, columns):
    for column in columns:
        article(column, 1)
    for number in range(4):
        new_column(home, f"空白{number}")
    [measured] = measure([site], TODAY)
    assert len(measured.blank) == 4 and not measured.alarms
    new_column(home, "空白4", UpdateClass.UNMONITORED)
    [measured] = measure([site], TODAY)
    assert measured.alarms == ["空白栏目已有 5 个，达到 5 个即单项否决。"]
    assert list(measured.stale) == []  # blank, not also stale


# The report --------------------------------------------------------------------------------------


@pytest.fixture
def known(site, home, columns):
    """工作动态 15 days old (stale by 1), 通知公告 180 days (3 left), 人事/规划 200 days (165 left),
    a blank column, and the home page updated 15 days ago."""
    news, notices, plans = columns
    article(news, 15, title="十五天前的动态")
    article(notices, 180)
    article(plans, 200)
    return news, notices, plans, new_column(home, "空白栏目甲")


def menu_labels(html):
    """The labels of the admin menu, which the page carries as JSON for its script."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    labels = []

    def walk(value):
        if isinstance(value, dict):
            labels.extend([value["label"]] if "label" in value else [])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(props.group(1)))
    return labels


def warning_items(html):
    return [label for label in menu_labels(html) if label.startswith("栏目更新预警")]


def report_html(client, **params):
    with clock():
        response = client.get(reverse("quality_freshness"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_shows_each_columns_figures_the_home_page_and_the_counters(
    reviewer_client, known
):
    html = report_html(reviewer_client)
    rows = html.split("<tbody>")[-1].split("</tbody>")[0].split("</tr>")
    cells = [list(row.split("<td")[1:]) for row in rows if "<td" in row]
    text = ["|".join(strip(cell) for cell in row) for row in cells]
    assert text[0] == "工作动态|动态要闻类|2026-11-22|1|超期 1 天|超期未更新"
    assert text[1] == "空白栏目甲|动态要闻类|—|0||空白栏目"
    assert text[2] == "通知公告|通知公告、政策文件类|2026-06-10|1|剩余 3 天|即将超期"
    assert text[3] == "基层实践|人事、规划类|2026-05-21|1|剩余 165 天|正常"
    assert "首页最近更新：" in html and "2026-11-22" in html and "15 天前" in html
    assert "首页已 15 天未更新，超过 2 周即单项否决。" in html
    assert "?export=xlsx" in html and "?export=csv" in html
    counters = html.split("data-counters")[1].split("</table>")[0]
    cells = [strip(">" + c) for c in re.findall(r"<td[^>]*>(.*?)</td>", counters, re.S)]
    assert cells == ["1", "≥ 5", "1", "≥ 10", "1", "≥ 5"]


def strip(cell):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell.split(">", 1)[1])).strip()


def test_the_report_says_in_red_when_a_veto_is_reached(reviewer_client, site, home, columns):
    for number in range(2):
        new_column(home, f"空白{number}")
    html = report_html(reviewer_client)
    assert (
        '<p class="help-block help-critical w-text-critical-200" role="alert" data-alarm>空白栏目已有 5 个'
        in html
    )
    assert "首页没有公开的文章" in html


def test_the_report_exports_csv_for_chinese_excel_and_xlsx(reviewer_client, known):
    with clock():
        response = reviewer_client.get(reverse("quality_freshness"), {"export": "csv"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [
        "栏目",
        "网址",
        "更新要求",
        "最近更新",
        "距今天数",
        "剩余天数",
        "超期天数",
        "公开文章数",
        "状况",
    ]
    assert rows[1][:3] == ["青溪党建网", rows[1][1], "首页"] and rows[1][1].endswith("/")
    assert rows[1][3:] == ["2026-11-22", "15", "", "1", "3", "超期未更新"]
    assert rows[2][0] == "工作动态" and rows[2][1].endswith("/news/")
    assert rows[2][3:] == ["2026-11-22", "15", "", "1", "1", "超期未更新"]
    assert rows[3][3:] == ["", "", "", "", "0", "空白栏目"]
    assert rows[4][3:] == ["2026-06-10", "180", "3", "", "1", "即将超期"]
    with clock():
        response = reviewer_client.get(reverse("quality_freshness"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(row=3, column=1).value == "工作动态"
    assert sheet.cell(row=3, column=7).value == 1
    assert sheet.cell(row=5, column=6).value == 3


def test_who_may_read_the_report(client, site, django_user_model, safety, known):
    reviewer = user_in(django_user_model, REVIEWERS, "shenhe")[1]
    editor = user_in(django_user_model, EDITORS, "bianji")[1]
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    for allowed in (reviewer, safety, client):
        assert allowed.get(reverse("quality_freshness")).status_code == 200
    assert editor.get(reverse("quality_freshness")).status_code in (302, 403)
    menu = menu_labels(editor.get(reverse("wagtailadmin_home")).content.decode())
    assert "栏目更新" not in menu and "阅读排行" in menu
    assert "栏目更新" in menu_labels(reviewer.get(reverse("wagtailadmin_home")).content.decode())
    anonymous = client.__class__()
    response = anonymous.get(reverse("quality_freshness"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_site_parameter_that_names_no_site_shows_the_users_site(reviewer_client, known):
    for junk in ("abc", "999999999999999999999", ""):
        assert "工作动态" in report_html(reviewer_client, site=junk)


# The dashboard -----------------------------------------------------------------------------------


def test_the_panel_lists_stale_blank_and_soon_to_be_stale_columns(reviewer_client, known):
    with clock():
        html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html.split('id="quality-freshness"')[1].split("</section>")[0]
    assert panel.index("工作动态") < panel.index("空白栏目甲") < panel.index("通知公告")
    assert "基层实践" not in panel  # 165 days left
    assert "首页已 15 天未更新" in panel
    # 工作动态, 空白栏目甲, 通知公告 and the home page.
    assert warning_items(html) == ["栏目更新预警（4）"]


def test_the_panel_and_report_send_content_safety_to_the_column_readers_see(
    safety, superuser_client, known
):
    news = known[0]
    explore = reverse("wagtailadmin_explore", args=[news.pk])
    with clock():
        panel = safety.get(reverse("wagtailadmin_home")).content.decode()
        report = safety.get(reverse("quality_freshness")).content.decode()
        admin_report = superuser_client.get(reverse("quality_freshness")).content.decode()
    panel = panel.split('id="quality-freshness"')[1].split("</section>")[0]
    # 内容安全管理 holds no page permission: the admin would refuse it.
    for html in (panel, report):
        assert re.search(f'href="[^"]*{news.url}"', html) and explore not in html
    assert f'href="{explore}"' in admin_report


def test_a_column_further_than_the_warning_days_is_not_in_the_panel(
    reviewer_client, settings, site, columns
):
    settings.FRESHNESS_WARN_DAYS = 3
    news, notices, plans = columns
    article(news, 10)  # 4 days left
    article(notices, 181)  # 2 days left
    article(plans, 1)
    with clock():
        html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html.split('id="quality-freshness"')[1].split("</section>")[0]
    assert "通知公告" in panel and "工作动态" not in panel
    assert warning_items(html) == ["栏目更新预警（1）"]


def test_no_panel_and_no_menu_item_when_every_column_is_fresh(reviewer_client, site, columns):
    for column in columns:
        article(column, 1)
    with clock():
        html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="quality-freshness"' not in html and not warning_items(html)


def test_editors_see_neither_the_panel_nor_the_menu_item(editor_client, known):
    with clock():
        html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="quality-freshness"' not in html and not warning_items(html)


# The daily warnings -----------------------------------------------------------------------------


def test_the_daily_job_mails_reviewers_and_content_safety_once_a_day(
    site, known, safety, reviewer_client, django_user_model
):
    news, _notices, _plans, _blank = known
    user_in(django_user_model, EDITORS, "bianji", email="bianji@example.cn")
    with clock():
        said = nightly.run()
    assert "；发出 4 条栏目更新预警；" in said
    subjects = sorted(message.subject for message in mail.outbox)
    assert len(subjects) == 4
    assert any("栏目“工作动态”已超期 1 天未更新" in s for s in subjects)
    assert any("栏目“通知公告”还有 3 天到更新期限" in s for s in subjects)
    assert any("“空白栏目甲”是空白栏目" in s for s in subjects)
    [home_mail] = [m for m in mail.outbox if "首页" in m.subject]
    assert home_mail.to == ["anquan@example.cn"]
    [news_mail] = [m for m in mail.outbox if "工作动态" in m.subject]
    assert news_mail.to == ["anquan@example.cn", "reviewer@example.cn"]
    assert "2026-11-22" in news_mail.body and "/admin/reports/freshness/" in news_mail.body

    with clock():
        assert "；发出 0 条栏目更新预警；" in nightly.run()
    assert len(mail.outbox) == 4
    assert FreshnessWarning.objects.filter(site=site, day=TODAY).count() == 4
    entry = PageLogEntry.objects.get(page=news, action="quality.freshness_warning")
    assert entry.data["said"] == "已超期 1 天未更新"

    tomorrow = TODAY + datetime.timedelta(days=1)
    with clock(tomorrow):
        send_warnings(tomorrow)
    assert len(mail.outbox) == 8


def test_a_second_process_finds_the_claim_and_sends_nothing(site, known, safety):
    news = known[0]
    FreshnessWarning.objects.create(site=site, page=news, day=TODAY, state=STALE)
    with clock():
        send_warnings(TODAY)
    assert not [m for m in mail.outbox if "工作动态" in m.subject]


def test_a_warning_that_could_not_be_sent_is_sent_by_the_next_run(site, known, safety):
    with clock(), mock.patch("quality.freshness_mail.send_mail", side_effect=OSError("down")):
        assert send_warnings(TODAY) == 0
    assert not FreshnessWarning.objects.exists()
    with clock():
        assert send_warnings(TODAY) == 4


def test_a_column_with_its_own_reviewers_warns_them_and_not_the_others(
    site, home, columns, django_user_model
):
    news, _notices, _plans = columns
    for column in columns:
        article(column, 1)
    own = Group.objects.create(name="组织部审核")
    stale = new_column(home, "组织工作")
    article(stale, 40)
    GroupPagePermission.objects.create(
        group=own, page=stale, permission=Permission.objects.get(codename="publish_page")
    )
    member = django_user_model.objects.create_user("zuzhi", email="zuzhi@example.cn")
    member.groups.add(own)
    other = django_user_model.objects.create_user("other", email="other@example.cn")
    other.groups.add(Group.objects.create(name="宣传部审核"))
    GroupPagePermission.objects.create(
        group=other.groups.get(),
        page=news,
        permission=Permission.objects.get(codename="publish_page"),
    )
    with clock():
        send_warnings(TODAY)
    [message] = mail.outbox
    assert "组织工作" in message.subject and message.to == ["zuzhi@example.cn"]


def test_a_warning_without_anyone_to_mail_is_recorded_and_shown_in_the_admin(
    site, known, reviewer_client
):
    reviewer_client.user.email = ""
    reviewer_client.user.save()
    with clock():
        assert send_warnings(TODAY) == 4
        html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert not mail.outbox
    assert warning_items(html) == ["栏目更新预警（4）"]


# The column's form and the data migration ------------------------------------------------------------


def test_the_update_class_is_set_in_the_columns_edit_form(admin_client, columns):
    news = columns[0]
    url = reverse("wagtailadmin_pages:edit", args=[news.pk])
    html = admin_client.get(url).content.decode()
    assert "更新要求" in html and "人事、规划类（1 年内须有更新）" in html


def test_a_reviewer_sets_a_columns_update_class_by_publishing_it(admin_client, site, columns):
    from wagtail.test.utils.form_data import nested_form_data, rich_text

    practice = columns[2]
    url = reverse("wagtailadmin_pages:edit", args=[practice.pk])
    data = {
        "title": practice.title,
        "slug": practice.slug,
        "intro": rich_text("<p>经验做法。</p>"),
        "update_class": str(UpdateClass.UNMONITORED),
        "action-publish": "publish",
    }
    response = admin_client.post(url, nested_form_data(data))
    assert response.status_code == 302, response.content.decode()[:2000]
    practice.refresh_from_db()
    assert practice.update_class == UpdateClass.UNMONITORED
    article(practice, 900)
    assert state_of(practice, site).status == UNMONITORED


def test_the_migration_makes_existing_notices_columns_notices_columns(home):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("news.migrations.0022_column_update_class")
    notices = home.notices_column
    revision = notices.save_revision()
    revision.content.pop("update_class")
    revision.save()
    NewsIndexPage.objects.filter(pk=notices.pk).update(update_class=UpdateClass.NEWS)
    migration.notices_columns_as_notices(apps, None)
    notices.refresh_from_db()
    assert notices.update_class == UpdateClass.NOTICES
    assert notices.get_latest_revision_as_object().update_class == UpdateClass.NOTICES
    assert NewsIndexPage.objects.get(slug="news").update_class == UpdateClass.NEWS


# The demo ----------------------------------------------------------------------------------------


def test_the_demo_shows_stale_news_columns_and_a_notices_column_in_time(site):
    from news.importing.demo import load_demo_content

    load_demo_content(site)
    [measured] = measure([site], TODAY)
    states = {c.title: c.status for c in measured.columns}
    assert states == {"工作动态": STALE, "通知公告": FRESH, "基层实践": STALE}
    assert measured.home.status == STALE
    # The demo's dates are fixed: on any later day its news columns are stale still.
    [measured] = measure([site])
    assert {c.title for c in measured.stale} >= {"工作动态", "基层实践"}


def test_with_two_sites_staff_see_the_sites_they_work_on(
    site, django_user_model, reviewer_client, safety
):
    from wagtail.models import Page, Site

    from news.models import HomePage

    root = Page.objects.get(depth=1)
    district = add_published(root, HomePage(title="区委党建网", slug="district"))
    other = Site.objects.create(hostname="district.example.cn", root_page=district)
    # The reviewers through their permissions on the first site's columns.
    assert list(staff_sites.sites_for(reviewer_client.user)) == [site]
    assert list(staff_sites.sites_for(safety.user)) == []
    tie = Group.objects.create(name="区委网站")
    GroupPagePermission.objects.create(
        group=tie, page=district, permission=Permission.objects.get(codename="change_page")
    )
    safety.user.groups.add(tie)
    assert list(staff_sites.sites_for(safety.user)) == [other]
    admin = django_user_model.objects.create_superuser("root", password="x")
    assert set(staff_sites.sites_for(admin)) == {site, other}


def test_an_administrator_can_give_the_report_to_editors(superuser_client):
    """The permission is offered in the group form, so editing 审核 keeps it and 编辑 may get it."""
    group = Group.objects.get(name=EDITORS)
    html = superuser_client.get(
        reverse("wagtailusers_groups:edit", args=(group.pk,))
    ).content.decode()
    permission = Permission.objects.get(codename="view_freshness_report")
    assert f'value="{permission.pk}"' in html and "可以查看栏目更新监测" in html
