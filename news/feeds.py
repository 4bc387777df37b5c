"""RSS 2.0 feeds with the full text of each article: one for the whole site, one per column and
one per 专题.

A feed carries twenty whole articles, so it is kept, finished, under the site generation and
built again only after a change readers can see; a query string changes nothing (a feed has no
parameters) and gets the kept feed. Building one that no cache holds is limited per address, for
every worker at once (core/limits.py, UNCACHED_RATE_LIMIT)."""

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from core import limits
from core.beijing_time import beijing_time
from news.models import ArticlePage, NewsIndexPage, TopicPage
from news.pictures import prefetch_pictures

FEED_ITEMS = 20
# A root-relative address at the start of an attribute value or of a srcset entry.
RELATIVE_URL_RE = re.compile(r'(?<=["\s,])/(?=[^/\s])')


class ArticleFeed(Feed):
    def get_object(self, request, column=None):
        self.request = request
        self.site = Site.find_for_request(request)
        if self.site is None:
            raise Http404
        if column is None:
            return None
        for kind in (NewsIndexPage, TopicPage):
            found = (
                kind.objects.child_of(self.site.root_page)
                .live()
                .public()
                .filter(slug=column)
                .first()
            )
            if found is not None:
                return found
        raise Http404

    def title(self, column):
        name = self.site.site_name or "青溪党建网"
        return f"{column.title} - {name}" if column else name

    def link(self, column):
        return column.get_url(self.request) if column else self.site.root_page.get_url(self.request)

    def description(self, column):
        return f"{self.title(column)}的最新文章"

    def items(self, column):
        # A column's or a topic's articles, or the whole site's.
        articles = (
            column.articles()
            if column
            else ArticlePage.objects.readable().originals().newest_first()
        )
        articles = list(articles[:FEED_ITEMS])
        prefetch_pictures(articles)  # every picture of every item in two queries
        return articles

    def item_title(self, article):
        return article.title

    def item_link(self, article):
        # A copy published into the column (一稿多发) links to the original's address.
        return self.request.build_absolute_uri(article.original().get_url(self.request))

    def item_pubdate(self, article):
        return beijing_time(article.published_at)

    def item_updateddate(self, article):
        return beijing_time(article.last_published_at or article.published_at)

    def item_author_name(self, article):
        return article.author or article.source or None

    def item_description(self, article):
        """The whole article, with addresses made absolute so feed readers can follow them."""
        html = "".join(str(block.render_as_block()) for block in article.body)
        return RELATIVE_URL_RE.sub(self.request.build_absolute_uri("/"), html)


@require_safe
def feed(request, column=None):
    name = f"feed:{request.get_host()}:{column or ''}"

    def build():
        response = ArticleFeed()(request, column=column)
        return {"content": response.content, "type": response["Content-Type"]}

    kept = limits.kept_or_built(request, name, build)
    if kept is None:
        return limits.too_many(request, settings.UNCACHED_RATE_LIMIT)
    return HttpResponse(kept["content"], content_type=kept["type"])
