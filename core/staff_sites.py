"""Which sites a member of staff works on (decision 15): all of them for a superuser; while the
installation holds one site, that site; once it holds several, the sites where one of their
groups holds a page permission: on a page inside the site (a column, as 审核 have), on its home
page, or above it. An app with ties of its own (a
互动交流 handling unit belongs to a site) adds them (interaction/staff_access.py)."""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Site

from core.restrictions import ancestors_and_self


def all_sites_for(user):
    """Every site, when the user may see them all; else None."""
    sites = Site.objects.all()
    if user.is_superuser or sites.count() == 1:
        return sites
    return None


def tied_by_page_permissions(user):
    """A Q on Site: the sites one of the user's groups holds a page permission in or above."""
    paths = GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
        "page__path", flat=True
    )
    tied = Q(pk__in=[])
    for path in set(paths):
        # Above or at the home page, or inside the site: its home page is one of the path's own.
        tied |= Q(root_page__path__startswith=path) | Q(
            root_page__path__in=ancestors_and_self(path)
        )
    return tied


def sites_for(user):
    if not user.is_active:
        return Site.objects.none()
    every = all_sites_for(user)
    if every is None:
        every = Site.objects.filter(tied_by_page_permissions(user))
    return every.select_related("root_page").order_by("-is_default_site", "site_name")
