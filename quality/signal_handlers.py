"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too; pages and files that
change have the links to them judged again (quality/link_watch.py)."""

from wagtail.models import Site

from core.signal_handlers import site_set_up
from quality import link_watch
from quality.roles import ensure_roles


def site_set_up_for_quality(sender, site, **kwargs):
    ensure_roles()


def register_signal_handlers():
    site_set_up.connect(site_set_up_for_quality, sender=Site, dispatch_uid="quality_site_set_up")
    # 失效链接 kept current between checks.
    link_watch.connect()
