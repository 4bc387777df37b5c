"""Wagtail hooks of the newsroom: marking the article a request serves, the admin article listing,
and the 阅读排行 report."""

from wagtail import hooks

from .hits import COUNTABLE_PAGE_ATTR
from .models import ArticlePage


@hooks.register("before_serve_page")
def mark_countable_article(page, request, serve_args, serve_kwargs):
    # The counter identifies the article by the page actually served, never by parsing the URL.
    if (
        isinstance(page, ArticlePage)
        and page.live
        and not serve_kwargs.get("redirect_to_canonical")
    ):
        setattr(request, COUNTABLE_PAGE_ATTR, page.pk)
