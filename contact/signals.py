"""Clear the cached contact card, and the cached pages showing it, when the live record changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from news.treecache import forget_tree

from .live import forget_live_contact
from .models import ContactDetails, FooterSettings


def forget_card(site_id):
    forget_live_contact(site_id)
    # A reader between the change and the commit may have cached the old card again.
    transaction.on_commit(lambda: forget_live_contact(site_id))


@receiver(post_save, sender=ContactDetails)
def contact_saved(sender, instance, **kwargs):
    forget_card(instance.site_id)


@receiver(published, sender=ContactDetails)
@receiver(unpublished, sender=ContactDetails)
@receiver(post_delete, sender=ContactDetails)
def live_contact_changed(sender, instance, **kwargs):
    forget_card(instance.site_id)
    forget_tree()  # every cached page shows the footer


@receiver(post_save, sender=FooterSettings)
def footer_settings_saved(sender, instance, created, **kwargs):
    # Wagtail creates an empty settings row the first time a page asks for it; only edits matter.
    if not created:
        forget_card(instance.site_id)
        forget_tree()
