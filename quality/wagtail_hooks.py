"""Wagtail hooks of content quality."""

from django.urls import path
from wagtail import hooks

from quality.check_button import CheckMenuItem, CheckView

# 检查错敏词 in the page editor (quality/check_button.py) ------------------------------------------


@hooks.register("register_admin_urls")
def register_check_urls():
    return [
        path("quality/check/<int:page_id>/", CheckView.as_view(), name="quality_check_page"),
        path(
            "quality/check/new/<slug:app_label>/<slug:model_name>/<int:parent_id>/",
            CheckView.as_view(),
            name="quality_check_new_page",
        ),
    ]


@hooks.register("register_page_action_menu_item")
def register_check_menu_item():
    return CheckMenuItem(order=60)
