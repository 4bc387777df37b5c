"""The newsroom app: its receivers are connected, each with its sender, and its deployment
check registered, when Django starts."""

from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_delete, pre_save


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "新闻"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import UploadedFile
        from wagtail.signals import page_published

        from news.hits.checks import redis_keeps_buffered_views
        from news.library.metadata import strip_before_storing
        from news.library.replacement import forget_kept_files
        from news.models import NewsIndexPage
        from news.signals import new_column_gets_roles

        checks.register(redis_keeps_buffered_views, "hits", deploy=True)
        page_published.connect(new_column_gets_roles, sender=NewsIndexPage)
        for model in (get_image_model(), UploadedFile):
            pre_save.connect(strip_before_storing, sender=model, dispatch_uid="strip_metadata")
        for model in (get_image_model(), get_document_model()):
            post_delete.connect(forget_kept_files, sender=model, dispatch_uid="forget_kept_files")
