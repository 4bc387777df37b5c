"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too; pages and files that
change have the links to them judged again (quality/link_watch.py)."""

from django.db.models.signals import post_delete, post_save
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move

from core.signal_handlers import site_set_up
from quality import link_watch
from quality.links_models import DOCUMENT, IMAGE
from quality.roles import ensure_roles


def site_set_up_for_quality(sender, site, **kwargs):
    ensure_roles()


def register_signal_handlers():
    site_set_up.connect(site_set_up_for_quality, sender=Site, dispatch_uid="quality_site_set_up")
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
