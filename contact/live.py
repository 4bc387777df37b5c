"""The live contact details of a site and its footer information, cached for the current site
generation (core/generation.py): a publish elsewhere is seen on the next request."""

from django.core.cache import cache

from contact.models import ContactDetails, FooterSettings
from core.errors import LAST_CARD_KEY
from core.generation import remember

# The last card any site showed: the error page uses it when the database cannot be asked.


def live_contact(site):
    """The site's published contact card (a dict), or None when there is none."""
    if site is None:
        return None

    def compute():
        record = (
            ContactDetails.objects.filter(site=site, live=True)
            .select_related("map_image")
            .prefetch_related("phones", "emails")
            .first()
        )
        # An empty dict caches "no contact record" too, so a site without one costs no query.
        card = record.as_card() if record else {}
        cache.set(LAST_CARD_KEY, card, None)
        return card

    return remember(f"contact:card:{site.pk}", compute, articles=False) or None


def footer_info(site):
    """The site's filing numbers and copyright line (a dict), cached like the contact card."""
    if site is None:
        return {}
    return remember(
        f"contact:footer:{site.pk}",
        lambda: FooterSettings.for_site(site).as_card(),
        articles=False,
    )
