"""The contact app: its receivers connected, each with its sender, when Django starts
(contact/signal_handlers.py)."""

from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = "联系方式"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from contact.signal_handlers import register_signal_handlers

        register_signal_handlers()
