"""Most-read rankings (阅读排行 / 热点排行) over calendar periods in the site's time zone."""

from datetime import timedelta

from django.utils.timezone import localdate

from core.generation import remember
from news.models import ArticlePage

PERIODS = {
    "day": "今日",
    "week": "本周",
    "month": "本月",
    "all": "全部",
}
DEFAULT_PERIOD = "week"


def period_start(period, today=None):
    """The first day of the period (本周 starts on Monday, 本月 on the 1st); None for all time."""
    today = today or localdate()
    if period == "day":
        return today
    if period == "week":
        return today - timedelta(days=today.weekday())
    if period == "month":
        return today.replace(day=1)
    return None


def most_read(period=DEFAULT_PERIOD, column=None):
    articles = ArticlePage.objects.readable()
    if column is not None:
        articles = articles.in_column(column)
    return articles.most_read(period_start(period))


def hot_list(period, column=None, limit=10):
    """The top articles of a period as plain links; cached until the tree changes, and at most
    TREE_CACHE_TIMEOUT seconds, so it follows the counts closely enough for a sidebar."""

    def compute():
        return [
            {
                "title": page.title,
                "url": page.url,
                "published_at": page.published_at,
                "views": page.views,
            }
            for page in most_read(period, column).only("title", "url_path", "published_at")[:limit]
        ]

    scope = column.pk if column is not None else "site"
    return remember(f"hot:{scope}:{period}:{localdate():%Y%m%d}", compute)


def hot_lists(column=None):
    """热点排行: (label, links) for this week and this month, leaving out empty ones."""
    lists = [(f"{PERIODS[period]}热点", hot_list(period, column)) for period in ("week", "month")]
    return [(label, links) for label, links in lists if links]
