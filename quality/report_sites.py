"""Which sites' figures a member of staff may see in the content quality reports (decision 15:
reports are kept per site). A superuser sees every site, and while the installation holds one
site everybody who may open a report sees that one. With several sites, a user sees a site when
one of their groups has a page permission inside it (a column, as 审核 have) or above its home
page: the roles themselves are global, so a site is reached only through such a tie.
"""

from wagtail.models import GroupPagePermission, Site


def sites_for(user):
    sites = Site.objects.select_related("root_page").order_by("-is_default_site", "site_name")
    if user.is_superuser or sites.count() == 1:
        return list(sites)
    paths = set(
        GroupPagePermission.objects.filter(group__in=user.groups.all()).values_list(
            "page__path", flat=True
        )
    )
    return [
        site
        for site in sites
        if any(
            path.startswith(site.root_page.path) or site.root_page.path.startswith(path)
            for path in paths
        )
    ]
