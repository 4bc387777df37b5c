"""`{{ value|iso_time }}`: a date and time for `datetime` attributes and meta tags, always at +08:00
(core/beijing_time.py). Django's `date:"c"` writes the zone's historical offsets (+08:05:43)."""

from django import template

from core.beijing_time import iso_beijing_time

register = template.Library()


@register.filter
def iso_time(value):
    return iso_beijing_time(value) if value else ""
