"""Which sites a member of staff works on (decision 15): all of them for a superuser; while the
installation holds one site, that site; once it holds several, the sites whose root page (or a
page above it) one of their groups holds a page permission on. An app with ties of its own (a
互动交流 handling unit belongs to a site) adds them (interaction/staff_access.py)."""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Site


def all_sites_for(user):
    """Every site, when the user may see them all; else None."""
    sites = Site.objects.all()
    if user.is_superuser or sites.count() == 1:
        return sites
    return None


def tied_by_page_permissions(user):
    """A Q on Site: the sites under a page one of the user's groups holds a permission on."""
    paths = GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
        "page__path", flat=True
    )
    tied = Q(pk__in=[])
    for path in set(paths):
        tied |= Q(root_page__path__startswith=path)
    return tied


def sites_for(user):
    if not user.is_active:
        return Site.objects.none()
    every = all_sites_for(user)
    if every is not None:
        return every
    return Site.objects.filter(tied_by_page_permissions(user))
