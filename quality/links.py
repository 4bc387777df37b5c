"""失效链接: what the live pages of each site link to, and whether each link still leads where a
reader can go.

Finding the links. Every page of a site that readers can open (not a 一稿多发 copy, whose links
are its original's) is read as readers get it: its rich-text fields, its StreamField blocks by
their definitions (paragraphs, tables, 议程 and 小节, chooser blocks), its foreign keys and its
inline children (an article's 附件; a row's own key back to its page is no link). Each link is
kept with where it is, in the words of the editing form (正文 › 议程（第2块） › 段落（第1块）), its
words, and the user who wrote the version readers see (its editor). Links are of four kinds: an
external address (<a href> in rich text, a URL block), a page (a rich-text page link, a page
chooser), a document (a rich-text document link, a document chooser or 附件) and a picture.

Why the stored content and not Wagtail's reference index (wagtail.models.ReferenceIndex) alone:
the index records the same internal references with their paths, but when a page, document or
picture is deleted Wagtail deletes every row pointing at it (remove_references_to, on
post_delete), so a link to a deleted target leaves the index exactly when it breaks; and the
index records no external address. Reading the content finds both, by one rule, and costs one
pass over the live pages a night.

Judging them. A page link is broken when its page is deleted, unpublished, under an
unpublished column, or at or under a page with a view restriction (readers cannot open it: the
rule of core/restrictions.py); a document or picture link when it is deleted or its file is
missing from storage. External addresses are asked over the network (quality/link_checker.py).

Running. A check of a site is one LinkCheckRun; the daily job (quality/nightly.py) runs one
per site, and 立即检查 in the report starts one in a thread of the serving process
(start_check), so the request returns at once; the report says while one is running. Internal
links are judged as soon as the links are found; external ones as the network answers. Between
checks, quality/link_watch.py records a page's links again when it is published or withdrawn,
and judges again the links to what was withdrawn, moved, restricted or deleted.
"""

import logging
import threading
from contextlib import suppress
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, PageViewRestriction, Revision, Site

from core.restrictions import ancestors_and_self, readable_q
from quality import link_checker
from quality.link_checker import BROKEN, OK, REVIEW, Refused
from quality.links_models import (
    DOCUMENT,
    EXTERNAL,
    IMAGE,
    PAGE,
    FoundLink,
    LinkCheckRun,
    LinkTarget,
)

logger = logging.getLogger(__name__)

CHECKED = "quality.links_checked"
# A run unfinished after this long was left by a process that died; another may start.
STALE_RUN = timedelta(hours=6)
PROBLEMS = (BROKEN, REVIEW, link_checker.REFUSED)
MAX_ADDRESS = 2000
TEXT_LIMIT = 255


@dataclass(frozen=True)
class Link:
    kind: str
    # An external address as written, or the target's id.
    address: str
    where: str
    text: str = ""


def internal(kind, pk):
    return f"{kind}:{pk}"


# Finding the links of a page.


