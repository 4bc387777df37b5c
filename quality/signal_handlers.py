"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too and puts the 错敏词 check
first in 文章审核 (quality/check_task.py), `setup_site --demo` the sample 错敏词 lists
(quality/demo_words.py); a change to a list is seen by every process; every publish of an article
passes quality/date_changes.py, which records a changed 发布时间; pages and files that change have
the links to them judged again (quality/link_watch.py)."""

from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.signal_handlers import demo_content_loaded, site_set_up
from news.models import ArticlePage
from quality import date_changes, link_watch
from quality.check_task import ensure_check_task
from quality.demo_words import load_demo_words
from quality.links_models import DOCUMENT, IMAGE
from quality.safety_roles import ensure_roles
from quality.word_lists import AllowedPhrase, ListedWord, lists_changed


def site_set_up_for_quality(sender, site, **kwargs):
    ensure_roles()
    ensure_check_task()


def demo_loaded(sender, site, **kwargs):
    load_demo_words(site)


def list_row_changed(sender, instance, **kwargs):
    # Every process compares this number with the one its matcher was built for
    # (quality/checking.py): a word saved or deleted is caught at the next check everywhere.
    lists_changed(instance.site_id)


def list_row_deleted(sender, instance, **kwargs):
    lists_changed(instance.site_id, deleted=True)


def register_signal_handlers():
    site_set_up.connect(site_set_up_for_quality, sender=Site, dispatch_uid="quality_site_set_up")
    demo_content_loaded.connect(demo_loaded, sender=Site, dispatch_uid="quality_demo")
    for model in (ListedWord, AllowedPhrase):
        for event, signal, receiver in (
            ("saved", post_save, list_row_changed),
            ("deleted", post_delete, list_row_deleted),
        ):
            signal.connect(receiver, sender=model, dispatch_uid=f"quality_{model.__name__}_{event}")
    # 发布时间 changes (quality/date_changes.py).
    pre_save.connect(
        date_changes.article_saving, sender=ArticlePage, dispatch_uid="quality_date_saving"
    )
    post_save.connect(
        date_changes.article_saved, sender=ArticlePage, dispatch_uid="quality_date_saved"
    )
    page_published.connect(
        date_changes.article_published, sender=ArticlePage, dispatch_uid="quality_date_published"
    )
    connect_link_watch()


def connect_link_watch():
    """失效链接 kept current between checks (quality/link_watch.py)."""
    # Wagtail sends these with the page's own class.
    for model in get_page_models():
        name = model._meta.label_lower
        page_published.connect(
            link_watch.page_changed, sender=model, dispatch_uid=f"quality_links_pub_{name}"
        )
        page_unpublished.connect(
            link_watch.page_changed, sender=model, dispatch_uid=f"quality_links_unpub_{name}"
        )
        post_page_move.connect(
            link_watch.rejudge_pages, sender=model, dispatch_uid=f"quality_links_moved_{name}"
        )
    post_delete.connect(
        link_watch.rejudge_pages, sender=Page, dispatch_uid="quality_links_page_deleted"
    )
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            link_watch.rejudge_pages,
            sender=PageViewRestriction,
            dispatch_uid=f"quality_links_view_{name}",
        )
    # weak=False: the receivers are made here and held by nothing else.
    for kind, model in ((DOCUMENT, get_document_model()), (IMAGE, get_image_model())):
        post_delete.connect(
            link_watch.file_deleted(kind),
            sender=model,
            weak=False,
            dispatch_uid=f"quality_links_{kind}",
        )
