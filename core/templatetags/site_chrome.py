"""Template tags for the public site: navigation, breadcrumbs, the site's name and description,
and `{% kept %}`, which keeps the parts of the page shell that are the same on many pages."""

from django import template
from django.conf import settings
from django.core.cache import caches
from django.utils.text import Truncator
from wagtail.models import Page, Site

from core import generation
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


def nav_items(site):
    def compute():
        home = site.root_page
        children = Page.objects.child_of(home).live().public().in_menu()
        return [{"title": "首页", "url": home.url, "path": home.path}] + [
            {"title": child.title, "url": child.url, "path": child.path}
            for child in children.only("title", "url_path", "path", "depth")
        ]

    return remember(f"nav:{site.pk}", compute, articles=False)


def active_item(items, page):
    """The number of the menu item the page is in, or None: home is current only on itself, a
    column on every page inside it."""
    current = page.path if page is not None else None
    if current is None:
        return None
    for number, item in enumerate(items):
        if current == item["path"] if number == 0 else current.startswith(item["path"]):
            return number
    return None


@register.simple_tag(takes_context=True)
def nav_section(context):
    """Which menu item this page is in (what the kept header varies by)."""
    site = current_site(context)
    return None if site is None else active_item(nav_items(site), context.get("page"))


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context):
    site = current_site(context)
    if site is None:
        return {"items": []}
    items = nav_items(site)
    active = active_item(items, context.get("page"))
    return {"items": [{**item, "active": number == active} for number, item in enumerate(items)]}


class KeptNode(template.Node):
    def __init__(self, nodelist, name, vary, articles):
        self.nodelist, self.name, self.vary, self.articles = nodelist, name, vary, articles

    def render(self, context):
        if getattr(context.get("request"), "is_preview", False):
            return self.nodelist.render(context)  # a draft shows what is not published yet
        site = current_site(context)
        parts = [
            self.name,
            site.pk if site else "-",
            *(part.resolve(context) for part in self.vary),
        ]
        key = generation.key_for(":".join(["kept", *map(str, parts)]), articles=self.articles)
        # This process's memory only: rendering one is cheaper than a round trip to Redis, and
        # static files' addresses belong to the release the process runs.
        local = caches["local"]
        html = local.get(key)
        if html is None:
            html = self.nodelist.render(context)
            local.set(key, html, settings.TREE_CACHE_TIMEOUT)
        return html


@register.tag
def kept(parser, token):
    """`{% kept "name" value … [with_articles] %}…{% endkept %}`: the enclosed part of a page,
    rendered once per site, site number of the generation (core/generation.py; with
    `with_articles`, its articles number too) and the values given, then kept in this process's
    memory. Only for what depends on nothing else, never on the request: base.html keeps its
    static links and its header this way, the home page its content, made of kept lists."""
    name, *vary = token.split_contents()[1:]
    articles = bool(vary) and vary[-1] == "with_articles"
    if articles:
        vary.pop()
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(
        nodelist, name.strip("'\""), [parser.compile_filter(part) for part in vary], articles
    )


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
