"""The 互动交流 app: its tables, roles and receivers, registered when Django starts."""

from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "interaction"
    verbose_name = "互动交流"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from interaction.signal_handlers import register_signal_handlers

        register_signal_handlers()
