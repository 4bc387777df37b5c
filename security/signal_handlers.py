"""Receivers connected, each with its sender, when Django starts (SecurityConfig.ready): a user
saved with a new password hash has it recorded in the password history (security/passwords.py)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save

from security import passwords


def register_signal_handlers():
    post_save.connect(passwords.record, sender=get_user_model(), dispatch_uid="password_history")
