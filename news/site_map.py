"""网站地图 at /sitemap/: every part of the site a reader can go to, read from the page tree.

Under the home page: the columns (with how many articles each holds and its feed),
the 专题 pages (with theirs) and every other page (联系我们 …), each with the pages under it that are not
articles; then the site-wide services (search, feed). Cached as plain data under the site
generation, so a column added, renamed, moved or unpublished shows on the next request."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from core.generation import remember
from news.models import ArticlePage, NewsIndexPage, TopicPage


def entry(page):
    return {"title": page.title, "url": page.url, "slug": page.slug}


def pages_under(parent):
    """The live, public pages under a page that are not articles (sub-columns, landing pages)."""
    children = Page.objects.child_of(parent).live().public().not_type(ArticlePage)
    return [entry(child) for child in children.only("title", "url_path", "path", "depth")]


def site_map_sections(site):
    def compute():
        home = site.root_page
        columns, topics, others = [], [], []
        for child in Page.objects.child_of(home).live().public().specific():
            item = {**entry(child), "children": pages_under(child)}
            if isinstance(child, NewsIndexPage):
                item["articles"] = child.articles().count()
                item["feed"] = f"{child.url}feed/"
                columns.append(item)
            elif isinstance(child, TopicPage):
                item["feed"] = f"{child.url}feed/"
                topics.append(item)
            else:
                others.append(item)
        return {"home": entry(home), "columns": columns, "topics": topics, "others": others}

    return remember(f"site-map:{site.pk}", compute)


@require_safe
def site_map(request):
    site = Site.find_for_request(request)
    sections = site_map_sections(site) if site is not None else None
    return TemplateResponse(request, "news/site_map.html", {"sections": sections})
