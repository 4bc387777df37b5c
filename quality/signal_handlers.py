"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too; every publish of an article
passes quality/date_changes.py, which records a changed 发布时间."""

from django.db.models.signals import post_save, pre_save
from wagtail.models import Site
from wagtail.signals import page_published

from core.signal_handlers import site_set_up
from news.models import ArticlePage
from quality import date_changes
from quality.roles import ensure_roles


def site_set_up_for_quality(sender, site, **kwargs):
    ensure_roles()


def register_signal_handlers():
    site_set_up.connect(site_set_up_for_quality, sender=Site, dispatch_uid="quality_site_set_up")
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
