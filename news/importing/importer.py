"""Turns parsed seed-format articles into published ArticlePages (with the files of their 附件
list, taken into the document library, and full-width punctuation in their Chinese text), and
their contact block into a new revision of the site's ContactDetails; turns Word documents into
drafts. Used by `manage.py import_articles`, the admin's 导入文章 and the demo loader.

Every imported article passes the 错敏词 check (core/content_gate.py), and its result carries the
findings for the list of what was imported. One that a finding blocks is kept as a draft, never
published, whatever was asked: the text is in, to be corrected in the admin."""

import dataclasses
import io
import mimetypes
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import escape
from django.utils.text import Truncator
from wagtail.documents import get_document_model
from wagtail.images.models import Image
from wagtail.models import Collection, Site

from contact.models import ContactDetails, ContactEmail, ContactPhone
from core import content_gate
from news.hits import store
from news.importing.punctuation import chinese_punctuation
from news.importing.seedformat import ParsedArticle, SeedFormatError, SubSection
from news.importing.wordfiles import WordArticle
from news.library.uploads import CheckedDocumentField, CompleteImageField
from news.models import ArticleAttachment, ArticlePage, NewsIndexPage

SUMMARY_CHARS = 120


class ImportTargetError(ValueError):
    """The column to import into does not exist or is not a column."""


@dataclass
class ImportResult:
    page: ArticlePage
    created: bool
    verdict: content_gate.Verdict = dataclasses.field(default_factory=content_gate.Verdict)
    # Asked to publish, and kept a draft for a blocking finding.
    held_back: bool = False

    def finding_notes(self):
        """The findings, one line each, for the import's list."""
        notes = [
            f"错敏词（须改正后才能发布）：{content_gate.describe(f)}" for f in self.verdict.blocking
        ]
        notes += [f"易错词（请留意）：{content_gate.describe(f)}" for f in self.verdict.warnings]
        if self.held_back:
            notes.append("因含有须改正的错敏词，已导入为草稿，未发布。")
        return notes


def paragraph_html(text):
    return f"<p>{escape(chinese_punctuation(text))}</p>"


def body_stream(article: ParsedArticle):
    """StreamField data for the article body: lead paragraphs, then one block per agenda section."""
    stream = [("paragraph", paragraph_html(text)) for text in article.lead]
    for section in article.sections:
        items = []
        for item in section.items:
            if isinstance(item, SubSection):
                sub_body = [("paragraph", paragraph_html(text)) for text in item.paragraphs]
                heading = chinese_punctuation(item.heading)
                items.append(("subsection", {"heading": heading, "body": sub_body}))
            else:
                items.append(("paragraph", paragraph_html(item)))
        label, title = chinese_punctuation(section.label), chinese_punctuation(section.title)
        stream.append(("section", {"label": label, "title": title, "body": items}))
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
                "站点中还没有栏目（NewsIndexPage），请先运行 manage.py setup_site。"
            )
        return column
    url_path = root.url_path + path.strip("/") + "/"
    column = columns.filter(url_path=url_path).first()
    if column is None:
        raise ImportTargetError(f"找不到栏目 {path}（应为某个栏目的网址路径，例如 /news/）。")
    return column


def existing_article(column, article: ParsedArticle):
    return ArticlePage.objects.descendant_of(column).filter(import_key=article.import_key).first()


@transaction.atomic
def import_article(
    article: ParsedArticle,
    column: NewsIndexPage,
    *,
    publish=True,
    take_count=True,
    file_named=lambda name: None,
) -> ImportResult:
    """Create or update the article from a parsed file. With `take_count` (the command line, an
    operator's tool) the file's 点击数 becomes the article's starting count; without it (the
    admin's 导入文章, open to editors) counts are left to readers: a new draft starts with none
    and an existing article keeps its own. `file_named(name)` gives the bytes of a file of the
    附件 list (from beside the text file, or uploaded with it), or None; every one is checked
    before anything is written."""
    # Every file checked before any is stored: a refused one leaves nothing behind.
    documents = [library_document(attachment, file_named) for attachment in article.attachments]
    for document in documents:
        if document.pk is None:
            document.save()
    page = existing_article(column, article)
    created = page is None
    if created:
        page = ArticlePage(import_key=article.import_key, live=False)
    page.title = chinese_punctuation(article.title)
    page.source = chinese_punctuation(article.source)
    page.published_at = article.published_at
    lead = chinese_punctuation(" ".join(article.lead))
    page.summary = Truncator(lead).chars(SUMMARY_CHARS)
    page.body = body_stream(article)
    # A file without a 附件 list leaves the attachments editors gave the article in the admin.
    if article.attachments:
        page.attachments = [
            ArticleAttachment(document=document, title=chinese_punctuation(attachment.title))
            for attachment, document in zip(article.attachments, documents, strict=True)
        ]
    if created:
        column.add_child(instance=page)
    revision = page.save_revision()
    verdict = content_gate.check_object(page, revision=revision)
    result = ImportResult(page=page, created=created, verdict=verdict)
    if publish and verdict:
        revision.publish()
    elif publish:
        result.held_back = True
    if take_count:
        store.raise_count(page.pk, article.hits or 0)
    return result


