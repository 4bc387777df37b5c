"""The sites whose content quality reports a member of staff reads (decision 15): all of them for
a superuser, or while the installation holds one site; once it holds several, the sites whose root
page (or a page above it) one of the user's groups holds a page permission on. The roles
(内容安全管理) are global, so a site is reached only through such a tie."""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Site


def sites_for(user):
    sites = Site.objects.select_related("root_page")
    if user.is_superuser or sites.count() == 1:
        return sites
    paths = GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
        "page__path", flat=True
    )
    tied = Q(pk__in=[])
    for path in set(paths):
        tied |= Q(root_page__path__startswith=path)
    return sites.filter(tied)
