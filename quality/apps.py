"""The content quality app: its tables, role and receivers, registered when Django starts."""

from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "内容质量"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from quality.signal_handlers import register_signal_handlers

        register_signal_handlers()
