"""Factories for pages, contact details and library documents used across the tests."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from contact.models import ContactDetails, ContactEmail, ContactPhone
from news.hits import store
from news.models import ArticlePage

SHANGHAI = ZoneInfo("Asia/Shanghai")


def library_document(title, filename, content=b"x" * 100):
    """A file in the document library, with the size and hash Wagtail's upload form sets."""
    document = get_document_model()(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def section(label, title, *items):
    """Raw StreamField data for an agenda section; items are paragraphs (str) or (heading, [paragraphs])."""
    body = []
    for item in items:
        if isinstance(item, tuple):
            heading, paragraphs = item
            sub_body = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in paragraphs]
            body.append({"type": "subsection", "value": {"heading": heading, "body": sub_body}})
        else:
            body.append({"type": "paragraph", "value": f"<p>{item}</p>"})
    return {"type": "section", "value": {"label": label, "title": title, "body": body}}


class ArticlePageFactory(factory.django.DjangoModelFactory):
    """A live article; pass `parent=<column>` and optionally `hits=<n>`."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"测试文章第{n}篇")
    source = "测试来源"
    published_at = factory.Sequence(
        lambda n: datetime(2024, 1, 1, 9, 0, tzinfo=SHANGHAI) + timedelta(days=n)
    )
    body = factory.LazyFunction(
        lambda: [
            {"type": "paragraph", "value": "<p>导语段落。</p>"},
            section("议程一", "实地观摩", "观摩段落。", ("嘉莲街道友邻中心", ["友邻中心段落。"])),
            section("议程二", "座谈会", "座谈段落。"),
        ]
    )

    @classmethod
    def _create(cls, model_class, *args, parent, hits=None, **kwargs):
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        if hits is not None:
            store.raise_count(page.pk, hits)
        return page


def make_contact(
    site, *, phones=("0592-6276720", "0592-5531111"), emails=("a@example.com",), live=True
):
    contact = ContactDetails(
        site=site, name="测试单位", address="测试市测试路1号", postcode="361024", live=live
    )
    contact.phones = [ContactPhone(number=number) for number in phones]
    contact.emails = [ContactEmail(address=address) for address in emails]
    contact.save()
    return contact
