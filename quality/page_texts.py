"""Every text a reader sees of what the 错敏词 check is asked about, as (where, field, text):
`where` in the editor's words ("正文 › 议程一：实地观摩 › 小节 2 标题"), `field` the name of the form
input it was typed in ("title", "body-3-value-body-1-value-heading"; a StreamField block's inputs
are named by position, as Wagtail's block forms name them), `text` plain text (rich text without
its markup, each paragraph on a line of its own so that no word is made across two).

Articles and 专题 are read field by field; any other object (the contact details, a 互动交流 reply)
either says itself what readers see, with a `reader_texts()` method returning the same triples,
or is read generically: its text fields and those of its inline rows (modelcluster children)."""

import html
import re

from django.db import models
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from core.richtext import plain_text
from news.models import ArticlePage, TopicPage

BLOCK_END = re.compile(r"<(?:br|hr|/p|/h[1-6]|/li|/ol|/ul|/blockquote)\b[^>]*>", re.IGNORECASE)
# Kept out of generic reading: addresses and codes, not words a reader reads as text.
NOT_TEXT = (models.URLField, models.EmailField, models.SlugField)


def rich_text(markup):
    """Stored rich text as lines of plain text."""
    return plain_text(BLOCK_END.sub("\n", markup or "")).strip()


def site_of(obj):
    """The site whose lists apply to `obj`: a page's site, an object's `site`, else None (the
    default site)."""
    if isinstance(obj, Page):
        if obj.path:
            return obj.get_site()
        # A page not yet in the tree: the site the edit form is adding it to (core/gate_forms.py).
        return getattr(obj, "_gate_site", None)
    site = getattr(obj, "site", None)
    return site if isinstance(site, Site) else None


def site_id_of(site):
    """The id of `site` (a Site or its id), or of the default site for None."""
    if site is None:
        site = Site.objects.filter(is_default_site=True).only("pk").first()
    return getattr(site, "pk", site)


def texts_of(obj):
    if hasattr(obj, "reader_texts"):
        return list(obj.reader_texts())
    if isinstance(obj, ArticlePage):
        return article_texts(obj)
    if isinstance(obj, TopicPage):
        return topic_texts(obj)
    if isinstance(obj, Page):
        return page_texts(obj)
    return model_texts(obj)


def search_engine_texts(page):
    # The window's title and the line a search engine quotes are read too.
    return [
        ("搜索引擎标题", "seo_title", page.seo_title),
        ("搜索引擎描述", "search_description", page.search_description),
    ]


def article_texts(page):
    texts = [
        ("标题", "title", page.title),
        ("来源", "source", page.source),
        ("作者", "author", page.author),
        ("责任编辑", "editor", page.editor),
        ("摘要", "summary", page.summary),
    ]
    images = image_titles(page.body.raw_data, [page.cover_image_id])
    if page.cover_image_id in images:
        texts.append(("封面图片 替代文字", "cover_image", images[page.cover_image_id]))
    texts += stream_texts(page.body.raw_data, "正文", "body", images, document_titles(page))
    attachments = list(page.attachments.all())
    for number, attachment in enumerate(attachments, 1):
        name = attachment.title or attachment.document.title
        texts.append((f"附件 {number} 名称", f"attachments-{number - 1}-title", name))
    texts += search_engine_texts(page)
    return [text for text in texts if text[2]]


def topic_texts(page):
    texts = [
        ("标题", "title", page.title),
        ("专题标签", "tag", page.tag),
        ("专题介绍", "intro", rich_text(page.intro)),
    ]
    if page.banner_image_id:
        images = image_titles([], [page.banner_image_id])
        texts.append(("专题横幅图片 替代文字", "banner_image", images.get(page.banner_image_id)))
    texts += search_engine_texts(page)
    return [text for text in texts if text[2]]


def page_texts(page):
    """Another page: its title, and its own text fields (a column's 栏目介绍)."""
    own = [
        field
        for field in type(page)._meta.get_fields()
        if getattr(field, "model", None) is type(page) and is_text_field(field)
    ]
    texts = [("标题", "title", page.title)]
    texts += [(str(field.verbose_name), field.name, field_text(page, field)) for field in own]
    texts += search_engine_texts(page)
    return [text for text in texts if text[2]]


def is_text_field(field):
    return (
        isinstance(field, (models.CharField, models.TextField))
        and not isinstance(field, NOT_TEXT)
        and field.editable
        and not field.choices
        and not field.primary_key
    )


def field_text(obj, field):
    value = getattr(obj, field.attname) or ""
    # RichTextField is a TextField whose value is markup.
    return rich_text(value) if type(field).__name__ == "RichTextField" else str(value)


def model_texts(obj, prefix="", where_prefix=""):
    """The text fields of any model, and of its inline rows (ClusterableModel children, whose
    form inputs are named <relation>-<n>-<field>)."""
    texts = []
    for field in type(obj)._meta.concrete_fields:
        if is_text_field(field):
            texts.append(
                (
                    f"{where_prefix}{field.verbose_name}",
                    f"{prefix}{field.name}",
                    field_text(obj, field),
                )
            )
    if not prefix:
        for relation in child_relations(obj):
            rows = list(getattr(obj, relation.get_accessor_name()).all())
            label = relation.related_model._meta.verbose_name
            for number, row in enumerate(rows, 1):
                texts += model_texts(
                    row,
                    prefix=f"{relation.get_accessor_name()}-{number - 1}-",
                    where_prefix=f"{label} {number} ",
                )
    return [text for text in texts if text[2]]


