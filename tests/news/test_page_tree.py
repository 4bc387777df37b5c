"""The page tree: home → columns → articles, and the contact page under home."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from wagtail.models import Collection, Page
from wagtail.test.utils import WagtailPageTestCase

from contact.models import ContactPage
from interaction.models import ChannelPage, SurveyPage
from news.models import ArticlePage, HomePage, NewsIndexPage, TopicPage

# On PostgreSQL too: the tree is kept by path arithmetic in SQL.
pytestmark = pytest.mark.engine_dependent


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_sits_at_the_root_and_holds_columns_topics_contact_channels_surveys(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage, {NewsIndexPage, TopicPage, ContactPage, ChannelPage, SurveyPage}
        )

    def test_channels_live_under_home_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ChannelPage, {HomePage})
        self.assertAllowedSubpageTypes(ChannelPage, set())

    def test_topics_live_under_home_and_have_no_children(self):
        self.assertAllowedParentPageTypes(TopicPage, {HomePage})
        self.assertAllowedSubpageTypes(TopicPage, set())

    def test_columns_live_under_home_and_hold_only_articles(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage})

    def test_articles_live_only_in_columns_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_contact_page_lives_under_home_and_has_no_children(self):
        self.assertAllowedParentPageTypes(ContactPage, {HomePage})
        self.assertAllowedSubpageTypes(ContactPage, set())

    def test_article_cannot_be_created_under_home(self):
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanCreateAt(NewsIndexPage, ArticlePage)


def test_site_tree_is_built_once_with_home_columns_and_contact_page(site):
    from news.sitetree import ensure_site_tree

    ensure_site_tree()
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert [c.slug for c in NewsIndexPage.objects.child_of(home)] == ["news", "notices", "practice"]
    assert ContactPage.objects.child_of(home).count() == 1
    assert HomePage.objects.count() == 1


def test_wagtail_placeholder_root_page_is_replaced(site):
    assert not Page.objects.filter(depth=2).exclude(pk=site.root_page_id).exists()


def test_only_one_contact_page_per_home(home):
    assert not ContactPage.can_create_at(home)


def name_the_roots_in_chinese():
    """What migration news/0016 does to a database made before it."""
    migration = import_module("news.migrations.0016_roots_named_in_chinese")
    migration.name_the_roots_in_chinese(apps, None)


def test_the_tops_of_the_page_tree_and_the_collections_are_named_in_chinese(site, admin_client):
    # As Wagtail's migrations leave them, in a database made before the renaming migration.
    Page.objects.filter(depth=1).update(title="Root", draft_title="Root")
    Collection.objects.filter(depth=1).update(name="Root")
    name_the_roots_in_chinese()
    assert Page.get_first_root_node().title == "根目录"
    assert Page.get_first_root_node().draft_title == "根目录"
    assert Collection.get_first_root_node().name == "根目录"
    for url in [reverse("wagtailadmin_explore_root"), reverse("wagtailadmin_collections:add")]:
        html = admin_client.get(url).content.decode()
        assert "根目录" in html and ">Root<" not in html and "Root\n" not in html, url


def test_a_root_someone_renamed_keeps_its_name(site):
    Page.objects.filter(depth=1).update(title="全部站点", draft_title="全部站点")
    name_the_roots_in_chinese()
    assert Page.get_first_root_node().title == "全部站点"
