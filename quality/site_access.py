"""Which sites' 错敏词 lists a member of staff keeps (decision 15): all of them for a superuser;
while the installation holds one site, that site; once it holds several, the sites whose root
page (or a page above it) one of their groups holds a page permission on. The role 内容安全管理 is
global, so a site is reached only through such a tie."""

from django.db.models import Q
from wagtail.models import GroupPagePermission, Site


def sites_for(user):
    sites = Site.objects.all()
    if not user.is_active:
        return sites.none()
    if user.is_superuser or sites.count() == 1:
        return sites
    paths = GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
        "page__path", flat=True
    )
    tied = Q(pk__in=[])
    for path in set(paths):
        tied |= Q(root_page__path__startswith=path)
    return sites.filter(tied)
