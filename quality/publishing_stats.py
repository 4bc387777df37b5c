"""发稿统计's figures: how many articles were first published in a period, by editor, by column
and by month, with their 点击数, and how many reviews each reviewer decided.

What is counted, precisely:

- An article counts in the period in which it first went live (Wagtail's `first_published_at`,
  set by the first publish and kept through withdrawals and later publishes), compared in Beijing
  time: from the first day 00:00 to the last day 24:00. Articles withdrawn since still count;
  deleted ones are gone with their history. A scheduled article counts when it went live.
- Its editor is the author of the revision whose publishing first made it live: the revision of
  its earliest "wagtail.publish" entry in Wagtail's log. A page made live without such an entry
  (a copy kept live by Wagtail's 复制) takes the latest revision saved up to that moment; one whose
  revision has no author (imported by `manage.py import_articles`) or is gone, its owner. A
  reviewer who changes the text while approving saves a revision of their own, which is what goes
  live: the article is then theirs.
- 一稿多发: a copy published into another column (a Wagtail alias, news/copies.py) is the same
  article. It counts once for its editor and in the month of the original's first publication,
  and once in each column it is in — the original's and each copy's.
- 点击数 is the count the site shows on the article (news/hits/models.py's PageHits: all views
  so far, not only the period's), one count for an article and its copies; a column's total
  adds the count of each article it shows.
- An imported article is one made from a file (`import_key` set, news/importing/importer.py);
  the report can leave them out.
- 审核: the approvals and the send-backs of each reviewer, from the workflow's review tasks (a
  GroupApprovalTask, such as 文章审核's 审核; automated steps are no one's review), decided in the
  period, on pages of the site.

Every figure is a grouped query: the cost does not grow with the number of articles beyond the
database's own.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Length, Substr, TruncMonth
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, PageLogEntry, Revision, TaskState

from news.models import ArticlePage

UNSIGNED = "（未署名）"


@dataclass(frozen=True)
class Period:
    """From `first` to `last`, both days included, in the site's time zone (Beijing time)."""

    first: date
    last: date

    @property
    def start(self):
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self):
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    def months(self):
        """The first day of each month the period touches."""
        month = self.first.replace(day=1)
        while month <= self.last:
            yield month
            month = (month + timedelta(days=32)).replace(day=1)

    def __str__(self):
        return f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}"


@dataclass
class Row:
    label: str
    articles: int = 0
    hits: int = 0


@dataclass
class ReviewRow:
    label: str
    approved: int = 0
    rejected: int = 0


@dataclass
class Figures:
    site: object
    period: Period
    with_imports: bool
    editors: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    months: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)

    @property
    def articles(self):
        return sum(row.articles for row in self.editors)

    @property
    def hits(self):
        return sum(row.hits for row in self.editors)

    @property
    def approved(self):
        return sum(row.approved for row in self.reviewers)

    @property
    def rejected(self):
        return sum(row.rejected for row in self.reviewers)


def person(user):
    return (user.get_full_name() or user.get_username()) if user is not None else UNSIGNED


def people(ids):
    """Each user's name as the report shows it; two people of the same name are told apart by
    their account names."""
    users = get_user_model().objects.in_bulk([pk for pk in ids if pk is not None])
    names = {pk: person(users.get(pk)) for pk in ids}
    taken = Counter(names.values())
    for pk, name in names.items():
        if taken[name] > 1 and pk in users:
            names[pk] = f"{name}（{users[pk].get_username()}）"
    return names


def page_key():
    # Revisions and workflow states name their page by a text id.
    return Cast(OuterRef("pk"), output_field=CharField())


def with_editor(articles):
    """Each article annotated with `editor_id` (the module's docstring says who that is)."""
    page_type = ContentType.objects.get_for_model(Page)
    first_publish = PageLogEntry.objects.filter(
        page=OuterRef("pk"), action="wagtail.publish", revision__isnull=False
    ).order_by("timestamp", "pk")
    live_then = Revision.objects.filter(
        base_content_type=page_type,
        object_id=page_key(),
        created_at__lte=OuterRef("first_published_at"),
    ).order_by("-created_at", "-pk")
    return articles.annotate(
        editor_id=Coalesce(
            Subquery(first_publish.values("revision__user")[:1]),
            Subquery(live_then.values("user")[:1]),
            F("owner"),
            output_field=IntegerField(),
        )
    )


