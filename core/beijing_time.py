"""Times as the site writes them for machines (JSON-LD, meta tags, `<time datetime>`, feeds,
spreadsheets): Beijing time, the wall-clock time readers see on the page, always at +08:00.

The site's zone, Asia/Shanghai, has other offsets in the tz database: local mean time
(+08:05:43) before 1901, and summer times in the 1940s and 1986–1991 (+09:00). An article dated
1900 would be written `+08:05:43`, which is no valid offset in ISO 8601, RFC 3339 or RFC 2822,
and a machine would read a different time from the one the page shows beside it. Here the time
is the one readers read (and the editor typed), labelled +08:00, so the page and what machines
read of it agree. Since 1991 the two are the same instant."""

from datetime import datetime, timedelta, timezone

from django.utils.timezone import is_aware, localtime

BEIJING = timezone(timedelta(hours=8), "北京时间")


def beijing_time(value: datetime) -> datetime:
    """The site's wall-clock time of `value`, at +08:00 (a naive value is taken as wall-clock)."""
    local = localtime(value) if is_aware(value) else value
    return local.replace(tzinfo=BEIJING)


def iso_beijing_time(value: datetime) -> str:
    """`value` as ISO 8601, e.g. 2024-05-01T10:30:00+08:00: to the second, as HTML's datetime
    attribute allows at most three digits of a fraction (a message's time has six)."""
    return beijing_time(value).isoformat(timespec="seconds")
