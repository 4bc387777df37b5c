"""Scheduled publishing fires without cron: go-live and expiry, under a lock, tested with a fake clock."""

import threading
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from core import periodic
from news import scheduler
from news.models import ArticlePage, SchedulerLock
from tests.factories import ArticlePageFactory

# On PostgreSQL too: one process publishes at a time under a row lock.
pytestmark = pytest.mark.engine_dependent


def at(moment):
    """Run with Django's clock set to `moment`."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def scheduled(column):
    page = ArticlePageFactory(parent=column, title="定时发布的文章", live=False)
    page.go_live_at = timezone.now() + timedelta(hours=1)
    page.save_revision().publish()  # with a future go-live time this only schedules it
    page.refresh_from_db()
    assert not page.live
    return page


def test_scheduled_article_is_not_published_early(scheduled):
    assert scheduler.run_due()
    assert not ArticlePage.objects.get(pk=scheduled.pk).live


def test_scheduled_article_appears_when_its_time_comes(scheduled, reader):
    with at(timezone.now() + timedelta(hours=1, minutes=1)):
        assert scheduler.run_due()
    page = ArticlePage.objects.get(pk=scheduled.pk)
    assert page.live
    assert reader.get(page.url).status_code == 200


def test_expired_article_is_unpublished(column, reader):
    page = ArticlePageFactory(parent=column)
    page.expire_at = timezone.now() + timedelta(minutes=5)
    page.save_revision().publish()
    with at(timezone.now() + timedelta(minutes=6)):
        scheduler.run_due()
    page.refresh_from_db()
    assert not page.live and page.expired
    assert reader.get(page.url).status_code == 404


def test_start_scheduler_starts_one_thread_per_process(settings, monkeypatch):
    monkeypatch.setattr(periodic, "started", set())
    started = []
    monkeypatch.setattr(
        periodic.threading, "Thread", lambda **kwargs: started.append(kwargs) or mock.Mock()
    )
    assert scheduler.start_scheduler() is not None
    assert scheduler.start_scheduler() is None
    assert len(started) == 1


def test_scheduler_can_be_switched_off(settings, monkeypatch):
    monkeypatch.setattr(periodic, "started", set())
    settings.SCHEDULER_ENABLED = False
    assert scheduler.start_scheduler() is None


@pytest.mark.django_db(transaction=True)
def test_running_scheduler_publishes_due_articles_by_itself(settings, monkeypatch):
    from news.sitetree import ensure_site_tree

    column = ensure_site_tree().root_page.get_children().get(slug="news")
    page = ArticlePageFactory(parent=column, live=False)
    page.go_live_at = timezone.now() + timedelta(seconds=1)
    page.save_revision().publish()
    settings.SCHEDULER_INTERVAL = 0.2
    monkeypatch.setattr(periodic, "started", set())
    stop = scheduler.start_scheduler()
    try:
        for _ in range(100):
            if ArticlePage.objects.filter(pk=page.pk, live=True).exists():
                break
            threading.Event().wait(0.1)
    finally:
        stop.set()
    assert ArticlePage.objects.get(pk=page.pk).live


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_only_one_process_publishes_at_a_time():
    from django.db import connections, transaction

    SchedulerLock.objects.get_or_create(name=scheduler.LOCK_NAME)
    holding, release = threading.Event(), threading.Event()

    def other_process():
        with transaction.atomic():
            SchedulerLock.objects.select_for_update().get(name=scheduler.LOCK_NAME)
            holding.set()
            release.wait(10)
        connections.close_all()

    thread = threading.Thread(target=other_process)
    thread.start()
    holding.wait(10)
    try:
        assert scheduler.run_due() is False
    finally:
        release.set()
        thread.join()
    assert scheduler.run_due() is True
