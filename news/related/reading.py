"""相关阅读 under an article: up to LIMIT readable original articles of its site that share the
most weighted key words with it (its 专题 tags first, news/related/keywords.py), found in one
query over the key words' (site, word) index, and cached under the site generation (articles
number included), so that any publish, unpublish, move or restriction shows in it in every
process. Nothing is shown when nothing scores MIN_SCORE: a word or two in common is not a
subject in common."""

from django.db.models import F, OuterRef, Subquery, Sum

from core.generation import remember
from news.models import ArticlePage, article_link
from news.related.models import KeyWord

LIMIT = 5
# The least score of a related article: the cosine of the two articles' key words (one shared
# 专题 tag alone scores 4). On the demo, two training notices score 0.13 to 0.16 and a 述职评议
# meeting and the notice calling it 0.10, while articles sharing only a 出席会议 or a 通知 score
# under 0.09.
MIN_SCORE = 0.1


def related_key(pk):
    """The cache name of an article's 相关阅读."""
    return f"article:{pk}:related"


def related_articles(article):
    """The article's 相关阅读 as links ({"title", "url", "published_at"}), best first: a copy's
    are its original's. Cached; one query when not."""
    pk = article.alias_of_id or article.pk
    if pk is None:  # a new article's preview
        return []
    return remember(related_key(pk), lambda: find_related(pk))


def find_related(pk):
    """One query: the other readable original articles of the same site with the key words
    that weigh most with the article's (the sum of the products of both weights)."""
    mine = KeyWord.objects.filter(article_id=pk)
    my_weight = Subquery(mine.filter(word=OuterRef("word")).values("weight")[:1])
    rows = (
        KeyWord.objects.filter(site_id__in=mine.values("site_id"), word__in=mine.values("word"))
        .exclude(article_id=pk)
        .filter(article__in=ArticlePage.objects.readable().originals().values("pk"))
        .values("article_id", "article__title", "article__url_path", "article__published_at")
        .annotate(score=Sum(F("weight") * my_weight))
        .filter(score__gte=MIN_SCORE)
        .order_by("-score", "-article__published_at", "-article_id")[:LIMIT]
    )
    return [
        article_link(
            ArticlePage(
                pk=row["article_id"],
                title=row["article__title"],
                url_path=row["article__url_path"],
                published_at=row["article__published_at"],
            )
        )
        for row in rows
    ]
