"""The site's three roles, created idempotently.

- 编辑 (editors): create and edit articles in the columns and submit them for review; upload and
  choose images and documents, and replace the files of those no live page shows.
- 审核 (reviewers): everything editors do, plus approving, publishing, unpublishing and unlocking,
  and replacing the file of a picture or document that a live page shows: the library asks for
  its permission to change media in use (news/library/replacement.py), which they are granted.
- 联系信息维护 (contact staff): edit, preview and publish the contact details, and upload and
  choose the picture of the office's location they show (位置图).

Groups and their model permissions are made by data migrations (`ensure_groups`, and
`ensure_reviewer_permissions` for the library's permission, whose table came later); page
permissions on each column and the 文章审核 workflow need the columns to exist, so `setup_site`
and the creation of a new column add them (`ensure_roles`, `grant_column`).
"""

from django.conf import settings
from wagtail.permission_policies.pages import PagePermissionPolicy

from news.models import NewsIndexPage

EDITORS = "编辑"
REVIEWERS = "审核"
CONTACT_STAFF = "联系信息维护"
WORKFLOW_NAME = "文章审核"
TASK_NAME = "审核"

ADMIN_ACCESS = ("wagtailadmin", "access_admin")
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
CONTACT_MEDIA_PERMISSIONS = [("wagtailimages", "add_image"), ("wagtailimages", "choose_image")]
CONTACT_PERMISSIONS = [
    ("contact", "add_contactdetails"),
    ("contact", "change_contactdetails"),
    ("contact", "publish_contactdetails"),
    ("contact", "lock_contactdetails"),
    ("contact", "unlock_contactdetails"),
]
# Changing what a live page shows of a picture or document without a review: its file, its title
# or focal point, or deleting it (news/library/replacement.py).
# (app, codename, model) where the model is not the codename's last word.
REVIEWER_PERMISSIONS = [("news", "change_media_in_use", "replacedfile")]
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def works_on_pages(user):
    """Editors, reviewers and admins: the people who work on articles (contact staff do not)."""
    return PagePermissionPolicy().user_has_any_permission(user, {"add", "change", "publish"})


def publishes_pages(user):
    """Who may publish or unpublish some page: reviewers and admins, and editors when there is no
    review step."""
    return PagePermissionPolicy().user_has_permission(user, "publish")


def editor_page_permissions():
    # Without the review step editors publish their own articles.
    if settings.ARTICLE_REVIEW:
        return EDITOR_PAGE_PERMISSIONS
    return [*EDITOR_PAGE_PERMISSIONS, "publish_page"]


def _permission(apps, app_label, codename, model=None):
    """A permission, created if need be: Wagtail adds publish/lock/unlock permissions of snippets
    only after all migrations have run."""
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is not None:
        return found
    action, named = codename.split("_", 1)
    model = model or named
    content_type = ContentType.objects.get(app_label=app_label, model=model)
    return Permission.objects.create(
        content_type=content_type, codename=codename, name=f"Can {action} {model}"
    )


def ensure_groups(apps):
    """Groups with their admin, media and contact permissions (usable from a migration)."""
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (EDITORS, REVIEWERS, CONTACT_STAFF)
    }
    access = _permission(apps, *ADMIN_ACCESS)
    for group in groups.values():
        group.permissions.add(access)
    groups[CONTACT_STAFF].permissions.add(
        *[_permission(apps, *perm) for perm in CONTACT_PERMISSIONS]
    )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        granted = [(EDITORS, MEDIA_PERMISSIONS), (REVIEWERS, MEDIA_PERMISSIONS)]
        granted.append((CONTACT_STAFF, CONTACT_MEDIA_PERMISSIONS))
        for name, perms in granted:
            for perm in perms:
                GroupCollectionPermission.objects.get_or_create(
                    group=groups[name],
                    collection=root_collection,
                    permission=_permission(apps, *perm),
                )
    return groups


def ensure_reviewer_permissions(apps):
    """The reviewers' own permissions (usable from a migration made after their models')."""
    Group = apps.get_model("auth", "Group")
    reviewers = Group.objects.get_or_create(name=REVIEWERS)[0]
    reviewers.permissions.add(*[_permission(apps, *perm) for perm in REVIEWER_PERMISSIONS])


def grant_column(column):
    """Page permissions of editors and reviewers on one column and everything in it."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    groups = ensure_groups(apps)
    wanted = {EDITORS: editor_page_permissions(), REVIEWERS: REVIEWER_PAGE_PERMISSIONS}
    for name, codenames in wanted.items():
        group = groups[name]
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=column,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        # Switching the review step back on takes publishing away from editors again.
        if name == EDITORS and settings.ARTICLE_REVIEW:
            GroupPagePermission.objects.filter(
                group=group, page=column, permission__codename="publish_page"
            ).delete()
    assign_review_workflow(column)
    return Group.objects.filter(name__in=wanted)


def review_workflow():
    from django.contrib.auth.models import Group
    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(Group.objects.get(name=REVIEWERS))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def assign_review_workflow(column):
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.update_or_create(page=column, defaults={"workflow": review_workflow()})


def ensure_roles():
    """Groups, their permissions on every column, the review workflow on every column, and the
    permission names in Chinese."""
    from django.apps import apps

    ensure_groups(apps)
    ensure_reviewer_permissions(apps)
    for column in NewsIndexPage.objects.all():
        grant_column(column)
    name_permissions_in_chinese()


ACTIONS = {
    "add": "添加",
    "change": "修改",
    "delete": "删除",
    "view": "查看",
    "publish": "发布",
    "lock": "锁定",
    "unlock": "解锁",
    "choose": "选择",
}
# Wagtail's own wording for these says more than the action and the model.
PERMISSION_NAMES = {
    "access_admin": "可以登录管理后台",
    "bulk_delete_page": "可以删除含有子页面的页面",
    "lock_page": "可以锁定页面（并解锁自己锁定的页面）",
    "publish_page": "可以发布页面",
    "unlock_page": "可以解锁任何页面",
}


def permission_name(permission):
    """The Chinese name of a permission, or None to keep the one it has."""
    if permission.codename in PERMISSION_NAMES:
        return PERMISSION_NAMES[permission.codename]
    action, _, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action not in ACTIONS or model is None or model_name != permission.content_type.model:
        return None
    return f"可以{ACTIONS[action]}{model._meta.verbose_name}"


def name_permissions_in_chinese():
    """Django names permissions "Can add page" in English whatever the language, and the group
    form lists them by name; renamed here, idempotently (a permission made later is renamed by the
    next setup_site)."""
    from django.contrib.auth.models import Permission
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.select_related("content_type"):
            name = permission_name(permission)
            if name and permission.name != name:
                permission.name = str(name)[: Permission._meta.get_field("name").max_length]
                permission.save(update_fields=["name"])
