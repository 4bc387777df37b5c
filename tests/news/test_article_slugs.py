"""Article slugs are generated and unique in their column: titles of any characters, copies into
the same column and old "--" slugs never meet a slug error."""

import pytest
from django.urls import reverse

from news import slugs
from news.models import ArticlePage
from tests.admin_forms import article_form
from tests.factories import ArticlePageFactory

# On PostgreSQL too: slugs are compared in SQL, case-sensitively or not by engine.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

SPACED_TITLE = "学习贯彻 全会精神 专题一"


def test_two_titles_with_spaces_in_one_column_both_save(admin_client, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    for _ in range(2):
        # What the title-to-slug script would have sent for a Chinese title with spaces.
        response = admin_client.post(
            url, {**article_form(title=SPACED_TITLE, slug="--"), "action-publish": "publish"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    found = ArticlePage.objects.filter(title=SPACED_TITLE)
    assert found.count() == 2
    assert len({page.slug for page in found}) == 2
    assert all(slugs.is_usable(page.slug) and page.slug.startswith("20240501-") for page in found)


def test_the_article_form_has_no_slug_field(admin_client, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    assert 'name="slug"' not in admin_client.get(url).content.decode()


def test_an_old_letterless_slug_is_replaced_when_saved(column):
    page = ArticlePageFactory(parent=column, title=SPACED_TITLE)
    ArticlePage.objects.filter(pk=page.pk).update(slug="--")
    page.refresh_from_db()
    page.save_revision().publish()
    page.refresh_from_db()
    assert slugs.is_usable(page.slug)


def test_a_generated_slug_skips_one_already_taken(column, monkeypatch):
    taken = ArticlePageFactory(parent=column)
    values = iter([taken.slug.split("-", 1)[1], "abcdef"])
    monkeypatch.setattr(slugs.secrets, "token_hex", lambda n: next(values))
    assert slugs.new_article_slug(column, taken.published_at).endswith("-abcdef")


def test_copying_an_article_into_its_own_column_asks_for_no_slug(admin_client, column):
    page = ArticlePageFactory(parent=column, title=SPACED_TITLE)
    url = reverse("wagtailadmin_pages:copy", args=(page.pk,))
    form = admin_client.get(url).content.decode()
    assert 'type="hidden" name="new_slug"' in form
    response = admin_client.post(
        url, {"new_title": SPACED_TITLE, "new_slug": page.slug, "new_parent_page": column.pk}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    copies = ArticlePage.objects.filter(title=SPACED_TITLE)
    assert copies.count() == 2
    assert len({copy.slug for copy in copies}) == 2
