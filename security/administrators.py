"""The three administrators' roles (三权分立), created idempotently, and who may grant them.

- 系统管理员 (system administrators): sites, the site's settings (页脚信息), collections, and
  workflows with their tasks, which decide which columns go through which review (a review
  task is given to the groups of the site's roles, never to one of the three, or a 系统管理员
  could name themselves the reviewers: `keep_administrators_out_of_review`). No pages: a
  page permission in Wagtail reaches every page below the one it is given on, so the right to
  add a column under the home page would be the right to add, publish and unpublish every
  article without review; new columns stay with a superuser. No accounts, no groups, no audit.
- 安全管理员 (security administrators): accounts and groups. No pages, pictures, documents or
  snippets; never makes anyone a superuser, never touches a superuser's account or another
  安全管理员's, never changes their own groups, never changes what the three roles may do, and
  never puts one account into two of the three roles (security/user_views.py keeps to this).
- 审计管理员 (audit administrators): the admin's door and the audit log (read and export), nothing
  else.

The groups and their permissions are made by the migration
security/migrations/0001_administrator_roles.py (`ensure_groups`), and again with the site's tree
by `manage.py setup_site` (`ensure_administrator_roles`, connected in
security/signal_handlers.py) for a database emptied since, whose root collection the tree makes
anew.
"""

from django.apps import apps as installed_apps
from django.contrib.auth.models import Group
from django.db.models import Q

from security.audit import VIEW_AUDIT_LOG

SYSTEM_ADMINISTRATORS = "系统管理员"
SECURITY_ADMINISTRATORS = "安全管理员"
AUDIT_ADMINISTRATORS = "审计管理员"
ADMINISTRATOR_ROLES = (SYSTEM_ADMINISTRATORS, SECURITY_ADMINISTRATORS, AUDIT_ADMINISTRATORS)

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# (app, codename, model)
SYSTEM_PERMISSIONS = [
    ("wagtailcore", "add_site", "site"),
    ("wagtailcore", "change_site", "site"),
    ("wagtailcore", "delete_site", "site"),
    ("wagtailcore", "add_workflow", "workflow"),
    ("wagtailcore", "change_workflow", "workflow"),
    ("wagtailcore", "delete_workflow", "workflow"),
    ("wagtailcore", "add_task", "task"),
    ("wagtailcore", "change_task", "task"),
    ("wagtailcore", "delete_task", "task"),
    ("contact", "change_footersettings", "footersettings"),
]
# Collections are managed through permissions on a collection, the root one here.
SYSTEM_COLLECTION_PERMISSIONS = [
    ("wagtailcore", "add_collection", "collection"),
    ("wagtailcore", "change_collection", "collection"),
    ("wagtailcore", "delete_collection", "collection"),
]
# What the 审计管理员 reads: the audit log (security/audit_views.py).
AUDIT_PERMISSIONS = [("security", VIEW_AUDIT_LOG[0], "securityevent")]
SECURITY_PERMISSIONS = [
    ("auth", "add_user", "user"),
    ("auth", "change_user", "user"),
    ("auth", "delete_user", "user"),
    ("auth", "add_group", "group"),
    ("auth", "change_group", "group"),
    ("auth", "delete_group", "group"),
]


def _permission(apps, app_label, codename, model):
    """A permission, created if need be (with its content type: in a migration the
    content types of later apps are made only after all migrations have run)."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is not None:
        return found
    content_type = ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
    action = codename.split("_", 1)[0]
    name = dict([VIEW_AUDIT_LOG]).get(codename, f"Can {action} {model}")
    return Permission.objects.create(content_type=content_type, codename=codename, name=name)


def ensure_groups(apps):
    """The three groups with their model and collection permissions (usable from a migration)."""
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ADMINISTRATOR_ROLES}
    access = _permission(apps, *ADMIN_ACCESS, "admin")
    for group in groups.values():
        group.permissions.add(access)
    groups[SYSTEM_ADMINISTRATORS].permissions.add(
        *[_permission(apps, *perm) for perm in SYSTEM_PERMISSIONS]
    )
    groups[SECURITY_ADMINISTRATORS].permissions.add(
        *[_permission(apps, *perm) for perm in SECURITY_PERMISSIONS]
    )
    groups[AUDIT_ADMINISTRATORS].permissions.add(
        *[_permission(apps, *perm) for perm in AUDIT_PERMISSIONS]
    )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for perm in SYSTEM_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[SYSTEM_ADMINISTRATORS],
                collection=root_collection,
                permission=_permission(apps, *perm),
            )
    return groups


def ensure_administrator_roles():
    """The groups with their permissions, as `manage.py setup_site` makes them
    (security/signal_handlers.py)."""
    return ensure_groups(installed_apps)


def administrator_roles(user):
    """The names of the three roles this account holds."""
    return set(user.groups.filter(name__in=ADMINISTRATOR_ROLES).values_list("name", flat=True))


def is_security_administrator(user):
    return SECURITY_ADMINISTRATORS in administrator_roles(user)


def may_manage_account(user, account):
    """Whether the user may edit, deactivate or delete the account: a superuser any account; anyone
    else no superuser's, and no other 安全管理员's (one cannot undo the other's work unseen)."""
    if user.is_superuser:
        return True
    if account.is_superuser:
        return False
    return account.pk == user.pk or not is_security_administrator(account)


def grantable_groups(user):
    """The groups the user may put an account into: all for a superuser, every group but
    安全管理员 for anyone else (only a superuser makes a security administrator)."""
    groups = Group.objects.order_by("name")
    if user.is_superuser:
        return groups
    return groups.exclude(name=SECURITY_ADMINISTRATORS)


def may_change_group(user, group):
    """What the three roles may do is changed by a superuser only."""
    return user.is_superuser or group.name not in ADMINISTRATOR_ROLES


def more_than_one_role(groups):
    """Whether these groups hold two or more of the three roles: one account, one duty."""
    return len({group.name for group in groups} & set(ADMINISTRATOR_ROLES)) > 1


def keep_administrators_out_of_review():
    """The group approval task's form offers, and accepts, no group of the three roles: whoever
    manages workflows would otherwise make their own group the one that approves and publishes
    articles. Set when Django starts (security/apps.py)."""
    from wagtail.models import GroupApprovalTask

    field = GroupApprovalTask._meta.get_field("groups")
    field.remote_field.limit_choices_to = ~Q(name__in=ADMINISTRATOR_ROLES)
