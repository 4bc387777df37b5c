"""相关阅读's tables: each live original article's key words with their weights, the words it
contains (to take it out of the counts again), and how many of a site's articles contain each
word. They belong to the news app (news/apps.py registers them), whose migrations made them."""

from django.db import models


class KeyWord(models.Model):
    """One of an article's key words, or one of its 专题 tags (marked by TAG_MARK,
    news/related/keywords.py), with its weight: the related articles are those whose key words
    weigh most with this article's (news/related/reading.py)."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_key_words"
    )
    word = models.CharField("关键词", max_length=100)
    weight = models.FloatField("权重")

    class Meta:
        verbose_name = "相关阅读关键词"
        verbose_name_plural = "相关阅读关键词"
        indexes = [models.Index(fields=["site", "word"], name="related_keyword_site_word")]
        constraints = [
            models.UniqueConstraint(fields=["article", "word"], name="related_keyword_article_word")
        ]

    def __str__(self):
        return f"{self.article_id} {self.word} {self.weight:.3f}"


class IndexedArticle(models.Model):
    """An article counted in its site's word counts, with the words it was counted with: what
    to take away again when it is unpublished, edited, moved to another site or deleted."""

    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="related_index",
    )
    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    words = models.TextField("词语", blank=True)

    class Meta:
        verbose_name = "相关阅读已索引文章"
        verbose_name_plural = "相关阅读已索引文章"

    def __str__(self):
        return str(self.article_id)


class WordCount(models.Model):
    """How many of a site's live original articles contain a word (the document frequency of
    TF-IDF): a word most articles contain says little about what one is about."""

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    word = models.CharField("词语", max_length=100)
    articles = models.PositiveIntegerField("文章数", default=0)

    class Meta:
        verbose_name = "相关阅读词频"
        verbose_name_plural = "相关阅读词频"
        constraints = [
            models.UniqueConstraint(fields=["site", "word"], name="related_wordcount_site_word")
        ]

    def __str__(self):
        return f"{self.word}: {self.articles}"
