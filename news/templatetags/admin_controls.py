"""The admin's controls offered only to the people who may use them: Wagtail offers the bulk
发布 and 取消发布 of pages to everyone who sees a page listing, and refuses editors only after they
have chosen the pages; and its dashboard offers everyone 搜索所有页面…, which answers contact staff
with 没有权限."""

from django import template
from django.apps import apps
from django.urls import reverse
from wagtail.admin.templatetags.wagtailadmin_tags import bulk_action_choices
from wagtail.models import Page

from news import roles

register = template.Library()

PUBLISHING = ("publish", "unpublish")


@register.inclusion_tag("wagtailadmin/shared/buttons.html", takes_context=True)
def offered_bulk_actions(context, app_label, model_name):
    """Wagtail's bulk action buttons for the listing, less those the user cannot use."""
    choices = bulk_action_choices(context, app_label, model_name)
    model = apps.get_model(app_label, model_name)
    if not issubclass(model, Page) or roles.publishes_pages(context["request"].user):
        return choices
    refused = {
        reverse("wagtail_bulk_action", args=[app_label, model_name, action])
        for action in PUBLISHING
    }
    buttons = []
    for button in choices["buttons"]:
        if getattr(button, "dropdown_buttons", None):
            button.dropdown_buttons = [b for b in button.dropdown_buttons if b.url not in refused]
            if not button.dropdown_buttons:
                continue
        elif button.url in refused:
            continue
        buttons.append(button)
    return {**choices, "buttons": buttons}


@register.filter
def works_on_pages(user):
    return roles.works_on_pages(user)
