"""栏目更新监测: when each column of a site was last updated as an inspector sees it, how many days
it has left under its update class (news.models.UpdateClass, set on the column), and the site's
standing against the veto thresholds of 国办秘函〔2019〕19号.

An update is what a reader, and so the inspector's monitor, sees: an article that is readable
(core/restrictions.py: live, under no view restriction, in no offline section, and for a copy,
its original so too). A draft, an article scheduled to go live later, an expired article and a
restricted one do not count; a copy published into another column (一稿多发) counts for that
column too, as it appears in its list. Its date is the displayed 发布时间, the one the lists and
the article show, except that an article dated later than its first publication counts from its
first publication: a date set in the future cannot keep a column fresh. A column's articles are
its children (a column takes no sub-columns, news/models.py).

The veto thresholds:
- 5 or more columns of the 动态要闻 and 通知公告/政策文件 classes past their limit (超期未更新);
- 10 or more monitored columns of any class past their limit (应更新未更新: the 人事/规划 columns
  count here, not in the first);
- 5 or more blank columns (空白栏目: published with no readable article), whatever their class,
  and a blank column is counted as blank only, not as not updated as well;
- and the home page not updated for 2 weeks: its last update is the latest of its columns'.

Every column of every site asked for is measured by one aggregated query (the latest date and
the number of articles per column), whatever the number of articles."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Count, Max, Q
from django.db.models.functions import Coalesce, Least, Length, Substr
from django.utils.timezone import localdate
from wagtail.models import Page, Site

from core.generation import remember
from core.restrictions import ancestors_and_self, readable_q
from news.models import ArticlePage, NewsIndexPage, UpdateClass

STALE_VETO = 5
SHOULD_UPDATE_VETO = 10
BLANK_VETO = 5
HOME_PAGE_DAYS = UpdateClass.NEWS
# The classes the first veto counts (news columns within 2 weeks, 通知公告/政策文件 within 6 months).
FIRST_VETO_CLASSES = (UpdateClass.NEWS, UpdateClass.NOTICES)

STALE = "stale"
BLANK = "blank"
SOON = "soon"
FRESH = "fresh"
UNMONITORED = "unmonitored"
STATUS_LABELS = {
    STALE: "超期未更新",
    BLANK: "空白栏目",
    SOON: "即将超期",
    FRESH: "正常",
    UNMONITORED: "不监测",
}
# The order the report and the panel list columns in: what costs the inspection first.
URGENCY = [STALE, BLANK, SOON, FRESH, UNMONITORED]
WARNING_STATES = (STALE, BLANK, SOON)

PERMISSION = "quality.view_freshness_report"


def may_read(user):
    """Who reads the report and the panel: the reviewers (审核), 内容安全管理 and superusers,
    or anyone else given the permission (quality/safety_roles.py)."""
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


def shown_date():
    """The date an article counts from (see the module's docstring); an article saved without a
    first publication (made by a script) counts from its displayed date."""
    return Least("published_at", Coalesce("first_published_at", "published_at"))


def under_sites(sites):
    under = Q(pk__in=[])
    for site in sites:
        under |= Q(path__startswith=site.root_page.path)
    return under


def latest_per_column(sites, readable=None):
    """{column path: (latest date, number of readable articles)} under the sites' home pages."""
    rows = (
        ArticlePage.objects.filter(readable or readable_q())
        .filter(under_sites(sites))
        .annotate(column_path=Substr("path", 1, Length("path") - Page.steplen))
        .values("column_path")
        .annotate(last=Max(shown_date()), count=Count("pk"))
        .order_by()
    )
    return {row["column_path"]: (row["last"], row["count"]) for row in rows}


def class_name(update_class):
    """动态要闻类, 通知公告、政策文件类… without the limit the choice's label adds."""
    return UpdateClass(update_class).label.split("（")[0]


@dataclass(frozen=True)
class ColumnFreshness:
    """One column (or, with `is_home`, a site's home page) on the day `today`."""

    page_id: int
    title: str
    url: str
    site_id: int
    update_class: int
    last: datetime.datetime | None
    count: int
    today: datetime.date
    warn_days: int
    is_home: bool = False

    @property
    def class_name(self):
        return "首页" if self.is_home else class_name(self.update_class)

    @property
    def last_day(self):
        return localdate(self.last) if self.last is not None else None

    @property
    def last_day_label(self):
        return f"{self.last_day:%Y-%m-%d}" if self.last is not None else "—"

    @property
    def age(self):
        """Days since the last update (0 on its day)."""
        return (self.today - self.last_day).days if self.last is not None else None

    @property
    def days_left(self):
        """Days the column stays fresh without a new article (0: today is its last day; below
        0, the days it is late); None for a blank or unmonitored column."""
        if self.last is None or not self.update_class:
            return None
        return self.update_class - self.age

    @property
    def days_remaining(self):
        left = self.days_left
        return left if left is not None and left >= 0 else None

    @property
    def days_late(self):
        left = self.days_left
        return -left if left is not None and left < 0 else None

    @property
    def status(self):
        if self.count == 0:
            return BLANK
        if not self.update_class:
            return UNMONITORED
        if self.days_left < 0:
            return STALE
        if self.days_left < self.warn_days:
            return SOON
        return FRESH

    @property
    def status_label(self):
        if self.is_home and self.status == BLANK:
            return "没有文章"
        return STATUS_LABELS[self.status]

    @property
    def days_left_label(self):
        left = self.days_left
        if left is None:
            return ""
        if left < 0:
            return f"超期 {-left} 天"
        if left == 0:
            return "今天是最后一天"
        return f"剩余 {left} 天"

    @property
    def counts_for_first_veto(self):
        return self.status == STALE and self.update_class in FIRST_VETO_CLASSES

    @property
    def urgency(self):
        return (URGENCY.index(self.status), self.days_left if self.days_left is not None else 0)


@dataclass(frozen=True)
class SiteFreshness:
    site: Site
    home: ColumnFreshness
    columns: list

    @property
    def name(self):
        return self.site.site_name or self.site.hostname

    @property
    def stale(self):
        """超期未更新: the news and notices columns past their limit."""
        return [c for c in self.columns if c.counts_for_first_veto]

    @property
    def should_update(self):
        """应更新未更新: the monitored columns of any class past their limit."""
        return [c for c in self.columns if c.status == STALE]

    @property
    def blank(self):
        return [c for c in self.columns if c.status == BLANK]

    @property
    def counters(self):
        """(label, count, threshold, reached) of the three column vetoes."""
        return [
            ("超期未更新栏目（动态要闻、通知公告/政策文件）", len(self.stale), STALE_VETO),
            ("应更新未更新栏目（各类）", len(self.should_update), SHOULD_UPDATE_VETO),
            ("空白栏目", len(self.blank), BLANK_VETO),
        ]

    @property
    def alarms(self):
        """What fails the inspection outright, in words, for a red notice."""
        said = [
            f"{label}已有 {count} 个，达到 {threshold} 个即单项否决。"
            for label, count, threshold in self.counters
            if count >= threshold
        ]
        if self.home.status == BLANK:
            said.insert(0, "首页没有公开的文章：首页超过 2 周未更新即单项否决。")
        elif self.home.status == STALE:
            said.insert(0, f"首页已 {self.home.age} 天未更新，超过 2 周即单项否决。")
        return said

    @property
    def warnings(self):
        """The columns (and home page) to warn about, most urgent first."""
        found = [c for c in [self.home, *self.columns] if c.status in WARNING_STATES]
        return sorted(found, key=lambda c: (c.urgency, not c.is_home))


def column_tree(sites):
    """(latest per column, [(pk, title, path, url_path, update_class) of each readable column]),
    cached for the site generation (core/generation.py), which every publish, unpublish, move,
    copy and restriction moves on: the menu item asks on every admin page."""

    def compute():
        # What readers may see is decided once, for the articles and the columns alike.
        readable = readable_q()
        columns = (
            NewsIndexPage.objects.filter(readable)
            .filter(under_sites(sites))
            .order_by("path")
            .values_list("pk", "title", "path", "url_path", "update_class")
        )
        return latest_per_column(sites, readable), list(columns)

    return remember("freshness:" + ",".join(str(site.pk) for site in sites), compute)


def measure(sites, today=None, warn_days=None):
    """A SiteFreshness for each site, in the order given: two queries (and the site generation's
    for what readers may see), whatever the number of columns and articles, and none while the
    site generation stays the same."""
    sites = list(sites)
    today = today or localdate()
    warn_days = settings.FRESHNESS_WARN_DAYS if warn_days is None else warn_days
    latest, columns = column_tree(sites)
    measured = []
    for site in sites:
        root = site.root_page
        rows = []
        for pk, title, path, url_path, update_class in columns:
            if not path.startswith(root.path):
                continue
            last, count = latest.get(path, (None, 0))
            rows.append(
                ColumnFreshness(
                    page_id=pk,
                    title=title,
                    url=site.root_url + url_path[len(root.url_path) - 1 :],
                    site_id=site.pk,
                    update_class=update_class,
                    last=last,
                    count=count,
                    today=today,
                    warn_days=warn_days,
                )
            )
        dated = [row.last for row in rows if row.last is not None]
        home = ColumnFreshness(
            page_id=root.pk,
            title=root.title,
            url=site.root_url + "/",
            site_id=site.pk,
            update_class=HOME_PAGE_DAYS,
            last=max(dated, default=None),
            count=sum(row.count for row in rows),
            today=today,
            warn_days=warn_days,
            is_home=True,
        )
        measured.append(SiteFreshness(site, home, sorted(rows, key=lambda c: c.urgency)))
    return measured


def reviewer_groups(column_path):
    """The groups that review a column: those with the permission to publish on it or above it
    (the 审核 role, or a column's own reviewers given it there) and the groups of the review
    workflow's steps that apply to it."""
    publishing = Q(
        page_permissions__page__path__in=ancestors_and_self(column_path),
        page_permissions__permission__codename="publish_page",
    )
    column = Page.objects.filter(path=column_path).first()
    workflow = column.get_workflow() if column is not None else None
    if workflow is not None:
        publishing |= Q(groupapprovaltask__workflow_tasks__workflow=workflow)
    return Group.objects.filter(publishing).distinct()
