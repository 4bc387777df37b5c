"""A generated corpus for the benchmarks: `python bench/corpus.py N` grows the site to N generated
articles (import key `bench-…`), spread over the columns, with bodies, covers and click counts
taken from the demo articles, and indexed for search (Wagtail's index, for the admin, and the
public search's table, news/search/indexing.py). `python bench/corpus.py 0` removes them;
`python bench/corpus.py --at-least N` keeps a larger corpus as it is.

Pages are written in bulk (tree paths computed here, as treebeard would; the page rows and the
articles' own rows each in one statement a batch) because adding 10,000 pages one by one through
Wagtail would take longer than the benchmark itself.

One title, and one only, holds RARE_WORD: the rare search of bench/run.py, which must find exactly
one article whatever the corpus's size.
"""

import functools
import os
import random
import sys
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sitecms.settings.production")

import django

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils.timezone import now  # noqa: E402
from measure import RARE_NUMBER, RARE_WORD  # noqa: E402
from modelsearch.conf import get_app_config  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from core.generation import bump  # noqa: E402
from news.hits.models import PageHits  # noqa: E402
from news.models import ArticlePage, NewsIndexPage  # noqa: E402
from news.search import indexing  # noqa: E402
from news.search.models import SearchEntry  # noqa: E402

PREFIX = "bench-"
IndexEntry = get_app_config().get_model("IndexEntry")
BATCH = 500
TOPICS = ["党建引领", "社会组织", "志愿服务", "主题党日", "基层治理", "友邻中心", "学习教育"]


def generated():
    return ArticlePage.objects.filter(import_key__startswith=PREFIX)


def remove_all():
    ids = list(generated().values_list("pk", flat=True))
    with transaction.atomic():
        # Deleting through Page leaves the articles' search entries behind: they go first.
        IndexEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(ArticlePage),
            object_id__in=[str(pk) for pk in ids],
        ).delete()
        Page.objects.filter(pk__in=ids).delete()
        for column in NewsIndexPage.objects.all():
            column.numchild = column.get_children().count()
            column.save(update_fields=["numchild"])


def grow_to(target):
    have = generated().count()
    if have > target:
        remove_all()
        have = 0
    models = list(ArticlePage.objects.live().exclude(import_key__startswith=PREFIX))
    columns = list(NewsIndexPage.objects.live().order_by("path"))
    content_type = ContentType.objects.get_for_model(ArticlePage)
    randomness = random.Random(have)  # noqa: S311 - made-up click counts
    roots = indexing.site_roots()
    number = have
    while number < target:
        count = min(BATCH, target - number)
        with transaction.atomic():
            column = NewsIndexPage.objects.select_for_update().get(pk=columns[number % 3].pk)
            articles = add_batch(column, count, number, models, content_type, randomness)
        get_search_backend().add_bulk(ArticlePage, articles)
        SearchEntry.objects.bulk_create(
            indexing.entry_for(article, roots, terms=shared_terms) for article in articles
        )
        number += count
        print(f"  {number} / {target} generated articles", flush=True)
    mark_the_rare_title()
    bump()
    analyze()


# The bodies repeat the demo articles': each is segmented once.
shared_terms = functools.lru_cache(maxsize=4096)(indexing.terms)


def analyze():
    """Fresh planner statistics and the search index's pending entries merged into it, as
    autovacuum would leave them some time after a bulk load (otherwise each search reads the
    new entries one by one until it does)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def generated_title(number):
    title = f"{TOPICS[number % len(TOPICS)]}工作简报第{number}期"
    return f"{title}（{RARE_WORD}）" if number == RARE_NUMBER else title


def mark_the_rare_title():
    """The rare word in its title, for a corpus generated before it was given one."""
    article = generated().filter(slug=f"{PREFIX}{RARE_NUMBER}").first()
    if article is None or RARE_WORD in article.title:
        return
    article.title = article.draft_title = generated_title(RARE_NUMBER)
    ArticlePage.objects.filter(pk=article.pk).update(title=article.title, draft_title=article.title)
    get_search_backend().add(article)


def add_batch(column, count, first_number, models, content_type, randomness):
    last = column.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    published = now() - timedelta(days=3650)
    articles = []
    for offset in range(count):
        number = first_number + offset
        model = models[number % len(models)]
        slug = f"{PREFIX}{number}"
        title = generated_title(number)
        articles.append(
            ArticlePage(
                path=Page._get_path(column.path, column.depth + 1, step + offset + 1),
                depth=column.depth + 1,
                numchild=0,
                title=title,
                draft_title=title,
                slug=slug,
                url_path=f"{column.url_path}{slug}/",
                content_type=content_type,
                locale_id=column.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                has_unpublished_changes=False,
                first_published_at=published,
                last_published_at=published,
                published_at=published + timedelta(minutes=number * 5),
                source=model.source,
                author=model.author,
                editor=model.editor,
                summary=model.summary,
                cover_image_id=model.cover_image_id,
                body=model.body.raw_data[:],
                import_key=slug,
            )
        )
    page_fields = [field.attname for field in Page._meta.concrete_fields if field.attname != "id"]
    pages = Page.objects.bulk_create(
        Page(**{name: getattr(article, name) for name in page_fields}) for article in articles
    )
    for article, page in zip(articles, pages, strict=True):
        article.pk = article.page_ptr_id = page.pk
    # Only the articles' own rows, in one statement (as save_base(raw=True) writes one): the page
    # rows are written above, and bulk_create refuses a model with a parent table.
    ArticlePage._base_manager._insert(
        articles, fields=ArticlePage._meta.local_concrete_fields, raw=True
    )
    PageHits.objects.bulk_create(
        PageHits(page_id=page.pk, hits=randomness.randint(20, 2000)) for page in pages
    )
    column.numchild += count
    column.save(update_fields=["numchild"])
    return articles


if __name__ == "__main__":
    wanted = int(sys.argv[-1])
    if "--at-least" in sys.argv[1:-1]:
        wanted = max(wanted, generated().count())
    if wanted == 0:
        remove_all()
        bump()
        analyze()
    else:
        grow_to(wanted)
