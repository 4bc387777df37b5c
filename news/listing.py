"""Lists of articles as readers see them on the home page, a column and a 专题: rows made from plain
data and rendered to HTML once per site generation, so that a list costs a cache lookup and, where
it shows click counts, one small query for the counts, not a template run and a URL built per row.

A list is kept as its HTML split at each click count: strings, with the id of the article whose
count goes between them (a copy published into another column, 一稿多发, shows its original's).
The counts are the one thing on a list that changes without a new generation; they are filled in
per request from the click counter's table (news/templatetags/article_lists.py). Everything else a
row shows (title, address, 来源, date) changes only with a publish, move or title change, each of
which moves the generation (core/generation.py), so every process shows it on its next request.
"""

from django.template.loader import render_to_string
from django.utils.timezone import localtime
from wagtail.models import Page

from core.beijing_time import iso_beijing_time
from core.generation import remember

# Where a row's click count goes in the rendered list: characters no title or 来源 can hold (the
# editor's fields strip control characters) and that escaping leaves as they are.
COUNT_SLOT = "\x00"
ROW_FIELDS = ("pk", "title", "source", "published_at", "alias_of_id")


def article_path(published_at, pk):
    """An article's address below its column, `<yyyy>/<mmdd>/<id>/`: the one place the scheme is
    written (ArticlePage's URL, the lists' rows, search results)."""
    local = localtime(published_at)
    return f"{local:%Y}/{local:%m%d}/{pk}/"


def shown_dates(published_at):
    """How a row shows when its article was published: the `datetime` attribute (at +08:00) and
    the date a reader reads, formatted once, not by a template filter per row (the lists' rows,
    search results)."""
    return {
        "iso_time": iso_beijing_time(published_at),
        "date": f"{localtime(published_at):%Y-%m-%d}",
    }


def rows(articles, column_url=None):
    """The rows of `articles` (an ArticlePage queryset, sliced to what is shown) as plain data, in
    one query for the few fields a row shows. Each address is built from its column's (given, or
    found in one query for the columns of the rows) and the article's date and id; a copy links
    to its original's address (one more query, only where a list holds copies)."""
    found = list(articles.values(*ROW_FIELDS, "path"))
    copied = {row["alias_of_id"] for row in found if row["alias_of_id"]}
    originals = {
        row["pk"]: row
        for row in articles.model.objects.filter(pk__in=copied).values("pk", "published_at", "path")
    }
    addresses = column_addresses([*found, *originals.values()], column_url if not copied else None)
    listed = []
    for row in found:
        shown = originals.get(row["alias_of_id"], row)
        column = addresses[shown["path"][: -Page.steplen]]
        listed.append(
            {
                "title": row["title"].replace(COUNT_SLOT, ""),
                "url": column + article_path(shown["published_at"], shown["pk"]),
                "source": row["source"].replace(COUNT_SLOT, ""),
                **shown_dates(row["published_at"]),
                "count_id": shown["pk"],
            }
        )
    return listed


def column_addresses(found, column_url=None):
    """{tree path: address} of the columns the rows are in: `column_url` when the list is one
    column's, else one query for them all (a 专题 lists articles of several columns)."""
    paths = {row["path"][: -Page.steplen] for row in found}
    if column_url is not None:
        return dict.fromkeys(paths, column_url)
    columns = Page.objects.filter(path__in=paths).only("url_path", "path", "depth")
    return {column.path: column.url for column in columns}


def render(listed, with_counts):
    """The list's HTML (includes/article_list.html), split at its click counts: [html, id, html,
    id, …, html]."""
    for row in listed:
        row["count"] = COUNT_SLOT if with_counts else ""
    html = render_to_string(
        "includes/article_list.html", {"articles": listed, "with_meta": with_counts}
    )
    parts = html.split(COUNT_SLOT)
    ids = [row["count_id"] for row in listed] if with_counts else []
    kept = [parts[0]]
    for count_id, part in zip(ids, parts[1:], strict=True):
        kept += [count_id, part]
    return kept


def kept_list(name, listed, with_counts=True):
    """The list kept under `name` and the generation, rendered from `listed()` (its rows) on
    first use."""
    return remember(name, lambda: render(listed(), with_counts))


def kept_fragment(name, rendered):
    """A fragment of HTML whose rows are plain data kept elsewhere (热点排行, with the lists'
    own lifetime: news/hits/ranking.py), kept rendered under `name` and the generation."""
    return remember(name, rendered)
