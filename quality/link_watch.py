"""Keeps 失效链接 current between checks: a page published or withdrawn has its own links
recorded again, and when a page is withdrawn, deleted, moved or restricted, or a document or
picture deleted, the links pointing at it are judged again (quality/links.py), once the change
is committed. None of it may stop the change itself: a failure is logged, and the next check
puts it right."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from quality import links
from quality.links_models import DOCUMENT, IMAGE, PAGE


def soon(key, work):
    """Run `work` once the transaction commits, once per key: a column deleted with a thousand
    articles under it asks once. (The key is read from the callbacks Django holds for the
    commit, so a rolled-back transaction leaves nothing behind.)"""
    waiting = transaction.get_connection().run_on_commit
    if any(getattr(callback[1], "link_watch_key", None) == key for callback in waiting):
        return

    def run():
        work()

    run.link_watch_key = key
    # robust: a failure is logged by Django and never reaches the change that was committed.
    transaction.on_commit(run, robust=True)


def rejudge_pages(**kwargs):
    soon("pages", lambda: links.rejudge(PAGE))


def page_changed(sender, instance, **kwargs):
    pk = instance.pk

    def refresh():
        page = Page.objects.filter(pk=pk).first()
        if page is not None:
            links.refresh_page(page)

    soon(("page", pk), refresh)
    rejudge_pages()


def file_deleted(kind):
    def receiver(sender, instance, **kwargs):
        pk = instance.pk
        soon((kind, pk), lambda: links.rejudge(kind, [pk]))

    return receiver


def connect():
    page_published.connect(page_changed, dispatch_uid="quality_links_published")
    page_unpublished.connect(page_changed, dispatch_uid="quality_links_unpublished")
    post_page_move.connect(rejudge_pages, dispatch_uid="quality_links_moved")
    post_delete.connect(rejudge_pages, sender=Page, dispatch_uid="quality_links_page_deleted")
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            rejudge_pages, sender=PageViewRestriction, dispatch_uid=f"quality_links_view_{name}"
        )
    # weak=False: the receivers are made here and held by nothing else.
    for kind, model in ((DOCUMENT, get_document_model()), (IMAGE, get_image_model())):
        post_delete.connect(
            file_deleted(kind), sender=model, weak=False, dispatch_uid=f"quality_links_{kind}"
        )
