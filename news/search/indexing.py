"""Keeping the public search's table (news/search/entries.py) current: a row per live original
article, written when it is saved live or published, removed when it is unpublished, saved not
live or deleted (the foreign key cascades), and moved with its column. View restrictions and
offline columns are not written here: the search leaves out hidden sections when it asks
(core/restrictions.py, hidden_sections), as every public list does.

Each field's terms are its index tokens (characters and character pairs, news/search/tokens.py:
any typed word is found) followed by its words (news/search/words.py: what the ranking prefers).
"""

from django.db import connection, transaction
from wagtail.models import Page, Site

from news.models import ArticlePage
from news.search.models import SearchEntry, SearchIndexState
from news.search.words import index_terms as terms

# How the rows are built; raised when that changes, so that setup_site rebuilds them.
# 1, tokens and words per field, plain text for snippets; 2, the 专题 tags with 来源 and 作者.
ENTRIES_VERSION = 2
STATE_ROW = 2  # the row of SearchIndexState that records ENTRIES_VERSION (1 is Wagtail's index)
CHUNK = 200


def site_roots():
    """(root page path, site id) of every site, the deepest first."""
    roots = Site.objects.values_list("root_page__path", "pk")
    return sorted(roots, key=lambda root: len(root[0]), reverse=True)


def site_of(path, roots):
    return next((pk for root, pk in roots if path.startswith(root)), None)


def entry_for(article, roots, terms=terms):
    """The row of an article; `terms` may be given a cache when many articles share texts."""
    body = article.body_text()
    tags = "、".join(tag.name for tag in article.tags.all())
    meta = " ".join(part for part in (article.source, article.author, tags) if part)
    return SearchEntry(
        page_id=article.pk,
        site_id=site_of(article.path, roots),
        column_path=article.path[: -Page.steplen],
        published_at=article.published_at,
        title=article.title,
        summary=article.summary,
        body=body,
        source=article.source,
        author=article.author,
        tags=tags,
        title_terms=terms(article.title),
        summary_terms=terms(article.summary),
        body_terms=terms(body),
        meta_terms=terms(meta),
    )


def searchable(article):
    return article.live and not article.alias_of_id and article.pk is not None


def index_article(article):
    """Write the article's row, or remove it when readers may not find it as such."""
    if not searchable(article):
        unindex(article.pk)
        return
    entry = entry_for(article, site_roots())
    with transaction.atomic():
        SearchEntry.objects.filter(pk=article.pk).delete()
        entry.save(force_insert=True)


def unindex(page_id):
    if page_id is not None:
        SearchEntry.objects.filter(pk=page_id).delete()


def follow_move(page):
    """The rows of the articles at or under a moved page: their column path and site."""
    roots = site_roots()
    moved = ArticlePage.objects.filter(path__startswith=page.path).values_list("pk", "path")
    for pk, path in moved:
        SearchEntry.objects.filter(pk=pk).update(
            column_path=path[: -Page.steplen], site_id=site_of(path, roots)
        )


def assign_sites():
    """Every row's site again, after a site was added, removed or given another home page: the
    shallowest home page first, so that a site inside another's tree keeps its own articles."""
    SearchEntry.objects.update(site=None)
    for root, pk in reversed(site_roots()):
        SearchEntry.objects.filter(column_path__startswith=root).update(site_id=pk)


def searchable_articles():
    return (
        ArticlePage.objects.live()
        .filter(alias_of__isnull=True)
        .prefetch_related("tags")
        .order_by("pk")
    )


def rebuild(stdout=None):
    """Every row built afresh, in one transaction, and the version recorded."""
    roots = site_roots()
    articles = searchable_articles()
    written = 0
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        last = 0
        while True:
            chunk = list(articles.filter(pk__gt=last)[:CHUNK])
            if not chunk:
                break
            SearchEntry.objects.bulk_create([entry_for(article, roots) for article in chunk])
            written += len(chunk)
            last = chunk[-1].pk
            if stdout is not None and written % (CHUNK * 25) == 0:
                stdout.write(f"已索引 {written} 篇文章……")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO news_searchfts(news_searchfts) VALUES ('optimize')")
        SearchIndexState.objects.update_or_create(
            pk=STATE_ROW, defaults={"version": ENTRIES_VERSION}
        )
    return written


def is_current():
    state = SearchIndexState.objects.filter(pk=STATE_ROW).first()
    return state is not None and state.version == ENTRIES_VERSION
