"""相关阅读 under an article: up to LIMIT readable original articles of its site that share the
most weighted key words with it (its 专题 tags first, news/related/keywords.py), found in one
query over the key words' (site, word) index, and cached under the site generation (articles
number included), so that any publish, unpublish, move or restriction shows in it in every
process. Nothing is shown when nothing scores MIN_SCORE: a word or two in common is not a
subject in common."""

from django.db import connection
from django.db.models.expressions import RawSQL
from wagtail.models import Page

from core.generation import remember
from news.models import ArticlePage, article_link
from news.related.models import KeyWord

LIMIT = 5
# The best-scoring articles asked whether readers may see them: ten times as many as are shown,
# so that a few restricted or offline ones among them still leave five, while the check costs
# as little on a site of 100,000 articles as on one of a hundred.
CANDIDATES = 50
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
    that weigh most with the article's (the sum of the products of both weights). It starts
    from the article's own key words (the (article, word) index) and meets the others' through
    the (site, word) index, so its cost is that of the articles sharing a key word, never of
    the whole site; what readers may see is asked of the CANDIDATES best only."""
    # Asked of each article found, by its id (an EXISTS the database joins on the primary key).
    readable, readable_params = (
        ArticlePage.objects.readable()
        .originals()
        .filter(pk=RawSQL("page.id", ()))
        .order_by()
        .values("pk")
        .query.sql_with_params()
    )
    quote = connection.ops.quote_name
    key_words = quote(KeyWord._meta.db_table)
    pages, articles = quote(Page._meta.db_table), quote(ArticlePage._meta.db_table)
    sql = f"""
        WITH scores AS (
            SELECT theirs.article_id, SUM(mine.weight * theirs.weight) AS score
            FROM {key_words} mine
            JOIN {key_words} theirs ON theirs.site_id = mine.site_id AND theirs.word = mine.word
            WHERE mine.article_id = %s AND theirs.article_id <> %s
            GROUP BY theirs.article_id
            HAVING SUM(mine.weight * theirs.weight) >= %s
            ORDER BY score DESC, theirs.article_id DESC
            LIMIT %s
        )
        SELECT article.page_ptr_id, page.id, page.title, page.url_path, page.alias_of_id,
            article.published_at
        FROM scores
        JOIN {pages} page ON page.id = scores.article_id
        JOIN {articles} article ON article.page_ptr_id = page.id
        WHERE EXISTS ({readable})
        ORDER BY scores.score DESC, article.published_at DESC, page.id DESC
        LIMIT %s
    """  # noqa: S608 - quoted names and the ORM's own SQL; every value a parameter
    # Raw, but read as the model's fields, so that dates come back as the ORM gives them.
    found = ArticlePage.objects.raw(sql, [pk, pk, MIN_SCORE, CANDIDATES, *readable_params, LIMIT])
    return [article_link(article) for article in found]
