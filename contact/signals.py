"""Clear the cached contact card whenever its record is published, unpublished or deleted."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from .live import forget_live_contact
from .models import ContactDetails


@receiver(published, sender=ContactDetails)
@receiver(unpublished, sender=ContactDetails)
@receiver(post_save, sender=ContactDetails)
@receiver(post_delete, sender=ContactDetails)
def contact_changed(sender, instance, **kwargs):
    forget_live_contact(instance.site_id)
    # A reader between the change and the commit may have cached the old card again.
    transaction.on_commit(lambda: forget_live_contact(instance.site_id))
