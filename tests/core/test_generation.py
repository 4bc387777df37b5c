"""The site generation: every change a reader can see moves it on, in the change's transaction
(an article's publishing its articles number only); a request reads it once; everything cached is
kept under it, so nothing outlives a change it depends on."""

import pytest
from django.db import transaction
from wagtail.models import CollectionViewRestriction, PageViewRestriction, Site

from contact.models import FooterSettings
from core import generation
from core.generation import read, read_once, remember
from tests.factories import ArticlePageFactory, make_contact

# On PostgreSQL too: the generation counter is raised by the database in one statement.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]


def moves_on(change):
    before = read()
    change()
    after = read()
    assert after > before
    return after


def test_publish_unpublish_move_copy_and_delete_move_it_on(column, other_column):
    article = ArticlePageFactory(parent=column)
    moves_on(lambda: article.save_revision().publish())
    moves_on(lambda: article.move(other_column, pos="last-child"))
    moves_on(lambda: article.copy(to=column, update_attrs={"slug": "copy-1"}, keep_live=True))
    moves_on(lambda: article.unpublish())
    moves_on(lambda: article.delete())


def test_an_alias_a_restriction_and_the_site_move_it_on(column, other_column, site):
    article = ArticlePageFactory(parent=column)
    moves_on(lambda: article.create_alias(parent=other_column, update_slug="alias-1"))
    restriction = moves_on(
        lambda: PageViewRestriction.objects.create(page=article, restriction_type="login")
    )
    assert restriction
    moves_on(lambda: PageViewRestriction.objects.filter(page=article).delete())
    from wagtail.models import Collection

    moves_on(
        lambda: CollectionViewRestriction.objects.create(
            collection=Collection.get_first_root_node(), restriction_type="login"
        )
    )
    site.site_name = "另一个名字"
    moves_on(site.save)
    assert Site.objects.count() == 1


def test_contact_details_footer_settings_pictures_and_documents_move_it_on(site, image):
    contact = make_contact(site, live=False)
    moves_on(lambda: contact.save_revision().publish())
    contact.refresh_from_db()
    moves_on(contact.unpublish)
    footer = FooterSettings.for_site(site)
    footer.copyright = "版权所有"
    moves_on(footer.save)
    image.title = "换了文件的图片"
    moves_on(image.save)
    moves_on(image.delete)
    from wagtail.documents.models import Document

    document = Document.objects.create(title="附件", file="documents/a.pdf")
    moves_on(document.delete)
    moves_on(contact.delete)


def test_a_change_rolled_back_leaves_it_where_it_was(column):
    article = ArticlePageFactory(parent=column)
    before = read()
    with pytest.raises(RuntimeError), transaction.atomic():
        article.save_revision().publish()
        assert read() > before  # inside the transaction
        raise RuntimeError("the publish fails half-way")
    assert read() == before


def test_generations_are_never_reused():
    # A restored backup or a rolled-back test starts from an older number; bumping from it goes
    # past every number used before, since a bump is at least the time in nanoseconds.
    import time

    from core.models import SiteGeneration

    SiteGeneration.objects.filter(pk__in=[generation.SITE, generation.ARTICLES]).update(value=1)
    generation.bump()
    generation.bump(generation.ARTICLES)
    assert min(read()) >= time.time_ns() - 10**9


def test_an_articles_publishing_moves_the_articles_number_and_a_columns_the_site_number(
    column, other_column
):
    article = ArticlePageFactory(parent=column)
    for change in (lambda: article.save_revision().publish(), article.unpublish):
        before = read()
        change()
        after = read()
        assert after.site == before.site and after.articles > before.articles
    before = read()
    column.save_revision().publish()
    assert read().site > before.site
    # An article published into another column too: its copy follows it, and the site number
    # stays where it was.
    article.save_revision().publish()
    article.create_alias(parent=other_column)
    before = read()
    article.save_revision().publish()
    after = read()
    assert after.site == before.site and after.articles > before.articles


def test_a_request_reads_it_once_and_sees_its_own_bump(django_assert_num_queries):
    with read_once():
        with django_assert_num_queries(1):
            first = generation.current()
            assert generation.current() == first
        generation.bump()
        assert generation.current() > first


def test_cached_values_are_kept_under_the_generation(column):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert remember("test:value", compute) == 1
    assert remember("test:value", compute) == 1
    ArticlePageFactory(parent=column).save_revision().publish()
    assert remember("test:value", compute) == 2


def test_what_no_article_changes_outlives_an_articles_publishing_only(column):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert remember("test:menu", compute, articles=False) == 1
    ArticlePageFactory(parent=column).save_revision().publish()
    assert remember("test:menu", compute, articles=False) == 1
    column.save_revision().publish()
    assert remember("test:menu", compute, articles=False) == 2


def test_while_the_database_is_down_the_last_generation_read_holds(monkeypatch):
    from django.db import OperationalError

    known = read()

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(generation.connection, "cursor", down)
    assert read() == known
