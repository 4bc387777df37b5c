"""热点排行 on the home page and each column page: this week's and this month's most read, kept
rendered for as long as the lists themselves are (news/hits/ranking.py)."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate

from news.hits import ranking
from news.listing import kept_fragment

register = template.Library()


@register.simple_tag
def hot_lists(column=None):
    scope = column.pk if column is not None else "site"

    def compute():
        lists = ranking.hot_lists(column)
        return render_to_string("includes/hot_list.html", {"hot_lists": lists})

    html = kept_fragment(f"hot:{scope}:html:{localdate():%Y%m%d}", compute)
    return mark_safe(html)  # noqa: S308 - rendered by a template with autoescaping
