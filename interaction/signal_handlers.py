"""The receivers of 互动交流, connected with their senders when Django starts
(InteractionConfig.ready): `manage.py setup_site` (and the tests' site) makes the app's roles
and the site's first channel too (interaction/channels.py), and with --demo its demo messages and
征集 (interaction/demo_messages.py, interaction/demo_survey.py)."""

from wagtail.models import Site

from core.signal_handlers import demo_content_loaded, site_set_up
from interaction.channels import ensure_channel
from interaction.demo_messages import load_demo_interaction
from interaction.demo_survey import ensure_demo_survey
from interaction.message_roles import ensure_roles


def site_set_up_for_interaction(sender, site, **kwargs):
    ensure_roles()
    ensure_channel(site)


def demo_loaded(sender, site, **kwargs):
    load_demo_interaction(site)
    ensure_demo_survey(site)


def register_signal_handlers():
    site_set_up.connect(
        site_set_up_for_interaction, sender=Site, dispatch_uid="interaction_site_set_up"
    )
    demo_content_loaded.connect(demo_loaded, sender=Site, dispatch_uid="interaction_demo")
