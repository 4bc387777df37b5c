"""Keeps 失效链接 current between checks: a page published or withdrawn has its own links
recorded again, and when a page is withdrawn, deleted, moved or restricted, or a document or
picture deleted, the links pointing at it are judged again (quality/links.py), once the change
is committed (the receivers are connected by quality/signal_handlers.py). None of it may stop
the change itself: a failure is logged, and the next check
puts it right."""

from django.db import transaction
from wagtail.models import Page

from quality import links
from quality.links_models import PAGE


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
