"""A new site generation (core/generation.py) when the contact details readers see change: every
page shows them in its footer. Each receiver is connected with its sender when Django starts
(ContactConfig.ready)."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import published, unpublished

from contact.models import ContactDetails, FooterSettings
from core import generation


def live_contact_changed(sender, instance, **kwargs):
    generation.bump()


def footer_settings_saved(sender, instance, created, **kwargs):
    # Wagtail creates an empty settings row the first time a page asks for it; only edits matter.
    if not created:
        generation.bump()


def register_signal_handlers():
    for signal in (published, unpublished, post_delete):
        signal.connect(live_contact_changed, sender=ContactDetails)
    post_save.connect(footer_settings_saved, sender=FooterSettings)