class _Anchors(HTMLParser):
    """The <a> elements of rich text: their attributes and words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors, self.current = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.current = [dict(attrs), ""]
            self.anchors.append(self.current)

    def handle_data(self, data):
        if self.current is not None:
            self.current[1] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self.current = None


def rich_text_links(html, where):
    if not html or "<a" not in html:
        return
    parser = _Anchors()
    parser.feed(str(html))
    for attrs, words in parser.anchors:
        text = " ".join(words.split())[:TEXT_LIMIT]
        linktype, pk = attrs.get("linktype"), attrs.get("id") or ""
        if linktype in (PAGE, DOCUMENT):
            if pk.isdigit():
                yield Link(linktype, pk, where, text)
        elif attrs.get("href"):
            yield Link(EXTERNAL, attrs["href"], where, text)


def model_kind(model):
    if model is None:
        return None
    if issubclass(model, Page):
        return PAGE
    if issubclass(model, get_document_model()):
        return DOCUMENT
    if issubclass(model, get_image_model()):
        return IMAGE
    return None


def label(block, name=""):
    return str(block.label or name)


def stream_links(stream_block, raw, where):
    for number, item in enumerate(raw or [], 1):
        if not isinstance(item, dict):
            continue
        child = stream_block.child_blocks.get(item.get("type"))
        if child is not None:
            yield from block_links(
                child, item.get("value"), f"{where} › {label(child)}（第{number}块）"
            )


def block_links(block, value, where):
    """The links in one block's raw (stored) value: no target is loaded to find them, so a
    chooser pointing at a deleted document still shows."""
    if value is None:
        return
    if isinstance(block, blocks.RichTextBlock):
        yield from rich_text_links(value, where)
    elif isinstance(block, blocks.URLBlock):
        if value:
            yield Link(EXTERNAL, value, where)
    elif isinstance(block, blocks.ChooserBlock):
        kind = model_kind(block.model_class)
        if kind and str(value).isdigit():
            yield Link(kind, str(value), where)
    elif isinstance(block, blocks.StreamBlock):
        yield from stream_links(block, value, where)
    elif isinstance(block, blocks.ListBlock):
        for number, item in enumerate(value, 1):
            item = item.get("value") if isinstance(item, dict) and "type" in item else item
            yield from block_links(block.child_block, item, f"{where}（第{number}项）")
    elif isinstance(block, TypedTableBlock):
        columns = value.get("columns") or []
        for row_number, row in enumerate(value.get("rows") or [], 1):
            for column, cell in zip(columns, row.get("values") or [], strict=False):
                child = block.child_blocks.get(column.get("type"))
                if child is not None:
                    yield from block_links(child, cell, f"{where} › 第{row_number}行")
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            # A stream inside (a 议程's 内容) says nothing a reader needs; a field names itself.
            inner = (
                where
                if isinstance(child, blocks.StreamBlock)
                else f"{where} › {label(child, name)}"
            )
            yield from block_links(child, value.get(name), inner)


def field_links(instance, where_prefix="", parent_key=None):
    """The links in an instance's own fields; `parent_key` (an inline row's key to the page it
    belongs to: an 附件's page, a tag's content_object) says where the row is, not a link."""
    for field in type(instance)._meta.get_fields(include_parents=False):
        if field is parent_key:
            continue
        name = f"{where_prefix}{field.verbose_name}" if hasattr(field, "verbose_name") else ""
        if isinstance(field, RichTextField):
            yield from rich_text_links(getattr(instance, field.attname), name)
        elif isinstance(field, StreamField):
            yield from stream_links(
                field.stream_block, getattr(instance, field.attname).raw_data, name
            )
        elif field.many_to_one and field.concrete and (kind := model_kind(field.related_model)):
            pk = getattr(instance, field.attname)
            if pk is not None:
                yield Link(kind, str(pk), name)


def page_links(page):
    """The links of a page (its specific instance) as it stands in the database."""
    yield from field_links(page)
    for relation in get_all_child_relations(page):
        children = getattr(page, relation.get_accessor_name()).all()
        plural = relation.related_model._meta.verbose_name_plural
        for number, child in enumerate(children, 1):
            yield from field_links(child, f"{plural}（第{number}项） › ", relation.field)


# Finding the links of a site.


BATCH = 200


def live_pages(site):
    """The site's pages readers can open (a restricted page's links reach no reader), specific, a batch at a time (10,000 bodies are not held at once)."""
    ids = list(
        Page.objects.filter(readable_q())
        .filter(path__startswith=site.root_page.path, alias_of__isnull=True)
        .order_by("path")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), BATCH):
        yield list(Page.objects.filter(pk__in=ids[start : start + BATCH]).specific())


def external_address(href, base):
    """The absolute http(s) address of an href, or None for one not to check (mailto:, tel:,
    an anchor on the same page, or longer than the table holds)."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    address = urljoin(base, href)
    if urlsplit(address).scheme.lower() not in ("http", "https"):
        return None
    # Stored as it is asked: ASCII host, percent-encoded path (an index holds it whole). One
    # that cannot be is kept as written, and the check refuses it saying why.
    with suppress(Refused):
        address = link_checker.normalised(address)
    return address if len(address.encode()) <= MAX_ADDRESS else None


def editors_of(pages):
    """{page id: the user who published the live revision (else the page's owner)}."""
    revisions = dict(
        Revision.objects.filter(pk__in=[page.live_revision_id for page in pages]).values_list(
            "pk", "user_id"
        )
    )
    return {page.pk: revisions.get(page.live_revision_id) or page.owner_id for page in pages}


def links_of(site, pages):
    """(page id, editor id, Link, address) for each link of the pages worth keeping."""
    base = site.root_url + "/"
    editors = editors_of(pages)
    for page in pages:
        for link in page_links(page):
            if link.kind == EXTERNAL:
                address = external_address(link.address, base)
                if address is None:
                    continue
            else:
                address = internal(link.kind, link.address)
            yield page.pk, editors[page.pk], link, address


