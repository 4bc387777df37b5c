"""Copying an article kept live (发布副本) publishes the copy now with the original's 发布时间: a
date ahead of that moment beyond the tolerance is refused before any copy is made, in Chinese;
a copy saved as a draft, an alias (一稿多发) and an ordinary date copy as before."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from news.models import ArticlePage
from quality.date_changes import give_reason
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ahead(column, superuser_client):
    """A live article showing a date ten days ahead, with its reason on record."""
    later = timezone.now().replace(microsecond=0) + timedelta(days=10)
    page = ArticlePageFactory(parent=column, title="预告的报道", published_at=later, live=False)
    give_reason(page, later, superuser_client.user, "活动举办日")
    page.save_revision().publish()
    return page


def copy(client, page, to, **fields):
    return client.post(
        reverse("wagtailadmin_pages:copy", args=(page.pk,)),
        {"new_title": "副本", "new_parent_page": to.pk, **fields},
    )


def test_a_live_copy_of_a_date_ahead_is_refused_and_nothing_is_copied(
    ahead, other_column, superuser_client
):
    response = copy(superuser_client, ahead, other_column, publish_copies="on")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:copy", args=(ahead.pk,))
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("未复制：《预告的报道》发布时间") and "改期理由" in message
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["预告的报道"]


def test_a_draft_copy_of_a_date_ahead_is_made(ahead, other_column, superuser_client):
    assert copy(superuser_client, ahead, other_column).status_code == 302
    made = ArticlePage.objects.get(title="副本")
    assert not made.live


def test_an_alias_of_a_date_ahead_is_made(ahead, other_column, superuser_client):
    response = copy(superuser_client, ahead, other_column, publish_copies="on", alias="on")
    assert response.status_code == 302
    assert ArticlePage.objects.filter(alias_of=ahead).exists()


def test_a_live_copy_of_a_past_date_is_made(column, other_column, superuser_client):
    page = ArticlePageFactory(parent=column, title="往日的报道")
    response = copy(superuser_client, page, other_column, publish_copies="on")
    assert response.status_code == 302
    assert ArticlePage.objects.get(title="副本").live