def originals(period, with_imports):
    """The articles first published in the period (copies left out: they are their original)."""
    articles = ArticlePage.objects.filter(
        alias_of__isnull=True,
        first_published_at__gte=period.start,
        first_published_at__lt=period.end,
    )
    return articles if with_imports else articles.filter(import_key="")


def in_site(pages, site):
    return pages.filter(path__startswith=site.root_page.path)


def total_hits(expression):
    return Coalesce(Sum(expression), Value(0))


def most_first(rows):
    return sorted(rows, key=lambda row: (-row.articles, -row.hits, row.label))


def by_editor(articles):
    grouped = (
        with_editor(articles)
        .order_by()
        .values("editor_id")
        .annotate(articles=Count("pk"), hits=total_hits("hit_count__hits"))
    )
    names = people([row["editor_id"] for row in grouped])
    rows = [Row(names[row["editor_id"]], row["articles"], row["hits"]) for row in grouped]
    return most_first(rows)


def by_column(site, counted):
    """Each column with the articles it shows: originals and copies whose original is counted."""
    step = ArticlePage.steplen
    grouped = (
        in_site(ArticlePage.objects.all(), site)
        .filter(Q(pk__in=counted.values("pk")) | Q(alias_of__in=counted.values("pk")))
        .annotate(column_path=Substr("path", 1, Length("path") - step))
        .order_by()
        .values("column_path")
        .annotate(
            articles=Count("pk"),
            # A copy shows its original's count (ArticlePage.click_count_stored).
            hits=total_hits(Coalesce("alias_of__hit_count__hits", "hit_count__hits")),
        )
    )
    titles = dict(
        Page.objects.filter(path__in=[row["column_path"] for row in grouped]).values_list(
            "path", "title"
        )
    )
    rows = [
        Row(titles.get(row["column_path"], "—"), row["articles"], row["hits"]) for row in grouped
    ]
    return most_first(rows)


def by_month(period, articles):
    grouped = (
        articles.annotate(month=TruncMonth("first_published_at"))
        .order_by()
        .values("month")
        .annotate(articles=Count("pk"), hits=total_hits("hit_count__hits"))
    )
    found = {}
    for row in grouped:
        month = row["month"]
        # SQLite gives the month as a local datetime, PostgreSQL as an aware one.
        month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        found[month] = row
    rows = []
    for month in period.months():
        row = found.get(month, {"articles": 0, "hits": 0})
        rows.append(Row(f"{month.year}年{month.month}月", row["articles"], row["hits"]))
    return rows


def by_reviewer(site, period):
    pages = in_site(Page.objects.all(), site).annotate(key=Cast("pk", CharField()))
    decided = TaskState.objects.filter(
        task__in=GroupApprovalTask.objects.values("pk"),
        status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
        finished_at__gte=period.start,
        finished_at__lt=period.end,
        workflow_state__base_content_type=ContentType.objects.get_for_model(Page),
        workflow_state__object_id__in=pages.values("key"),
    )
    grouped = (
        decided.order_by()
        .values("finished_by")
        .annotate(
            approved=Count("pk", filter=Q(status=TaskState.STATUS_APPROVED)),
            rejected=Count("pk", filter=Q(status=TaskState.STATUS_REJECTED)),
        )
    )
    names = people([row["finished_by"] for row in grouped])
    rows = [
        ReviewRow(names[row["finished_by"]], row["approved"], row["rejected"]) for row in grouped
    ]
    return sorted(rows, key=lambda row: (-row.approved, -row.rejected, row.label))


def publishing_figures(site, period, with_imports=True):
    counted = originals(period, with_imports)
    articles = in_site(counted, site)
    return Figures(
        site=site,
        period=period,
        with_imports=with_imports,
        editors=by_editor(articles),
        columns=by_column(site, counted),
        months=by_month(period, articles),
        reviewers=by_reviewer(site, period),
    )