def record(site, found, pages=None):
    """Replace the links recorded for `pages` (page ids; None: the whole site) by `found`;
    returns the targets that were new."""
    with transaction.atomic():
        kinds = {address: link.kind for _, _, link, address in found}
        known = set(LinkTarget.objects.filter(site=site).values_list("address", flat=True))
        new = LinkTarget.objects.bulk_create(
            [
                LinkTarget(site=site, kind=kind, address=address)
                for address, kind in kinds.items()
                if address not in known
            ],
            batch_size=500,
        )
        targets = dict(
            LinkTarget.objects.filter(site=site, address__in=kinds).values_list("address", "pk")
        )
        replaced = FoundLink.objects.filter(site=site)
        if pages is not None:
            replaced = replaced.filter(page__in=pages)
        replaced.delete()
        FoundLink.objects.bulk_create(
            [
                FoundLink(
                    site=site,
                    page_id=page_id,
                    target_id=targets[address],
                    where=link.where[:TEXT_LIMIT],
                    text=link.text[:TEXT_LIMIT],
                    editor_id=editor_id,
                )
                for page_id, editor_id, link, address in found
            ],
            batch_size=500,
        )
        LinkTarget.objects.filter(site=site, uses__isnull=True).delete()
    return [target.address for target in new]


def find_links(site):
    """Record what the site's live pages link to now (FoundLink, LinkTarget) and judge the
    internal targets; returns how many links there are."""
    found = [each for pages in live_pages(site) for each in links_of(site, pages)]
    record(site, found)
    judge_internal(LinkTarget.objects.filter(site=site))
    return len(found)


def refresh_page(page):
    """The links of one page recorded again after it was published or withdrawn, its new
    internal targets judged at once (an address new to the site waits for the next check), so
    a link mended and published leaves the report and the editor's warning."""
    page = page.specific
    site = page.get_site()
    if site is None:
        return
    readable = page.alias_of_id is None and Page.objects.filter(readable_q(), pk=page.pk).exists()
    found = list(links_of(site, [page])) if readable else []
    new = record(site, found, pages=[page.pk])
    judge_internal(LinkTarget.objects.filter(site=site, address__in=new))


def rejudge(kind, pks=None):
    """The targets naming these pages, documents or pictures (None: every one of the kind, of
    every site) judged again, after they were withdrawn, deleted, moved or restricted. Withdrawing
    a column hides the pages under it too, so page changes judge every page target: a few
    queries however many there are."""
    targets = LinkTarget.objects.filter(kind=kind)
    if pks is not None:
        targets = targets.filter(address__in=[internal(kind, pk) for pk in pks])
    judge_internal(targets)


# Judging internal targets.


def judge_pages(ids):
    """{id: (outcome, detail)} for the pages with these ids."""
    pages = {page.pk: page for page in Page.objects.filter(pk__in=ids).only("path", "live")}
    readable = set(
        Page.objects.filter(pk__in=pages).filter(readable_q()).values_list("pk", flat=True)
    )
    restricted = set(
        PageViewRestriction.objects.filter(
            page__path__in={p for page in pages.values() for p in ancestors_and_self(page.path)}
        ).values_list("page__path", flat=True)
    )
    verdicts = {}
    for pk in ids:
        page = pages.get(pk)
        if page is None:
            verdicts[pk] = (BROKEN, "页面已删除")
        elif pk in readable:
            verdicts[pk] = (OK, "")
        elif not page.live:
            verdicts[pk] = (BROKEN, "页面已取消发布")
        elif restricted & set(ancestors_and_self(page.path)):
            verdicts[pk] = (BROKEN, "页面设有访问限制（或位于设有访问限制的栏目），读者无法打开")
        else:
            verdicts[pk] = (BROKEN, "页面所在的栏目已取消发布")
    return verdicts


def judge_files(model, ids, name):
    """{id: (outcome, detail)} for documents or pictures: deleted, or their file missing."""
    objects = model.objects.in_bulk(ids)
    verdicts = {}
    for pk in ids:
        item = objects.get(pk)
        if item is None:
            verdicts[pk] = (BROKEN, f"{name}已删除")
            continue
        try:
            present = bool(item.file.name) and item.file.storage.exists(item.file.name)
        except Exception:
            logger.exception("Could not ask the storage for %s", item.file.name)
            verdicts[pk] = (REVIEW, "无法读取文件存储，请稍后再查")
            continue
        verdicts[pk] = (OK, "") if present else (BROKEN, f"{name}的文件在存储中已丢失")
    return verdicts


def judge_internal(targets):
    targets = list(targets.exclude(kind=EXTERNAL))
    ids = {kind: set() for kind in (PAGE, DOCUMENT, IMAGE)}
    for target in targets:
        ids[target.kind].add(int(target.address.split(":", 1)[1]))
    verdicts = {
        PAGE: judge_pages(ids[PAGE]),
        DOCUMENT: judge_files(get_document_model(), ids[DOCUMENT], "文档"),
        IMAGE: judge_files(get_image_model(), ids[IMAGE], "图片"),
    }
    now = timezone.now()
    for target in targets:
        target.outcome, target.detail = verdicts[target.kind][int(target.address.split(":")[1])]
        target.status, target.checked_at = None, now
    LinkTarget.objects.bulk_update(
        targets, ["outcome", "detail", "status", "checked_at"], batch_size=500
    )


