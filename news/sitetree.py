"""Builds the site's page tree (home, columns, contact page), idempotently."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

from contact.models import ContactPage
from core.signal_handlers import site_set_up
from news.models import HomePage, NewsIndexPage, UpdateClass
from news.roles import ensure_roles

# The columns every installation starts with: (slug, title, introduction).
COLUMNS = [
    ("news", "工作动态", "社会组织党建工作的最新动态。"),
    ("notices", "通知公告", "会议、培训和工作安排的通知与公告。"),
    ("practice", "基层实践", "各区、各社会组织党建工作的经验做法。"),
]
# The home page's 通知公告 column is inspected as one (6 months); the others as news (2 weeks).
COLUMN_UPDATE_CLASSES = {"notices": UpdateClass.NOTICES}


def add_published(parent, page):
    """Add a page and publish it through a revision, so it has a history and a publication date."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


# What the admin calls the top of the page tree and of the collections, as migration
# news/0016 names them.
ROOT_NAME = "根目录"


def ensure_roots():
    """The tree roots the migrations create, for a database that was emptied since."""
    if not Locale.objects.exists():
        Locale.objects.create(
            language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
        )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name=ROOT_NAME)
    return Page.get_first_root_node() or Page.add_root(instance=Page(title=ROOT_NAME, slug="root"))


# A site record with one of these names was made for a development server: it follows the
# configured address on every setup, so `PORT=18101 make run` names port 18101 in /sitemap.xml
# and the exports. A real name someone gave the site in the admin is left alone.
DEVELOPMENT_HOSTS = {"127.0.0.1", "localhost", "::1"}


def configured_address():
    """(hostname, port) of SITE_BASE_URL, or of the development server on PORT, so that
    sitemaps, feeds and exports name the site's own address."""
    address = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return address.hostname or "localhost", address.port or (
        443 if address.scheme == "https" else 80
    )


@transaction.atomic
def ensure_site_tree():
    """The home page as the default site's root, with the standard columns and the contact page."""
    root = ensure_roots()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.first()
    if home is None:
        home = add_published(root, HomePage(title=settings.WAGTAIL_SITE_NAME, slug="portal"))
    if site is None:
        site = Site(is_default_site=True)
    if site.root_page_id != home.pk:
        old_root = site.root_page if site.pk else None
        site.hostname, site.port = configured_address()
        site.root_page = home
        site.site_name = site.site_name or settings.WAGTAIL_SITE_NAME
        site.save()
        # Wagtail's placeholder "Welcome" page is replaced, never a page someone has built on.
        if (
            old_root is not None
            and type(old_root.specific) is Page
            and not old_root.get_children().exists()
        ):
            old_root.delete()
    elif site.hostname in DEVELOPMENT_HOSTS and (site.hostname, site.port) != configured_address():
        site.hostname, site.port = configured_address()
        site.save()

    for slug, title, intro in COLUMNS:
        if not home.get_children().filter(slug=slug).exists():
            add_published(
                home,
                NewsIndexPage(
                    title=title,
                    slug=slug,
                    intro=f"<p>{intro}</p>",
                    show_in_menus=True,
                    update_class=COLUMN_UPDATE_CLASSES.get(slug, UpdateClass.NEWS),
                ),
            )
    if not ContactPage.objects.child_of(home).exists():
        add_published(home, ContactPage(title="联系我们", slug="contact", show_in_menus=True))
    if home.notices_column_id is None:
        home.notices_column = NewsIndexPage.objects.child_of(home).filter(slug="notices").first()
        home.save_revision().publish()
    ensure_roles()
    # The administrators' roles (security/administrators.py), which news may not import.
    site_set_up.send(sender=Site, site=site)
    return site
