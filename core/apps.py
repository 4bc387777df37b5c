"""The shared app: its receivers keep the site generation moving with every change a reader can
see, connected when Django starts; staff names written family name first (core/names.py) and
the admin's words Wagtail leaves in English put in Chinese (core/admin_words.py)."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "站点基础"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core.admin_words import compare_readably, label_site_columns
        from core.names import write_names_family_first
        from core.signal_handlers import register_signal_handlers

        register_signal_handlers()
        write_names_family_first()
        label_site_columns()
        compare_readably()
