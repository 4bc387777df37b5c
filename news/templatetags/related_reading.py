"""`{% related_reading page as related %}`: the article's 相关阅读 (news/related/reading.py), for
templates/news/includes/related_reading.html."""

from django import template

from news.related.reading import related_articles

register = template.Library()


@register.simple_tag
def related_reading(page):
    return related_articles(page)
