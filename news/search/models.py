"""Which way the search index was built, and the public search's own table (news/search/entries.py). It belongs to the news app (news/apps.py registers it),
whose migrations made it."""

from django.db import models

from news.search.entries import SearchEntry

__all__ = ["SearchEntry", "SearchIndexState"]


class SearchIndexState(models.Model):
    """Which way the search index was built (news/search/backend.py, INDEX_VERSION): setup_site
    rebuilds an index built another way."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.PositiveIntegerField("索引版本", default=0)

    class Meta:
        verbose_name = "搜索索引状态"
        verbose_name_plural = "搜索索引状态"

    def __str__(self):
        return str(self.version)
