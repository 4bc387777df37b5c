"""Wagtail's users app with the account and group views of security/user_views.py, the way
Wagtail 8 lets a site replace them; installed in place of "wagtail.users", under its label."""

from wagtail.users.apps import WagtailUsersAppConfig


class WagtailUsersConfig(WagtailUsersAppConfig):
    user_viewset = "security.user_views.UserViewSet"
    group_viewset = "security.user_views.GroupViewSet"