def check_external(site):
    targets = list(LinkTarget.objects.filter(site=site, kind=EXTERNAL))
    results = link_checker.check_many([target.address for target in targets])
    now = timezone.now()
    for target in targets:
        result = results[target.address]
        target.outcome, target.status = result.outcome, result.status
        target.detail, target.checked_at = result.detail[:TEXT_LIMIT], now
    LinkTarget.objects.bulk_update(
        targets, ["outcome", "detail", "status", "checked_at"], batch_size=500
    )


# Runs.


def claim(site, user=None):
    """A new run for the site, or None while another is running."""
    LinkCheckRun.objects.filter(
        site=site, finished_at__isnull=True, started_at__lt=timezone.now() - STALE_RUN
    ).update(finished_at=timezone.now(), report="未完成（检查中断）")
    try:
        with transaction.atomic():
            return LinkCheckRun.objects.create(site=site, requested_by=user)
    except IntegrityError:
        return None


def running(site):
    return LinkCheckRun.objects.filter(site=site, finished_at__isnull=True).first()


def last_run(site):
    return (
        LinkCheckRun.objects.filter(site=site, finished_at__isnull=False)
        .order_by("-finished_at")
        .first()
    )


def readable_links(queryset):
    """The links on pages readers can open now: a page restricted or withdrawn since the last
    check keeps its rows until the next one, and its links reach no reader."""
    return queryset.filter(page__in=Page.objects.filter(readable_q()).values("pk"))


def summary(site):
    """The site's links as the table holds them now, in words: the targets are judged again
    between checks (quality/link_watch.py), so this may differ from the last run's report."""
    counts = dict(
        readable_links(FoundLink.objects.filter(site=site))
        .values_list("target__outcome")
        .annotate(count=Count("pk"))
        .values_list("target__outcome", "count")
    )
    total = sum(counts.values())
    words = f"{total} 个链接，失效 {counts.get(BROKEN, 0)} 个"
    if counts.get(REVIEW):
        words += f"，需要人工查看 {counts[REVIEW]} 个"
    if counts.get(link_checker.REFUSED):
        words += f"，拒绝检查 {counts[link_checker.REFUSED]} 个"
    return words


def run(claimed):
    """Find and check the links of the claimed run's site, and say so in the log."""
    site = claimed.site
    try:
        find_links(site)
        check_external(site)
        claimed.report = summary(site)
    except Exception:
        claimed.report = "检查出错，未完成"
        raise
    finally:
        claimed.finished_at = timezone.now()
        claimed.save(update_fields=["finished_at", "report"])
        log(
            instance=site,
            action=CHECKED,
            user=claimed.requested_by,
            data={"report": claimed.report},
        )
    return claimed.report


def check_every_site():
    """The daily job's step: each site's links checked; its report in words."""
    words = []
    for site in Site.objects.all():
        claimed = claim(site)
        try:
            report = run(claimed) if claimed else "检查进行中"
        except Exception:
            logger.exception("The link check of site %s failed", site.pk)
            report = "检查出错，未完成"
        words.append(f"{site.site_name or site.hostname}：{report}")
    return "失效链接（" + "；".join(words) + "）"


def start_check(site, user):
    """Start a check of the site in a thread of this process; the run, or None while one is
    running already. The request that asks returns at once."""
    claimed = claim(site, user)
    if claimed is not None:
        start_thread(claimed)
    return claimed


def start_thread(claimed):
    thread = threading.Thread(
        target=_run_in_thread, args=[claimed.pk], name="link-check", daemon=True
    )
    thread.start()
    return thread


def _run_in_thread(pk):
    try:
        run(LinkCheckRun.objects.select_related("site", "requested_by").get(pk=pk))
    except Exception:
        logger.exception("The link check %s failed", pk)
    finally:
        # The thread's own database connection, which no request cycle will close.
        connection.close()


def broken_links(queryset=None):
    """The links whose last check found a problem, with their page, target and editor."""
    queryset = FoundLink.objects.all() if queryset is None else queryset
    return readable_links(queryset.filter(target__outcome__in=PROBLEMS)).select_related(
        "page", "target", "editor"
    )


def broken_links_of(page):
    return broken_links(FoundLink.objects.filter(page=page)).order_by("pk")
