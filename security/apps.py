"""The security app: its tables, checks and receivers, registered when Django starts."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "安全"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from security.signal_handlers import register_signal_handlers

        register_signal_handlers()
