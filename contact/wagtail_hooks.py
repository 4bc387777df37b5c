"""Admin registration of the contact details snippet."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ContactDetails


class ContactDetailsViewSet(SnippetViewSet):
    model = ContactDetails
    icon = "mail"
    menu_label = "联系方式"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "site", "address", "postcode"]


register_snippet(ContactDetailsViewSet)
