"""热点排行 on the home page and each column page: this week's and this month's most read."""

from django import template

from news.hits import ranking

register = template.Library()


@register.inclusion_tag("includes/hot_list.html")
def hot_lists(column=None):
    return {"hot_lists": ranking.hot_lists(column)}
