"""The live contact details of a site, cached until staff publish a new version."""

from django.conf import settings
from django.core.cache import cache

from .models import ContactDetails, FooterSettings

CACHE_KEY = "contact:live:{site_id}"
FOOTER_KEY = "contact:footer:{site_id}"
# The last card any site showed: the error page uses it when the database cannot be asked.
LAST_CARD_KEY = "contact:last-card"


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
        cache.set(LAST_CARD_KEY, card, None)
    return card or None


def footer_info(site):
    """The site's filing numbers and copyright line (a dict), cached like the contact card."""
    if site is None:
        return {}
    key = FOOTER_KEY.format(site_id=site.pk)
    info = cache.get(key)
    if info is None:
        info = FooterSettings.for_site(site).as_card()
        cache.set(key, info, settings.CONTACT_CACHE_TIMEOUT)
    return info


def forget_live_contact(site_id):
    cache.delete_many([CACHE_KEY.format(site_id=site_id), FOOTER_KEY.format(site_id=site_id)])
