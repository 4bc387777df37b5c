"""Searching in the admin finds Chinese words inside titles and texts: the page explorer, the
文章 listing, the page chooser and the image and document choosers, on SQLite and PostgreSQL."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.documents.models import Document
from wagtail.images.models import Image

from news.models import ArticlePage
from news.search.backend import index_is_current
from news.search.models import SearchIndexState
from tests.factories import ArticlePageFactory

# On PostgreSQL too: each engine searches its own way.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

SEED_TITLE = "全市社会组织党建工作现场推进会召开"


@pytest.fixture
def seed_article(column):
    ArticlePageFactory(
        parent=column,
        title="青溪市召开行业协会商会座谈会",
        body=[{"type": "paragraph", "value": "<p>座谈会在市民中心举行。</p>"}],
    )
    return ArticlePageFactory(parent=column, title=SEED_TITLE)


@pytest.mark.parametrize("word", ["党建", "推进会", "友邻中心"])
def test_page_explorer_search_finds_chinese_words(admin_client, seed_article, word):
    html = admin_client.get("/admin/pages/search/", {"q": word}).content.decode()
    assert SEED_TITLE in html
    assert "青溪市召开行业协会商会座谈会" not in html


@pytest.mark.parametrize("word", ["党建", "推进会", "友邻中心"])
def test_article_listing_search_finds_chinese_words(admin_client, seed_article, word):
    html = admin_client.get("/admin/articles/", {"q": word}).content.decode()
    assert SEED_TITLE in html
    assert "青溪市召开行业协会商会座谈会" not in html


def test_page_chooser_search_finds_chinese_words(admin_client, seed_article):
    response = admin_client.get("/admin/choose-page/search/", {"q": "推进会"})
    assert SEED_TITLE in response.content.decode()


def test_image_and_document_choosers_find_chinese_words(admin_client, image):
    image.title = "嘉莲街道友邻中心外景"
    image.save()
    Image.objects.create(title="其他图片", file=image.file.name, width=1, height=1)
    response = admin_client.get("/admin/images/chooser/results/", {"q": "友邻"})
    assert "嘉莲街道友邻中心外景" in response.content.decode()
    assert "其他图片" not in response.content.decode()

    Document.objects.create(title="关于开展党建工作的通知.pdf", file="documents/a.pdf")
    response = admin_client.get("/admin/documents/chooser/results/", {"q": "党建工作"})
    assert "关于开展党建工作的通知" in response.content.decode()


def test_latin_words_still_complete_as_typed(admin_client, column):
    ArticlePageFactory(parent=column, title="Wagtail 培训")
    html = admin_client.get("/admin/pages/search/", {"q": "Wagt"}).content.decode()
    assert "Wagtail 培训" in html


def test_an_index_built_another_way_is_rebuilt_by_setup_site(seed_article):
    plain = {"default": {"BACKEND": "wagtail.search.backends.database"}}
    with override_settings(WAGTAILSEARCH_BACKENDS=plain):
        call_command("update_index", verbosity=0)
    SearchIndexState.objects.all().delete()  # as on a site from before the index had a version
    assert not index_is_current()
    assert list(ArticlePage.objects.search("推进会")) == []
    call_command("setup_site", verbosity=0)
    assert index_is_current()
    assert list(ArticlePage.objects.search("推进会")) == [seed_article]


def test_entities_in_rich_text_are_searched_and_shown_as_the_characters(admin_client, column):
    from django.test import Client

    ArticlePageFactory(
        parent=column,
        title="试点工作",
        body=[{"type": "paragraph", "value": "<p>开展 &lt;试点&gt; 与“党建&amp;业务”融合</p>"}],
    )
    reader = Client(HTTP_USER_AGENT="Mozilla/5.0 Chrome/131.0")
    html = reader.get("/search/", {"q": "业务"}).content.decode()
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    assert "&lt;试点&gt;" in html  # the characters, escaped once for the page
    assert "没有找到" in reader.get("/search/", {"q": "amp"}).content.decode()
