"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too, `setup_site --demo` the
sample 错敏词 lists (quality/demo_words.py); a change to a list is seen by every process; every
publish of an article passes quality/date_changes.py, which records a changed 发布时间."""

from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Site
from wagtail.signals import page_published

from core.signal_handlers import demo_content_loaded, site_set_up
from news.models import ArticlePage
from quality import date_changes
from quality.demo_words import load_demo_words
from quality.safety_roles import ensure_roles
from quality.word_lists import AllowedPhrase, ListedWord, lists_changed


def site_set_up_for_quality(sender, site, **kwargs):
    ensure_roles()


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
