"""The roles of 互动交流, made by a data migration and again by `manage.py setup_site`:

- 留言受理: receives the messages of channels that name no 受理人员 group of their own: accepts
  them, closes them as 不予受理 with a reason, and forwards them (转办) to a handling unit;
- 留言办理: staff of the handling units, who draft the replies to what was forwarded to a unit
  whose group they are in (interaction/workflow.py);
- 审核, the reviewers of articles (news/roles.py), also review the replies of channels that name
  no reviewers of their own, and receive the 纠错 reports.
"""

from django.apps import apps as installed_apps

from news.roles import REVIEWERS

RECEIVERS = "留言受理"
HANDLERS = "留言办理"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
ROLE_PERMISSIONS = {
    RECEIVERS: [ADMIN_ACCESS, ("interaction", "accept_message")],
    HANDLERS: [ADMIN_ACCESS, ("interaction", "handle_message")],
    REVIEWERS: [("interaction", "review_reply")],
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