def child_relations(obj):
    try:
        from modelcluster.models import get_all_child_relations
    except ImportError:  # pragma: no cover - modelcluster comes with Wagtail
        return []
    return get_all_child_relations(type(obj)) if hasattr(obj, "_cluster_related_objects") else []


# StreamField ---------------------------------------------------------------------------------

BLOCK_NAMES = {
    "paragraph": "段落",
    "image": "图片",
    "section": "议程",
    "subsection": "小节",
    "table": "表格",
    "attachment": "附件",
    "document_title": "居中标题",
    "signature": "落款",
    "video": "视频",
}


def stream_texts(raw_blocks, where, prefix, images, documents):
    """The texts of a stream's raw data, each block counted among those of its type."""
    texts = []
    counts = {}
    for position, block in enumerate(raw_blocks):
        kind, value = block["type"], block["value"]
        counts[kind] = number = counts.get(kind, 0) + 1
        field = f"{prefix}-{position}-value"
        name = f"{where} › {BLOCK_NAMES.get(kind, kind)} {number}"
        if kind == "paragraph":
            texts.append((name, field, rich_text(value)))
        elif kind == "image":
            texts += image_texts(value, name, field, images)
        elif kind == "section":
            heading = f"{where} › {value.get('label', '')}：{value.get('title', '')}"
            texts.append((f"{heading} › 议程编号", f"{field}-label", value.get("label")))
            texts.append((f"{heading} › 议程标题", f"{field}-title", value.get("title")))
            texts += stream_texts(
                value.get("body") or [], heading, f"{field}-body", images, documents
            )
        elif kind == "subsection":
            texts.append((f"{name} 标题", f"{field}-heading", value.get("heading")))
            inner = f"{name}：{value.get('heading', '')}"
            texts += stream_texts(
                value.get("body") or [], inner, f"{field}-body", images, documents
            )
        elif kind == "table":
            texts += table_texts(value or {}, name, field)
        elif kind == "attachment":
            shown = value.get("title") or documents.get(value.get("document"))
            texts.append((f"{name} 名称", f"{field}-title", shown))
        elif kind in ("document_title", "signature"):
            texts.append((name, field, value))
        elif kind == "video":
            texts.append((f"{name} 标题", f"{field}-title", value.get("title")))
            texts.append((f"{name} 文字稿", f"{field}-transcript", value.get("transcript")))
            if value.get("poster") in images:
                texts.append((f"{name} 封面替代文字", f"{field}-poster", images[value["poster"]]))
    return [(where_, field_, text) for where_, field_, text in texts if text]


def image_texts(value, name, field, images):
    # The picture's alternative text is its caption, or its title without one (templates/blocks/image.html).
    if value.get("caption"):
        return [(f"{name} 说明", f"{field}-caption", value["caption"])]
    title = images.get(value.get("image"))
    return [(f"{name} 替代文字", f"{field}-image", title)] if title else []


def table_texts(value, name, field):
    texts = [(f"{name} 表题", f"{field}-caption", value.get("caption"))]
    for column, heading in enumerate(value.get("columns") or []):
        texts.append(
            (
                f"{name} 第 {column + 1} 列标题",
                f"{field}-column-{column}-heading",
                heading.get("heading"),
            )
        )
    for row, cells in enumerate(value.get("rows") or []):
        for column, cell in enumerate(cells.get("values") or []):
            if isinstance(cell, str):
                texts.append(
                    (
                        f"{name} 第 {row + 1} 行第 {column + 1} 列",
                        f"{field}-cell-{row}-{column}",
                        rich_text(cell) if "<" in cell else html.unescape(cell),
                    )
                )
    return texts


def ids_in(raw_blocks, kind, key):
    """The ids a stream's blocks of `kind` (at any depth) hold under `key`."""
    found = []
    for block in raw_blocks:
        value = block.get("value")
        if block.get("type") == kind and isinstance(value, dict) and value.get(key):
            found.append(value[key])
        if isinstance(value, dict) and isinstance(value.get("body"), list):
            found += ids_in(value["body"], kind, key)
    return found


def image_titles(raw_blocks, more_ids):
    ids = {*ids_in(raw_blocks, "image", "image"), *ids_in(raw_blocks, "video", "poster")}
    ids.update(pk for pk in more_ids if pk)
    ids = {pk for pk in ids if isinstance(pk, int)}
    if not ids:
        return {}
    return dict(get_image_model().objects.filter(pk__in=ids).values_list("pk", "title"))


def document_titles(page):
    ids = {pk for pk in ids_in(page.body.raw_data, "attachment", "document") if isinstance(pk, int)}
    if not ids:
        return {}
    return dict(get_document_model().objects.filter(pk__in=ids).values_list("pk", "title"))
