"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too, and puts the 错敏词 check
first in 文章审核 (quality/check_task.py)."""

from wagtail.models import Site

from core.signal_handlers import site_set_up
from quality.check_task import ensure_check_task
from quality.roles import ensure_roles


def site_set_up_for_quality(sender, site, **kwargs):
    ensure_roles()
    ensure_check_task()


def register_signal_handlers():
    site_set_up.connect(site_set_up_for_quality, sender=Site, dispatch_uid="quality_site_set_up")
