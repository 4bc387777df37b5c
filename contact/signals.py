"""A new site generation (core/generation.py) when the contact details readers see change: every
page shows them in its footer."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from contact.models import ContactDetails, FooterSettings
from core import generation


@receiver(published, sender=ContactDetails)
@receiver(unpublished, sender=ContactDetails)
@receiver(post_delete, sender=ContactDetails)
def live_contact_changed(sender, instance, **kwargs):
    generation.bump()


@receiver(post_save, sender=FooterSettings)
def footer_settings_saved(sender, instance, created, **kwargs):
    # Wagtail creates an empty settings row the first time a page asks for it; only edits matter.
    if not created:
        generation.bump()
