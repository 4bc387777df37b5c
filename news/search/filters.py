"""What a reader asks of 站内搜索 beyond the words: the order (相关度 or 时间) and the time range
(不限, 近一周, 近一月, 近一年 or 自定义 from one day to another), read from the query string.

Whatever arrives — a link from elsewhere, an edited address, a browser without date pickers — the
search still runs: a part that cannot be understood is left out and the reader is told why in
Chinese (SearchFilters.errors), never answered with an error page. A reversed range is an error,
not silently swapped: the reader may have mistyped either end.

The search form (templates/news/search.html) works as a plain GET form without JavaScript: the two
dates are always shown, and filled in with 时间范围 left at 不限 they are the range the reader means.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.utils import timezone

SORTS = {"relevance": "相关度", "date": "时间"}
PERIODS = {"": "不限", "week": "近一周", "month": "近一月", "year": "近一年", "custom": "自定义"}
# How many days back each preset reaches, counting today as the first.
PERIOD_DAYS = {"week": 7, "month": 30, "year": 365}
# The oldest day a range may start: the site's archive reaches back to the 2000s at most.
EARLIEST = datetime.date(1990, 1, 1)
# How far ahead a range may end: a scheduled article is never found, but a reader's "to the end
# of next month" is harmless.
FUTURE_DAYS = 366
# A parameter longer than this is not a choice or a date anyone typed; it is shown cut short.
MAX_PARAM_CHARS = 40
SHOWN_CHARS = 12
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


@dataclass(frozen=True)
class SearchFilters:
    sort: str = "relevance"  # "relevance" (相关度, default) or "date" (时间)
    period: str = ""  # "", "week", "month", "year", "custom"
    since: datetime.date | None = None  # first day included
    until: datetime.date | None = None  # last day included
    errors: tuple[str, ...] = ()  # Chinese messages; the search runs without the bad part
    # The dates as typed (cut short), shown again in the form when they could not be used, so
    # that a reversed range is corrected rather than typed again.
    typed: tuple[str, str] = ("", "")

    @property
    def from_value(self):
        """开始日期 as the form shows it."""
        return self.since.isoformat() if self.is_custom and self.since else self.typed[0]

    @property
    def to_value(self):
        """结束日期 as the form shows it."""
        return self.until.isoformat() if self.is_custom and self.until else self.typed[1]

    @property
    def by_date(self):
        return self.sort == "date"

    @property
    def is_custom(self):
        return self.period == "custom"

    @property
    def narrowed(self):
        """Whether the results are limited to some days."""
        return self.since is not None or self.until is not None

    def bounds(self):
        """(first moment, moment after the last day) in the site's time zone, either None: for
        `published_at__gte` and `published_at__lt`."""
        zone = timezone.get_current_timezone()

        def start(day):
            return datetime.datetime.combine(day, datetime.time(), tzinfo=zone)

        return (
            start(self.since) if self.since else None,
            start(self.until + datetime.timedelta(days=1)) if self.until else None,
        )

    @property
    def params(self):
        """The filters as query-string pairs, defaults left out: what a link to another page of the
        same results keeps."""
        pairs = []
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.period:
            pairs.append(("period", self.period))
        if self.is_custom:
            if self.since:
                pairs.append(("from", self.since.isoformat()))
            if self.until:
                pairs.append(("to", self.until.isoformat()))
        return pairs

    @property
    def query_string(self):
        """`params` encoded, for `?q=…&{{ filters.query_string }}&page=2` (empty for defaults)."""
        return urlencode(self.params)

    @property
    def summary(self):
        """The choices in words, for the result count: "按时间排序，2024-03-01 至 2024-03-31"."""
        parts = ["按时间排序" if self.by_date else ""]
        if self.is_custom:
            start = self.since.isoformat() if self.since else "最早"
            end = self.until.isoformat() if self.until else "今天"
            parts.append(f"{start} 至 {end}")
        elif self.period:
            parts.append(PERIODS[self.period])
        return "，".join(part for part in parts if part)


def read_filters(params, today):
    """The filters a query string (request.GET or a dict) asks for, each bad part left out with a
    message; `today` is the local date (django.utils.timezone.localdate()) the presets count from."""
    errors = []
    sort = text(params, "sort") or "relevance"
    if sort not in SORTS:
        errors.append(f"不认识的排序方式“{shown(sort)}”，已按相关度排序。")
        sort = "relevance"
    period = text(params, "period")
    if period not in PERIODS:
        errors.append(f"不认识的时间范围“{shown(period)}”，本次搜索不限时间。")
        period = ""
    since = until = None
    if period in PERIOD_DAYS:
        since = today - datetime.timedelta(days=PERIOD_DAYS[period] - 1)
        if text(params, "from") or text(params, "to"):
            errors.append(
                f"已按“{PERIODS[period]}”筛选，未使用填写的日期；要按日期筛选请选“自定义”。"
            )
    elif period in ("", "custom"):
        typed = {name: text(params, name) for name in ("from", "to")}
        dates = {name: read_date(value, today, errors, name) for name, value in typed.items()}
        since, until = dates["from"], dates["to"]
        if any(typed.values()):
            period = "custom"
        if since and until and since > until:
            errors.append(
                f"开始日期（{since.isoformat()}）晚于结束日期（{until.isoformat()}），"
                "请重新选择；本次搜索不限时间。"
            )
            since = until = None
        if period == "custom" and since is None and until is None and not errors:
            errors.append("选择“自定义”时请填写开始日期或结束日期；本次搜索不限时间。")
    typed = ("", "")
    if period == "custom" and (since is None or until is None):
        # Only what a date field can show (2024-03-15); anything else it would drop anyway.
        typed = tuple(
            value if ISO_DATE_RE.fullmatch(value) else ""
            for value in (text(params, "from"), text(params, "to"))
        )
    return SearchFilters(sort, period, since, until, tuple(errors), typed)


def text(params, name):
    """A parameter as typed, trimmed; the last one where it is given twice, as Django reads it."""
    value = params.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def shown(value):
    """A reader's value quoted back in a message, cut short (the template escapes it)."""
    return value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"


def read_date(value, today, errors, name):
    """The day typed as 2024-03-15 (what a date field sends), 2024/3/15 or 2024年3月15日; None and
    a message for anything else or a day out of range."""
    if not value:
        return None
    label = "开始日期" if name == "from" else "结束日期"
    found = DATE_RE.fullmatch(value) if len(value) <= MAX_PARAM_CHARS else None
    day = None
    if found:
        try:
            day = datetime.date(*(int(part) for part in found.groups()))
        except ValueError:
            day = None
    if day is None:
        errors.append(
            f"{label}“{shown(value)}”不是有效的日期，请按 2024-03-15 的格式填写；"
            "本次搜索未按它筛选。"
        )
        return None
    latest = today + datetime.timedelta(days=FUTURE_DAYS)
    if not EARLIEST <= day <= latest:
        errors.append(
            f"{label}“{day.isoformat()}”超出范围，请选择 {EARLIEST.isoformat()} 至 "
            f"{latest.isoformat()} 之间的日期；本次搜索未按它筛选。"
        )
        return None
    return day
