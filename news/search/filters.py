"""The search's sort and date range, read from the query string. A minimal version of the
interface news/search/views.py reads; the reader-facing form and its messages live with the
search page's design."""

from dataclasses import dataclass
from datetime import date, timedelta

PERIODS = {"week": 7, "month": 30, "year": 365}


@dataclass(frozen=True)
class SearchFilters:
    sort: str = "relevance"  # "relevance" (相关度, default) or "date" (时间)
    period: str = ""  # "", "week", "month", "year", "custom"
    since: date | None = None  # first day included
    until: date | None = None  # last day included
    errors: tuple[str, ...] = ()  # Chinese messages; the search runs without the bad part


def read_date(text):
    try:
        return date.fromisoformat((text or "").strip()) if text else None
    except ValueError:
        return None


def read_filters(params, today):
    sort = "date" if params.get("sort") == "date" else "relevance"
    period = params.get("period", "")
    errors = []
    since = until = None
    if period in PERIODS:
        since = today - timedelta(days=PERIODS[period])
    elif period == "custom":
        since, until = read_date(params.get("since")), read_date(params.get("until"))
        if (params.get("since") and since is None) or (params.get("until") and until is None):
            errors.append("日期格式应为“年-月-日”，例如 2024-05-01。")
        if since and until and since > until:
            errors.append("开始日期晚于结束日期，已忽略日期范围。")
            since = until = None
    else:
        period = ""
    return SearchFilters(sort, period, since, until, tuple(errors))
