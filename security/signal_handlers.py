"""The security app's receivers, each connected with its sender when Django starts
(SecurityConfig.ready): `manage.py setup_site` makes the three administrators' roles too."""

from wagtail.models import Site

from core.signal_handlers import site_set_up
from security.administrators import ensure_administrator_roles


def administrator_roles_made(sender, **kwargs):
    ensure_administrator_roles()


def register_signal_handlers():
    site_set_up.connect(administrator_roles_made, sender=Site, dispatch_uid="administrator_roles")
