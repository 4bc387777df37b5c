"""专题: articles tagged with a topic's tag, gathered from every column onto the topic's page
(newest first, paginated, under its banner and introduction), into its feed, and listed on the
home page when an editor chooses."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from news.models import ArticlePage, TopicPage
from tests.admin_forms import article_form
from tests.factories import ArticlePageFactory

# On PostgreSQL too: a topic gathers articles across columns in SQL.
pytestmark = pytest.mark.engine_dependent

TAG = "学习贯彻党的二十大精神"


def tagged(parent, title, *tags, **fields):
    article = ArticlePageFactory(parent=parent, title=title, **fields)
    article.tags.add(*tags)
    article.save_revision().publish()
    return article


@pytest.fixture
def topic(home, image):
    page = TopicPage(
        title="学习贯彻党的二十大精神",
        slug="ershida",
        tag=TAG,
        banner_image=image,
        intro="<p>深入学习宣传贯彻党的二十大精神。</p>",
        show_on_home=True,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def titles_on(html):
    listing = html.split("<main", 1)[1]
    return re.findall(r'<a href="/[^"]+/\d{4}/\d{4}/\d+/"[^>]*>([^<]+)</a>', listing)


def test_a_topic_gathers_tagged_live_articles_from_every_column_newest_first(
    topic, column, other_column
):
    tagged(column, "较早的学习报道", TAG)
    tagged(other_column, "较新的学习通知", TAG)
    tagged(column, "无关的报道", "其他专题")
    draft = tagged(column, "未发布的学习稿", TAG)
    draft.unpublish()
    response = Client().get("/ershida/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>专题：学习贯彻党的二十大精神</h1>" in html
    assert "深入学习宣传贯彻党的二十大精神。" in html
    assert 'class="topic-banner"' in html and "<img" in html.split('class="topic-banner"')[1]
    found = titles_on(html)
    assert found.index("较新的学习通知") < found.index("较早的学习报道")
    assert "无关的报道" not in found and "未发布的学习稿" not in found


def test_a_topic_pages_through_its_articles(topic, column, monkeypatch):
    monkeypatch.setattr("news.models.ARTICLES_PER_PAGE", 2)
    for number in range(3):
        tagged(column, f"学习报道{number}", TAG)
    first = Client().get("/ershida/").content.decode()
    second = Client().get("/ershida/?page=2").content.decode()
    assert len(titles_on(first)) == 2 and titles_on(second) == ["学习报道0"]


def test_a_topic_with_no_articles_says_so(topic):
    assert "本专题暂无文章。" in Client().get("/ershida/").content.decode()


def test_a_topic_has_its_own_feed(topic, column):
    tagged(column, "学习报道", TAG)
    tagged(column, "无关的报道")
    response = Client().get("/ershida/feed/")
    assert response.status_code == 200
    feed = response.content.decode()
    assert "<title>学习贯彻党的二十大精神" in feed
    assert "学习报道" in feed and "无关的报道" not in feed


def test_the_home_page_lists_the_topics_editors_chose(topic, home):
    hidden = TopicPage(title="不在首页的专题", slug="hidden", tag="其他", show_on_home=False)
    home.add_child(instance=hidden)
    hidden.save_revision().publish()
    html = Client().get("/").content.decode()
    strip = re.search(r'<section class="topic-strip".*?</section>', html, re.S).group(0)
    assert 'href="/ershida/"' in strip and "学习贯彻党的二十大精神" in strip
    assert "不在首页的专题" not in strip


def test_an_editor_tags_an_article_into_a_topic_through_the_form(editor_client, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    response = editor_client.post(url, {**article_form(), "tags": f'"{TAG}", 党建'})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ArticlePage.objects.get(title="后台创建的文章").get_latest_revision_as_object()
    assert sorted(tag.name for tag in draft.tags.all()) == sorted([TAG, "党建"])
