from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "contact"
    verbose_name = "联系方式"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from contact import signals  # noqa: F401
