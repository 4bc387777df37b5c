"""Keeping 相关阅读's tables current: an article counted and its key words stored when it is
published, taken out when it is unpublished, deleted or is no longer an original, counted again
in its new site when it is moved to another one; and everything rebuilt at once (manage.py
rebuild_related, run by setup_site). Called by the newsroom's receivers (news/signal_handlers.py),
in the transaction of the change.

Only the published article's own weights are computed anew: the others keep theirs, weighed
with the word counts of their own publishing, which move little with one article more or less;
rebuild_related weighs them all again."""

from collections import defaultdict

from django.db import transaction
from django.db.models import F
from wagtail.models import Site

from news.models import ArticlePage
from news.related.keywords import article_words, key_words
from news.related.models import IndexedArticle, KeyWord, WordCount

BATCH = 1000


def site_of(url_path, roots=None):
    """The id of the site an article at `url_path` belongs to (the deepest root above it), or
    None; from Wagtail's cached site roots, without a query once they are known."""
    roots = Site.get_site_root_paths() if roots is None else roots
    found = [root for root in roots if url_path.startswith(root.root_path)]
    return max(found, key=lambda root: len(root.root_path)).site_id if found else None


def article_parts(article):
    return {"title": article.title, "summary": article.summary, "body": article.body_text()}


def tag_names(article):
    return [tag.name for tag in article.tags.all()]


def counted(site_id, words, change):
    """Add `change` (1 or -1) to the site's count of articles containing each of `words`."""
    words = sorted(words)
    if not words:
        return
    for start in range(0, len(words), BATCH):
        batch = words[start : start + BATCH]
        WordCount.objects.filter(site_id=site_id, word__in=batch).update(
            articles=F("articles") + change
        )
        if change > 0:
            known = set(
                WordCount.objects.filter(site_id=site_id, word__in=batch).values_list(
                    "word", flat=True
                )
            )
            WordCount.objects.bulk_create(
                [
                    WordCount(site_id=site_id, word=word, articles=1)
                    for word in batch
                    if word not in known
                ],
                ignore_conflicts=True,
            )
    if change < 0:
        WordCount.objects.filter(site_id=site_id, articles__lte=0).delete()


def index_article(article):
    """Count a published article's words in its site and store its key words; an article that
    is not a live original (a copy, 一稿多发, shares its original's) or belongs to no site is
    taken out instead."""
    site_id = site_of(article.url_path) if article.url_path else None
    if not article.live or article.alias_of_id or site_id is None:
        unindex_article(article.pk)
        return
    counts = article_words(article_parts(article))
    words = set(counts)
    with transaction.atomic():
        before = IndexedArticle.objects.select_for_update().filter(article_id=article.pk).first()
        if before is not None and before.site_id != site_id:
            counted(before.site_id, before.words.split(), -1)
            before = None
        old = set(before.words.split()) if before is not None else set()
        counted(site_id, words - old, 1)
        counted(site_id, old - words, -1)
        IndexedArticle.objects.update_or_create(
            article_id=article.pk, defaults={"site_id": site_id, "words": " ".join(sorted(words))}
        )
        articles = IndexedArticle.objects.filter(site_id=site_id).count()
        document_counts = dict(
            WordCount.objects.filter(site_id=site_id, word__in=words).values_list(
                "word", "articles"
            )
        )
        KeyWord.objects.filter(article_id=article.pk).delete()
        KeyWord.objects.bulk_create(
            KeyWord(site_id=site_id, article_id=article.pk, word=word, weight=weight)
            for word, weight in key_words(counts, document_counts, articles, tag_names(article))
        )


def unindex_article(article_id):
    """Take an article out of its site's counts and drop its key words (nothing if it was not
    in them)."""
    with transaction.atomic():
        before = IndexedArticle.objects.select_for_update().filter(article_id=article_id).first()
        if before is not None:
            counted(before.site_id, before.words.split(), -1)
            before.delete()
        KeyWord.objects.filter(article_id=article_id).delete()


def index_moved(page, url_path_before, url_path_after):
    """After a page moved: the live original articles at or under it counted again, when the
    move took them into another site."""
    roots = Site.get_site_root_paths()
    if site_of(url_path_before, roots) == site_of(url_path_after, roots):
        return
    articles = ArticlePage.objects.filter(path__startswith=page.path)
    for article in articles.live().originals().prefetch_related("tagged_items__tag"):
        index_article(article)


def live_originals():
    return (
        ArticlePage.objects.live()
        .originals()
        .prefetch_related("tagged_items__tag")
        .order_by("pk")
        .iterator(chunk_size=200)
    )


@transaction.atomic
def rebuild():
    """Every live original article counted and weighed again, in two passes over them (the
    words of all articles are never held at once); the number of articles indexed."""
    roots = Site.get_site_root_paths()
    KeyWord.objects.all().delete()
    IndexedArticle.objects.all().delete()
    WordCount.objects.all().delete()
    document_counts = defaultdict(lambda: defaultdict(int))
    indexed = []
    for article in live_originals():
        site_id = site_of(article.url_path, roots)
        if site_id is None:
            continue
        words = set(article_words(article_parts(article)))
        for word in words:
            document_counts[site_id][word] += 1
        indexed.append(
            IndexedArticle(article_id=article.pk, site_id=site_id, words=" ".join(sorted(words)))
        )
    IndexedArticle.objects.bulk_create(indexed, batch_size=BATCH)
    WordCount.objects.bulk_create(
        (
            WordCount(site_id=site_id, word=word, articles=count)
            for site_id, counts in document_counts.items()
            for word, count in counts.items()
        ),
        batch_size=BATCH,
    )
    articles = defaultdict(int)
    for row in indexed:
        articles[row.site_id] += 1
    site_ids = {row.article_id: row.site_id for row in indexed}
    rows = []
    for article in live_originals():
        site_id = site_ids.get(article.pk)
        if site_id is None:
            continue
        counts = article_words(article_parts(article))
        weighed = key_words(counts, document_counts[site_id], articles[site_id], tag_names(article))
        rows += [
            KeyWord(site_id=site_id, article_id=article.pk, word=word, weight=weight)
            for word, weight in weighed
        ]
        if len(rows) >= BATCH:
            KeyWord.objects.bulk_create(rows)
            rows = []
    KeyWord.objects.bulk_create(rows)
    return len(indexed)
