"""Publishing is all or nothing.

Wagtail's publish saves the page (or snippet) and then, each in its own statements, sends
page_published, updates the aliases, the search index and the log. A failure among them would leave
the new version live with the rest half done: the old version in an alias, the tree caches never
told. Here the whole publish commits together or not at all, and the old version stays live.
"""

from django.db import transaction


class AtomicPublishMixin:
    def publish(self, *args, **kwargs):
        with transaction.atomic():
            return super().publish(*args, **kwargs)

    def unpublish(self, *args, **kwargs):
        with transaction.atomic():
            return super().unpublish(*args, **kwargs)
