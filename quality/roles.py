"""The role of content quality, made by a data migration and again by `manage.py setup_site`:

- 内容安全管理: keeps the 错敏词 lists and their allow-lists, reads the 内容检查, 栏目更新 and 失效链接
  reports, and receives the freshness warnings with each column's reviewers.

发稿统计 (quality/stats_views.py) is read by 内容安全管理 and by news' 审核, who are given its
permission here; editors are not: it ranks their colleagues.
"""

from django.apps import apps as installed_apps

from news.roles import REVIEWERS

CONTENT_SAFETY = "内容安全管理"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
VIEW_PUBLISHING_STATS = ("quality", "view_publishingstats")
ROLE_PERMISSIONS = {
    CONTENT_SAFETY: [ADMIN_ACCESS, VIEW_PUBLISHING_STATS],
    REVIEWERS: [VIEW_PUBLISHING_STATS],
}


def ensure_groups(apps):
    """The groups and their permissions (usable from a migration, once the permissions exist)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {}
    for name, permissions in ROLE_PERMISSIONS.items():
        group = groups[name] = Group.objects.get_or_create(name=name)[0]
        group.permissions.add(
            *[
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in permissions
            ]
        )
    return groups


def ensure_roles():
    return ensure_groups(installed_apps)
