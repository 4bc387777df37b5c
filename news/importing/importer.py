"""Turns parsed seed-format articles into published ArticlePages, and their contact block into a
new revision of the site's ContactDetails. Used by `manage.py import_articles` and the demo loader."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator
from wagtail.models import Site

from contact.models import ContactDetails, ContactEmail, ContactPhone
from news.hits import store
from news.importing.seedformat import ParsedArticle, SubSection
from news.models import ArticlePage, NewsIndexPage

SUMMARY_CHARS = 120


class ImportTargetError(ValueError):
    """The column to import into does not exist or is not a column."""


@dataclass
class ImportResult:
    page: ArticlePage
    created: bool


def paragraph_html(text):
    return f"<p>{escape(text)}</p>"


def body_stream(article: ParsedArticle):
    """StreamField data for the article body: lead paragraphs, then one block per agenda section."""
    stream = [("paragraph", paragraph_html(text)) for text in article.lead]
    for section in article.sections:
        items = []
        for item in section.items:
            if isinstance(item, SubSection):
                sub_body = [("paragraph", paragraph_html(text)) for text in item.paragraphs]
                items.append(("subsection", {"heading": item.heading, "body": sub_body}))
            else:
                items.append(("paragraph", paragraph_html(item)))
        stream.append(("section", {"label": section.label, "title": section.title, "body": items}))
    return stream


def find_column(path=None, site=None):
    """The column at a URL path such as `/news/` on the site, or the site's first column."""
    site = site or Site.objects.get(is_default_site=True)
    root = site.root_page
    columns = NewsIndexPage.objects.descendant_of(root)
    if not path:
        column = columns.order_by("path").first()
        if column is None:
            raise ImportTargetError(
                "站点中还没有栏目(NewsIndexPage),请先运行 manage.py setup_site。"
            )
        return column
    url_path = root.url_path + path.strip("/") + "/"
    column = columns.filter(url_path=url_path).first()
    if column is None:
        raise ImportTargetError(f"找不到栏目 {path}(应为某个栏目的网址路径,例如 /news/)。")
    return column


def existing_article(column, article: ParsedArticle):
    return ArticlePage.objects.descendant_of(column).filter(import_key=article.import_key).first()


@transaction.atomic
def import_article(
    article: ParsedArticle, column: NewsIndexPage, *, publish=True, take_count=True
) -> ImportResult:
    """Create or update the article from a parsed file. With `take_count` (the command line, an
    operator's tool) the file's 点击数 becomes the article's starting count; without it (the
    admin's 导入文章, open to editors) counts are left to readers: a new draft starts with none
    and an existing article keeps its own."""
    page = existing_article(column, article)
    created = page is None
    if created:
        page = ArticlePage(import_key=article.import_key, live=False)
    page.title = article.title
    page.source = article.source
    page.published_at = article.published_at
    page.summary = Truncator(" ".join(article.lead)).chars(SUMMARY_CHARS) if article.lead else ""
    page.body = body_stream(article)
    if created:
        column.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    if take_count:
        store.raise_count(page.pk, article.hits or 0)
    return ImportResult(page=page, created=created)


@transaction.atomic
def publish_contact(article: ParsedArticle, site=None, name=None) -> ContactDetails:
    """Publish the file's 联系我们 block as a new revision of the site's contact details."""
    block = article.contact
    site = site or Site.objects.get(is_default_site=True)
    contact = ContactDetails.objects.filter(site=site).first() or ContactDetails(site=site)
    contact.name = name or contact.name or site.site_name or "联系我们"
    contact.address = block.address
    contact.postcode = block.postcode
    contact.phones = [ContactPhone(label=label, number=number) for label, number in block.phones]
    contact.emails = [ContactEmail(address=address) for address in block.emails]
    contact.full_clean(exclude=["latest_revision", "live_revision", "locked_by"])
    for child in [*contact.phones.all(), *contact.emails.all()]:
        child.full_clean(exclude=["contact", "sort_order"])
    if contact.pk is None:
        contact.live = False
        contact.save()
    contact.save_revision().publish()
    return contact
