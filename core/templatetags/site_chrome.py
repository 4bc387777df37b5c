"""Template tags for the public site: navigation, breadcrumbs, the site's name and description."""

from django import template
from django.utils.text import Truncator
from wagtail.models import Page, Site

from core.generation import remember
from core.richtext import plain_text

register = template.Library()


def current_site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


@register.simple_tag(takes_context=True)
def site_name(context):
    site = current_site(context)
    return (site.site_name if site else "") or "青溪党建网"


def plain(text, length=120):
    return Truncator(" ".join(plain_text(text).split())).chars(length)


@register.simple_tag(takes_context=True)
def page_description(context):
    """The meta description search engines show: the page's own search description, else its
    summary or introduction (an article's template gives its teaser first), else the site's (the home page's search description or introduction),
    else the site's name and columns."""
    page = context.get("page")
    if page is not None:
        own = page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "")
        if described := plain(own):
            return described
    site = current_site(context)
    if site is None:
        return ""

    def compute():
        home = site.root_page.specific
        described = plain(home.search_description or getattr(home, "intro", ""))
        if described:
            return described
        columns = (
            Page.objects.child_of(home).live().public().in_menu().values_list("title", flat=True)
        )
        return plain(f"{site_name(context)}：{'、'.join(columns)}")

    return remember(f"description:{site.pk}", compute, articles=False)


@register.simple_tag(takes_context=True)
def absolute_url(context, page):
    """The page's address on the host that served this request (canonical links, OpenGraph)."""
    request = context["request"]
    return request.build_absolute_uri(page.get_url(request))


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    site = current_site(context)
    page = context.get("page")
    if site is None:
        return {"items": []}

    def compute():
        home = site.root_page
        children = Page.objects.child_of(home).live().public().in_menu()
        return [{"title": "首页", "url": home.url, "path": home.path}] + [
            {"title": child.title, "url": child.url, "path": child.path}
            for child in children.only("title", "url_path", "path", "depth")
        ]

    items = remember(f"nav:{site.pk}", compute, articles=False)
    current = page.path if page is not None else None
    for number, item in enumerate(items):
        # Home is current only on itself; a column is current on every page inside it.
        item["active"] = current is not None and (
            current == item["path"] if number == 0 else current.startswith(item["path"])
        )
    return {"items": items}


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    page = context.get("page")
    site = current_site(context)
    if page is None or site is None:
        return {"ancestors": []}

    def compute():
        ancestors = Page.objects.ancestor_of(page, inclusive=False).filter(
            depth__gte=site.root_page.depth
        )
        return [
            {"title": "首页" if number == 0 else ancestor.title, "url": ancestor.url}
            for number, ancestor in enumerate(ancestors.only("title", "url_path", "depth"))
        ]

    ancestors = remember(f"breadcrumbs:{site.pk}:{page.pk}", compute, articles=False)
    return {"ancestors": ancestors, "page": page}