@transaction.atomic
def publish_contact(article: ParsedArticle, site=None, name=None, **details) -> ContactDetails:
    """Publish the file's 联系我们 block as a new revision of the site's contact details, with
    any other fields given (`details`: office hours, directions, the location picture)."""
    block = article.contact
    site = site or Site.objects.get(is_default_site=True)
    contact = ContactDetails.objects.filter(site=site).first() or ContactDetails(site=site)
    contact.name = name or contact.name or site.site_name or "联系我们"
    contact.address = block.address
    contact.postcode = block.postcode
    contact.phones = [ContactPhone(label=label, number=number) for label, number in block.phones]
    contact.emails = [ContactEmail(address=address) for address in block.emails]
    for field, value in details.items():
        setattr(contact, field, value)
    contact.full_clean(exclude=["latest_revision", "live_revision", "locked_by"])
    for child in [*contact.phones.all(), *contact.emails.all()]:
        child.full_clean(exclude=["contact", "sort_order"])
    if contact.pk is None:
        contact.live = False
        contact.save()
    contact.save_revision().publish()
    return contact


@transaction.atomic
def import_word_article(article: WordArticle, column: NewsIndexPage) -> ImportResult:
    """A draft in `column` from a Word document read by news/importing/wordfiles.py, its
    pictures added to the image library under the document's alt text. A picture that does not
    decode (Word's EMF drawings, for one) is left out and said in article.messages."""
    images = {}
    for number, picture in enumerate(article.pictures):
        image = library_picture(picture, f"{article.title} 图{number + 1}")
        if image is None:
            article.messages.append(f"第 {number + 1} 张图片无法识别（例如 Word 绘图），已跳过。")
        else:
            images[number] = image.pk
    page = ArticlePage(title=article.title, live=False, body=with_images(article.body, images))
    column.add_child(instance=page)
    revision = page.save_revision()
    verdict = content_gate.check_object(page, revision=revision)
    return ImportResult(page=page, created=True, verdict=verdict)


def library_document(attachment, file_named):
    """The 附件's file for the document library, after the library's own checks (its allowed
    extensions and size), not yet stored; a file already there with the same bytes, in the
    library's public root collection, is used again, so importing an article twice adds nothing.
    Raises SeedFormatError naming the 附件 line."""
    data = file_named(attachment.file_name)
    if data is None:
        raise SeedFormatError(
            attachment.line,
            f"找不到附件“{attachment.file_name}”：请把它与文章文件放在同一文件夹，或一起上传。",
        )
    upload = SimpleUploadedFile(attachment.file_name, data)
    Document = get_document_model()
    document = Document(title=attachment.file_name.rsplit(".", 1)[0][:255], file=upload)
    try:
        CheckedDocumentField().clean(upload)
        document.clean()
    except ValidationError as error:
        message = " ".join(error.messages)
        raise SeedFormatError(
            attachment.line, f"附件“{attachment.file_name}”：{message}"
        ) from error
    # Size and hash as Wagtail's own upload form sets them (the demo's files too).
    document._set_document_file_metadata()
    # Never a copy kept in another collection, which may be private.
    root = Collection.get_first_root_node()
    same = Document.objects.filter(file_hash=document.file_hash, collection=root).first()
    return same or document


def library_picture(picture, fallback_title):
    """The picture saved in the image library, or None when the library's own upload checks
    (allowed format, file size, pixel count, a complete decode) refuse it."""
    extension = mimetypes.guess_extension(picture.content_type) or ""
    upload = SimpleUploadedFile(f"word-picture{extension}", picture.data, picture.content_type)
    try:
        CompleteImageField().clean(upload)
    except ValidationError:
        return None
    image = Image(title=(picture.alt or fallback_title)[:255])
    image.file = ImageFile(io.BytesIO(picture.data), name=upload.name)
    image.save()
    return image


def with_images(stream, images):
    """The stream with each picture's number replaced by its image's id; pictures that were
    not saved are left out."""
    result = []
    for block in stream:
        value = block["value"]
        if block.get("picture"):
            if value["image"] in images:
                result.append(
                    {"type": "image", "value": {**value, "image": images[value["image"]]}}
                )
        elif block["type"] in {"section", "subsection"}:
            result.append({**block, "value": {**value, "body": with_images(value["body"], images)}})
        else:
            result.append(block)
    return result
