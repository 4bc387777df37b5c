"""Publishing is all or nothing, and nothing a reader would see with a blocking 错敏词 goes out.

Wagtail's publish saves the page (or snippet) and then, each in its own statements, sends
page_published, updates the aliases, the search index and the log. A failure among them would leave
the new version live with the rest half done: the old version in an alias, the tree caches never
told. Here the whole publish commits together or not at all, and the old version stays live.

Every way a revision goes out for readers calls publish() here: a workflow's last approval, bulk
publishing, a scheduled go-live (news/scheduler.py), the importer, the demo content, and publish()
with a go-live time ahead, which schedules it. Each asks the 错敏词 check first
(core/content_gate.py) and raises ContentBlocked instead of publishing or scheduling; the admin
says why in Chinese (core/content_refusals.py). The edit forms refuse the same text before it gets
here, and show each finding where it is (core/gate_forms.py).
"""

from django.db import transaction

from core import content_gate


class AtomicPublishMixin:
    def publish(self, revision, *args, **kwargs):
        with transaction.atomic():
            content_gate.refuse_if_blocked(self, revision=revision)
            return super().publish(revision, *args, **kwargs)

    def unpublish(self, *args, **kwargs):
        with transaction.atomic():
            return super().unpublish(*args, **kwargs)
