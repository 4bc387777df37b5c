"""Where a report sends a click on a page: to the admin (its editor, or its column's list) only
for a user who may edit the page, since the admin refuses the rest (and the audit chain records
each refusal); else to the page itself when readers can open it; else nowhere (plain text).

The user's page permissions are read once and kept on the user (Wagtail's
get_cached_permissions_for_user), so a report of many rows asks no query per row."""

from django.urls import reverse
from wagtail.admin.ui.tables import TitleColumn
from wagtail.coreutils import multigetattr
from wagtail.models import GroupApprovalTask, Page


def in_a_task_group(user):
    """Whether the user is in the groups of an active approval task (asked once per user)."""
    if not hasattr(user, "_quality_in_task_group"):
        user._quality_in_task_group = GroupApprovalTask.objects.filter(
            active=True, groups__in=user.groups.all()
        ).exists()
    return user._quality_in_task_group


def may_edit(user, page):
    """Wagtail's can_edit(). Its last test, a workflow task opening the editor to its groups,
    costs a query per page and can hold only for a member of such a group: for anyone else the
    permissions (read once per user) decide alone."""
    tester = page.permissions_for_user(user)
    if in_a_task_group(user) or not user.is_active or user.is_superuser:
        return tester.can_edit()
    return page.depth > 1 and (
        "change" in tester.permissions or ("add" in tester.permissions and page.owner_id == user.pk)
    )


def address_for(user, page, admin_url):
    """`admin_url` when the user may edit the page, else its public address when it is live,
    else None."""
    if page is None:
        return None
    if may_edit(user, page):
        return admin_url
    if page.live:
        return page.url
    return None


def editable_ids(user, ids):
    """The ids (of these) of the pages the user may edit, in one query."""
    pages = Page.objects.filter(pk__in=ids).only("pk", "path", "depth", "owner", "live")
    return {page.pk for page in pages if may_edit(user, page)}


class PageTitleColumn(TitleColumn):
    """A row's page title, linked by address_for: the page editor for who may edit it."""

    def __init__(self, name, page_accessor="page", **kwargs):
        super().__init__(name, **kwargs)
        # None: the row is the page itself.
        self.page_accessor = page_accessor

    def get_link_url(self, instance, parent_context):
        accessor = self.page_accessor
        page = instance if accessor is None else multigetattr(instance, accessor)
        admin_url = reverse("wagtailadmin_pages:edit", args=[page.pk]) if page else None
        return address_for(parent_context["request"].user, page, admin_url)
