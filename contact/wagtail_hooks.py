"""Admin registration of the contact details snippet: one record per site, every version
restorable from its history."""

import copy

from django.utils.functional import cached_property
from wagtail.admin.views.generic.history import ActionColumn
from wagtail.log_actions import registry as log_registry
from wagtail.models import Site
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import HistoryView, SnippetViewSet

from contact.models import ContactDetails


class ContactDetailsPermissionPolicy(ModelPermissionPolicy):
    """Each site has one contact record: once every site has it, nobody is offered 添加."""

    def user_has_permission(self, user, action):
        if action == "add" and not Site.objects.filter(contact_details=None).exists():
            return False
        return super().user_has_permission(user, action)


register_permission_policy(ContactDetails, ContactDetailsPermissionPolicy(ContactDetails))


class EveryVersionActionColumn(ActionColumn):
    """Wagtail offers a version's actions on the log entry that edited it. A version made by a
    command (the demo content, an import) was only ever published, so its publish entry offers
    them instead, and the first version can be restored like any other."""

    def get_actions(self, instance, parent_context):
        if instance.action == "wagtail.publish" and instance.revision_id not in self.edited:
            instance = copy.copy(instance)
            instance.action, instance.content_changed = "wagtail.edit", True
        return super().get_actions(instance, parent_context)

    @cached_property
    def edited(self):
        entries = log_registry.get_logs_for_instance(self.object)
        return set(
            entries.filter(content_changed=True)
            .exclude(action="wagtail.publish")
            .values_list("revision_id", flat=True)
        )


class ContactHistoryView(HistoryView):
    @cached_property
    def columns(self):
        columns = super().columns
        action = columns[0]
        columns[0] = EveryVersionActionColumn(
            action.name,
            label=action.label,
            object=action.object,
            url_names=action.url_names,
            user_can_unschedule=action.user_can_unschedule,
        )
        return columns


class ContactDetailsViewSet(SnippetViewSet):
    model = ContactDetails
    icon = "mail"
    menu_label = "联系方式"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "site", "address", "postcode"]
    history_view_class = ContactHistoryView


register_snippet(ContactDetailsViewSet)
