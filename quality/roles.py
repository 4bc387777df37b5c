"""The role of content quality, made by a data migration and again by `manage.py setup_site`:

- 内容安全管理: keeps the 错敏词 lists and their allow-lists, reads the 内容检查, 栏目更新 and 失效链接
  reports, and receives the freshness warnings with each column's reviewers.
"""

from django.apps import apps as installed_apps

CONTENT_SAFETY = "内容安全管理"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# 失效链接: the report and its 立即检查 (quality/links_views.py).
CHECK_LINKS = ("quality", "check_links")
ROLE_PERMISSIONS = {
    CONTENT_SAFETY: [ADMIN_ACCESS, CHECK_LINKS],
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
