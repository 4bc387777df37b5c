"""The newsroom app: its receivers connected (news/signal_handlers.py) and its deployment check
registered, when Django starts."""

from django.apps import AppConfig
from django.core import checks


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "新闻"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from news.hits.checks import redis_keeps_buffered_views
        from news.signal_handlers import register_signal_handlers

        checks.register(redis_keeps_buffered_views, "hits", deploy=True)
        register_signal_handlers()
