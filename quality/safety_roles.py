"""The role of content quality, made by a data migration and again by `manage.py setup_site`:

- 内容安全管理: keeps the 错敏词 lists and their allow-lists, reads the 内容检查, 栏目更新 and 失效链接
  reports, and receives the freshness warnings with each column's reviewers; reads the record of
  发布时间 changes (报告 → 内容检查 · 发布时间, quality/date_report.py).

发稿统计 (quality/stats_views.py) is read by 内容安全管理 and by news' 审核, who are given its
permission here; editors are not: it ranks their colleagues.

栏目更新 (quality/freshness_report.py) is read by 内容安全管理 and by 审核, who receive the warnings of
their columns.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.management import create_permissions
from django.db.models import Q

from news.roles import REVIEWERS

CONTENT_SAFETY = "内容安全管理"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
VIEW_PUBLISHING_STATS = ("quality", "view_publishingstats")
# The 错敏词 lists and their allow-list, kept in 内容安全 (quality/word_admin.py).
WORD_LISTS = [
    ("quality", f"{action}_{model}")
    for model in ("listedword", "allowedphrase")
    for action in ("add", "change", "delete", "view")
] + [("quality", "import_listedword")]
# 报告 → 栏目更新 and its warnings (quality/freshness_report.py).
FRESHNESS_REPORT = ("quality", "view_freshness_report")
# 失效链接: the report and its 立即检查 (quality/links_views.py).
CHECK_LINKS = ("quality", "check_links")
ROLE_PERMISSIONS = {
    CONTENT_SAFETY: [
        ADMIN_ACCESS,
        *WORD_LISTS,
        ("quality", "view_scanfinding"),
        ("quality", "view_datechange"),
        VIEW_PUBLISHING_STATS,
        FRESHNESS_REPORT,
        CHECK_LINKS,
    ],
    # The reviewers fix what the re-scan finds in the articles they approved, and keep their
    # columns up to date.
    REVIEWERS: [("quality", "view_scanfinding"), VIEW_PUBLISHING_STATS, FRESHNESS_REPORT],
}


def ensure_groups(apps):
    """The groups and their permissions, usable from a migration: each of the app's migrations
    that adds a table grants what exists by then, so a permission of a later table is left to
    the migration that makes it (and `setup_site` grants them all)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    groups = {}
    for name, permissions in ROLE_PERMISSIONS.items():
        group = groups[name] = Group.objects.get_or_create(name=name)[0]
        wanted = Q(pk__in=[])
        for app, codename in permissions:
            wanted |= Q(content_type__app_label=app, codename=codename)
        group.permissions.add(*Permission.objects.filter(wanted))
    return groups


def ensure_roles():
    return ensure_groups(installed_apps)


def grant_in_migration(apps, schema_editor):
    """A migration's step that gives the roles the permissions of the tables made so far."""
    # Permissions are normally created after all migrations; the groups need these now.
    quality = apps.get_app_config("quality")
    quality.models_module = True
    create_permissions(quality, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    quality.models_module = None
    ensure_groups(apps)
