"""`{% contact_footer %}`: the site's live contact details, from the cache, kept rendered."""

from django import template
from django.conf import settings
from django.core.cache import caches
from django.template.defaultfilters import urlencode
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate
from wagtail.models import Site

from contact.live import footer_info, live_contact
from core import generation

register = template.Library()

# Where the 纠错 link's page goes in the kept footer: nothing the footer shows can hold it, and
# urlencode leaves it as it is.
PAGE_PATH_SLOT = "page-path-slot-1b7f"


@register.simple_tag(takes_context=True)
def contact_footer(context):
    """The footer, rendered once per site, site generation and year (its copyright line) and
    kept in this process's memory; the 纠错 link carries the page it is on (interaction/sending.py
    reads it), written into the kept footer."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    key = generation.key_for(
        f"footer:{site.pk if site else '-'}:{localdate().year}", articles=False
    )
    local = caches["local"]
    pieces = local.get(key)
    if pieces is None:
        html = render_to_string(
            "contact/footer.html",
            {
                "contact": live_contact(site),
                "footer": footer_info(site),
                "site_name": site.site_name if site else "",
                "page_path": PAGE_PATH_SLOT,
            },
        )
        pieces = html.split(PAGE_PATH_SLOT)
        local.set(key, pieces, settings.TREE_CACHE_TIMEOUT)
    path = urlencode(request.path) if request is not None else ""
    return mark_safe(path.join(pieces))  # noqa: S308 - rendered with autoescaping; path urlencoded


@register.simple_tag(takes_context=True)
def site_contact(context):
    request = context.get("request")
    return live_contact(Site.find_for_request(request) if request is not None else None)
