"""Revisions written before time zones were kept (a date without its offset, as an old import or
data migration may have stored it) are read as the site's time when a 发布时间 change looks back
for who typed the date: a publish never fails on them."""

from datetime import datetime, timedelta

import pytest
from wagtail.log_actions import LogContext

from news.models import ArticlePage
from quality.date_models import DateChange
from tests.factories import SHANGHAI, ArticlePageFactory

pytestmark = pytest.mark.django_db

SHOWN = datetime(2025, 3, 1, 9, 0, tzinfo=SHANGHAI)


def test_an_old_revision_with_a_date_without_its_zone_is_read_as_beijing_time(
    column, django_user_model
):
    person = django_user_model.objects.create_superuser("wang", password="pw-for-tests")
    page = ArticlePageFactory(parent=column, published_at=SHOWN, live=False)
    page.save_revision(user=person).publish()
    page = ArticlePage.objects.get(pk=page.pk)
    new = SHOWN + timedelta(hours=2)
    page.published_at = new
    older = page.save_revision(user=person)
    # As an old data migration left it: local wall-clock time, no offset.
    older.content["published_at"] = "2025-03-01T11:00:00"
    older.save(update_fields=["content"])
    page = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    latest = page.save_revision(user=None)
    with LogContext(user=person):
        latest.publish(user=person)
    change = DateChange.objects.get()
    assert (change.old, change.new) == (SHOWN, new)
    # The older revision carried the same date, so its author typed it.
    assert change.changed_by == person
