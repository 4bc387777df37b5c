"""The content quality app's admin: its reports under 报告."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from quality.stats_views import PublishingStatsView

# 发稿统计 -------------------------------------------------------------------------------------


class PublishingStatsMenuItem(MenuItem):
    """Shown to those who may read it (the view refuses everyone else as well)."""

    def is_shown(self, request):
        return request.user.has_perm("quality.view_publishingstats")


@hooks.register("register_admin_urls")
def register_publishing_stats_urls():
    return [
        path("reports/publishing/", PublishingStatsView.as_view(), name="quality_publishing_stats")
    ]


@hooks.register("register_permissions")
def register_publishing_stats_permission():
    # The group form offers only registered permissions, and saving a group keeps only what it
    # offers: unregistered, 审核 would lose this one at the next edit of the group.
    return Permission.objects.filter(
        content_type__app_label="quality", codename="view_publishingstats"
    )


@hooks.register("register_reports_menu_item")
def register_publishing_stats_menu_item():
    return PublishingStatsMenuItem(
        "发稿统计", reverse("quality_publishing_stats"), icon_name="table", order=110
    )
