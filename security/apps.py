"""The security app: its tables, checks and receivers, registered when Django starts; the three
administrators' roles made by `manage.py setup_site`, and kept out of the review tasks
(security/administrators.py)."""

from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "security"
    verbose_name = "安全"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from security.administrators import keep_administrators_out_of_review
        from security.signal_handlers import register_signal_handlers

        register_signal_handlers()
        keep_administrators_out_of_review()
