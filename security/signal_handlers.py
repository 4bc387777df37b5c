"""The security app's receivers, each connected with its sender when Django starts
(SecurityConfig.ready): `manage.py setup_site` makes the three administrators' roles too, and a
user saved with a new password hash has it recorded in the password history
(security/passwords.py)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from wagtail.models import Site

from core.signal_handlers import site_set_up
from security import passwords
from security.administrators import ensure_administrator_roles


def administrator_roles_made(sender, **kwargs):
    ensure_administrator_roles()


def register_signal_handlers():
    site_set_up.connect(administrator_roles_made, sender=Site, dispatch_uid="administrator_roles")
    post_save.connect(passwords.record, sender=get_user_model(), dispatch_uid="password_history")
