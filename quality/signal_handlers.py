"""The receivers of the content quality app, connected when Django starts (QualityConfig.ready):
`manage.py setup_site` (and the tests' site) makes the app's role too and puts the 错敏词 check
first in 文章审核 (quality/check_task.py), `setup_site --demo` the sample 错敏词 lists
(quality/demo_words.py), and a change to a list is seen by every process."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Site

from core.signal_handlers import demo_content_loaded, site_set_up
from quality.check_task import ensure_check_task
from quality.demo_words import load_demo_words
from quality.roles import ensure_roles
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


def register_signal_handlers():
    site_set_up.connect(site_set_up_for_quality, sender=Site, dispatch_uid="quality_site_set_up")
    demo_content_loaded.connect(demo_loaded, sender=Site, dispatch_uid="quality_demo")
    for model in (ListedWord, AllowedPhrase):
        for event, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(
                list_row_changed, sender=model, dispatch_uid=f"quality_{model.__name__}_{event}"
            )
