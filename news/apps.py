"""The newsroom app: the tables its rooms keep in their own models modules registered with its
pages, its receivers connected (news/signal_handlers.py), its deployment check registered and the
search's segmenter loaded (news/search/words.py), when Django starts."""

from importlib import import_module

from django.apps import AppConfig
from django.apps.config import MODELS_MODULE_NAME
from django.core import checks


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "新闻"
    default_auto_field = "django.db.models.BigAutoField"
    # The rooms of news/ that keep tables of their own, each in its models module.
    rooms_with_tables = ("hits", "importing", "library", "related", "search")

    def import_models(self):
        """Django imports an app's models module, news/models.py, which holds the pages; the
        rooms' models modules are imported in the same step, so their tables are known to the
        registry (and to makemigrations) before any app is ready, without the pages importing
        the rooms."""
        super().import_models()
        for room in self.rooms_with_tables:
            import_module(f"{self.name}.{room}.{MODELS_MODULE_NAME}")

    def ready(self):
        from news.hits.checks import redis_keeps_buffered_views
        from news.search import words
        from news.signal_handlers import register_signal_handlers

        # The segmenter's dictionary, loaded here so that gunicorn's master (which preloads the
        # site) loads it once before forking its workers.
        words.load()

        checks.register(redis_keeps_buffered_views, "hits", deploy=True)
        register_signal_handlers()
