"""The content quality app: its tables, role and receivers, registered when Django starts."""

from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "quality"
    verbose_name = "内容质量"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from quality.signal_handlers import register_signal_handlers

        register_signal_handlers()
        # CONTENT_CHECKER names this module (core/content_gate.py imports it by name, as an
        # attribute of the package, which exists once it has been imported).
        import quality.checking  # noqa: F401
