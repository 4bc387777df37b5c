"""The demo content `make run` loads (`setup_site --demo`): its columns, articles, agenda
sections, video, 专题 and contact details, served; loaded once however often the command runs."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from contact.models import ContactDetails
from news.hits.models import PageHits
from news.importing.demo import demo_files
from news.models import ArticlePage, NewsIndexPage
from tests.module_transaction import module_transaction


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """What `setup_site --demo` printed, the demo loaded once for the module's tests
    (tests/module_transaction.py): some seven seconds of CPU each time on PostgreSQL."""
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            out = StringIO()
            call_command("setup_site", "--demo", stdout=out)
        yield out.getvalue()


# The README says in words how many articles the demo has.
NUMBER_WORDS = {15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen", 19: "nineteen"}


@pytest.mark.engine_dependent
def test_demo_content_has_three_columns_a_dozen_articles_and_agenda_sections(db, demo):
    columns = NewsIndexPage.objects.all()
    assert columns.count() >= 3
    assert all(ArticlePage.objects.child_of(column).exists() for column in columns)
    articles = ArticlePage.objects.live()
    assert articles.count() >= 12
    with_sections = [a for a in articles if sum(b.block_type == "section" for b in a.body) >= 2]
    assert len(with_sections) >= 10
    # Every article has readers; a copy published into a second column shares its original's.
    originals = articles.filter(alias_of__isnull=True)
    assert PageHits.objects.filter(hits__gt=0).count() == originals.count()
    [copy] = articles.exclude(alias_of__isnull=True)
    assert copy.get_parent().pk != copy.alias_of.get_parent().pk
    # What `make run` prints and what the README says count the articles a reader finds.
    count = originals.count()
    assert f"已载入示例内容：{count} 篇文章（其中 1 篇同时发布在另一个栏目）。" in demo
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert f"{NUMBER_WORDS[count]} articles" in " ".join(readme.split())
    assert ArticlePage.objects.exclude(cover_image=None).exists()
    contact = ContactDetails.objects.get(live=True)
    assert contact.phones.count() >= 2 and contact.emails.count() >= 2


@pytest.mark.engine_dependent
def test_demo_content_shows_a_captioned_video_that_plays_from_the_library(db, demo):
    [article] = [
        page
        for page in ArticlePage.objects.live().filter(alias_of__isnull=True)
        if any(block.block_type == "video" for block in page.body)
    ]
    html = Client().get(article.url).content.decode()
    video = html.split("<video")[1].split("</video>")[0]
    assert "poster=" in video and 'type="video/webm"' in video
    source = video.split('<source src="')[1].split('"')[0]
    track = video.split('<track kind="captions" src="')[1].split('"')[0]
    client = Client()
    played = client.get(source)
    assert played.status_code == 200
    content = b"".join(played.streaming_content) if played.streaming else played.content
    assert content[:4] == b"\x1a\x45\xdf\xa3"  # the WebM (Matroska) signature
    captions = client.get(track)
    assert captions.status_code == 200
    body = b"".join(captions.streaming_content) if captions.streaming else captions.content
    assert body.decode().startswith("WEBVTT")
    assert "视频文字稿" in html


@pytest.mark.engine_dependent
def test_the_demo_topic_gathers_articles_from_two_columns(db, demo):
    html = Client().get("/topic-study/").content.decode()
    listed = html.split('class="article-list"')[1].split("</ul>")[0]
    columns = {url.split("/")[1] for url in re.findall(r'href="(/[^"]+/\d{4}/\d{4}/\d+/)"', listed)}
    assert len(columns) >= 2, listed
    assert "专题：学习贯彻党的二十大精神" in html


def test_demo_content_is_not_the_seed_text():
    seed_title = "全市社会组织党建工作现场推进会召开"
    for _, path in demo_files():
        text = path.read_text(encoding="utf-8")
        assert seed_title not in text
        assert "厦门" not in text


@pytest.mark.engine_dependent
def test_setup_site_twice_loads_the_demo_once(db, demo):
    count = ArticlePage.objects.count()
    call_command("setup_site", "--demo", stdout=StringIO())
    assert ArticlePage.objects.count() == count
    assert NewsIndexPage.objects.count() == 3


@pytest.mark.engine_dependent
def test_demo_site_serves_every_article(db, demo):
    client = Client()
    for page in ArticlePage.objects.live():
        response = client.get(page.url, follow=True)
        assert response.status_code == 200, page.url
        assert "联系我们" in response.content.decode()
        if page.alias_of_id:  # published into a second column: read at the original's address
            assert response.redirect_chain == [(page.alias_of.specific.url, 301)]
