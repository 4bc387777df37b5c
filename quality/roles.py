"""The role of content quality, made by a data migration and again by `manage.py setup_site`:

- 内容安全管理: keeps the 错敏词 lists and their allow-lists, reads the 内容检查, 栏目更新 and 失效链接
  reports, and receives the freshness warnings with each column's reviewers.
"""

from django.apps import apps as installed_apps

CONTENT_SAFETY = "内容安全管理"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# The 错敏词 lists and their allow-list, kept in 内容安全 (quality/word_admin.py).
WORD_LISTS = [
    ("quality", f"{action}_{model}")
    for model in ("listedword", "allowedphrase")
    for action in ("add", "change", "delete", "view")
] + [("quality", "import_listedword")]
ROLE_PERMISSIONS = {
    CONTENT_SAFETY: [ADMIN_ACCESS, *WORD_LISTS],
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
