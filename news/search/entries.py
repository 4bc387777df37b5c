"""The public search's own table: one row per live original article, with what a result shows
(plain text, stored when the page is indexed, not made per request) and what the search matches
and ranks (each field's index tokens, news/search/tokens.py, and words, news/search/words.py).

The full-text index over it is the database's own: on PostgreSQL a weighted tsvector column
computed from the term columns, with a GIN index; on SQLite an FTS5 table kept by triggers
(both made in news/migrations/0024_searchentry.py, each only on its own database). Rows are
written by news/search/indexing.py.
"""

from django.db import models


class SearchEntry(models.Model):
    page = models.OneToOneField(
        "news.ArticlePage",
        verbose_name="文章",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The site the article belongs to (DESIGN.md, decision 15): a site's search shows its own.
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name="站点",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The column's tree path: the column filter, hidden sections and the result's URL.
    column_path = models.CharField("栏目路径", max_length=255)
    published_at = models.DateTimeField("发布时间")
    title = models.TextField("标题")
    summary = models.TextField("摘要", blank=True)
    body = models.TextField("正文", blank=True)
    source = models.CharField("来源", max_length=100, blank=True)
    author = models.CharField("作者", max_length=100, blank=True)
    # The article's 专题 tags, so that a 专题's name finds its articles.
    tags = models.TextField("专题标签", blank=True)
    # Index tokens and words, space-separated, per field; 来源, 作者 and the tags together.
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    meta_terms = models.TextField(blank=True)

    class Meta:
        verbose_name = "搜索条目"
        verbose_name_plural = "搜索条目"
        indexes = [
            models.Index(fields=["site", "-published_at", "-page"], name="search_site_newest"),
            models.Index(fields=["-published_at", "-page"], name="search_newest"),
        ]

    def __str__(self):
        return self.title
