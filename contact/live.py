"""The live contact details of a site, cached until staff publish a new version."""

from django.conf import settings
from django.core.cache import cache

from .models import ContactDetails

CACHE_KEY = "contact:live:{site_id}"


def live_contact(site):
    """The site's published contact card (a dict), or None when there is none."""
    if site is None:
        return None
    key = CACHE_KEY.format(site_id=site.pk)
    card = cache.get(key)
    if card is None:
        record = (
            ContactDetails.objects.filter(site=site, live=True)
            .prefetch_related("phones", "emails")
            .first()
        )
        # An empty dict caches "no contact record" too, so a site without one costs no query.
        card = record.as_card() if record else {}
        cache.set(key, card, settings.CONTACT_CACHE_TIMEOUT)
    return card or None


def forget_live_contact(site_id):
    cache.delete(CACHE_KEY.format(site_id=site_id))
