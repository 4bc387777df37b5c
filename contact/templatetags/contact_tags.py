"""`{% contact_footer %}`: the site's live contact details, from the cache."""

from django import template
from wagtail.models import Site

from contact.live import footer_info, live_contact

register = template.Library()


@register.inclusion_tag("contact/footer.html", takes_context=True)
def contact_footer(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return {
        "contact": live_contact(site),
        "footer": footer_info(site),
        "site_name": site.site_name if site else "",
        # The 纠错 link carries the page it is on (interaction/sending.py reads it).
        "page_path": request.path if request is not None else "",
    }


@register.simple_tag(takes_context=True)
def site_contact(context):
    request = context.get("request")
    return live_contact(Site.find_for_request(request) if request is not None else None)
