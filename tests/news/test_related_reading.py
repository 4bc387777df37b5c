"""相关阅读 under an article: tags first, key words next, never the article itself, its copies,
what readers may not see or another site's articles; following every publish; one query when not
cached, none when it is; nothing at all when nothing is related enough."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from news.models import ArticlePage, HomePage, NewsIndexPage
from news.related.keywords import TAG_MARK, TAG_WEIGHT, key_words
from news.related.models import IndexedArticle, KeyWord, WordCount
from news.related.reading import related_articles
from tests.factories import ArticlePageFactory

# The query and its float scores, on PostgreSQL too.
pytestmark = pytest.mark.engine_dependent

HEADING = "相关阅读"
KEY_WORD_TABLE = KeyWord._meta.db_table

TEXTS = {
    "garbage": "社区开展垃圾分类宣传活动，志愿者入户讲解垃圾分类知识，居民积极参与垃圾分类，"
    "厨余垃圾和可回收物分类投放。",
    "garbage2": "街道召开垃圾分类工作推进会，部署垃圾分类督导，培训志愿者指导居民分类投放厨余垃圾。",
    "tax": "税务局举办减税降费政策培训会，企业财务人员参加培训，了解最新税收优惠政策。",
    "fire": "消防大队开展冬季消防安全检查，排查火灾隐患，向商户普及消防知识和灭火器使用方法。",
    "health": "卫生院组织医生下乡义诊，为老年人测量血压血糖，宣传慢性病防治健康知识。",
    "stars": "天文爱好者夜间观测英仙座流星雨，记录流星轨迹并拍摄星空照片。",
    "library": "图书馆举办少儿阅读节，小读者参加绘本朗读比赛，家长陪伴孩子借阅图书。",
}


def published(parent, title, text="", tags=()):
    """A live article published through Wagtail's publish, as editors publish."""
    body = [{"type": "paragraph", "value": f"<p>{text}</p>"}] if text else []
    article = ArticlePageFactory(parent=parent, title=title, body=body)
    for tag in tags:
        article.tags.add(tag)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def titles(article):
    return [link["title"] for link in related_articles(article)]


def section_of(reader, article):
    html = reader.get(article.url).content.decode()
    return html[html.index(HEADING) :] if HEADING in html else ""


@pytest.fixture
def corpus(column, other_column):
    """Articles on different subjects, in two columns, so that each word's rarity means
    something."""
    return {
        name: published(column if number % 2 else other_column, f"{name}报道", text)
        for number, (name, text) in enumerate(TEXTS.items())
    }


def test_articles_sharing_key_words_are_listed_best_first(corpus, reader):
    assert titles(corpus["garbage"]) == ["garbage2报道"]
    section = section_of(reader, corpus["garbage"])
    assert f'href="{corpus["garbage2"].url}"' in section
    assert '<section class="related-reading" aria-labelledby="related-reading-heading">' in (
        reader.get(corpus["garbage"].url).content.decode()
    )


def test_shared_tags_come_before_shared_words(corpus, column):
    tagged = published(column, "分类新规", TEXTS["garbage"], tags=["生态文明"])
    published(column, "税收与环保", TEXTS["tax"], tags=["生态文明"])
    published(column, "两个专题", TEXTS["fire"], tags=["生态文明", "平安建设"])
    found = titles(tagged)
    assert found[:2] == ["两个专题", "税收与环保"] or found[:2] == ["税收与环保", "两个专题"]
    assert set(found[2:]) >= {"garbage报道", "garbage2报道"}
    both = published(column, "平安生态", TEXTS["stars"], tags=["生态文明", "平安建设"])
    assert titles(both)[0] == "两个专题"  # two tags in common before one


def test_never_the_article_itself_nor_its_copies(corpus, other_column, reader):
    original = corpus["garbage2"]
    copy = ArticlePage.objects.get(pk=original.create_alias(parent=other_column).pk)
    assert titles(corpus["garbage"]) == ["garbage2报道"]  # once, at the original's address
    assert "garbage2报道" not in titles(original)
    assert related_articles(copy) == related_articles(original)
    assert titles(original) == ["garbage报道"]
    assert not IndexedArticle.objects.filter(article=copy).exists()


def test_restricted_and_unpublished_articles_are_never_listed(corpus, column):
    near = published(column, "垃圾分类再推进", TEXTS["garbage2"])
    assert "垃圾分类再推进" in titles(corpus["garbage"])
    restriction = PageViewRestriction.objects.create(page=near, restriction_type="login")
    assert "垃圾分类再推进" not in titles(corpus["garbage"])
    restriction.delete()
    assert "垃圾分类再推进" in titles(corpus["garbage"])
    corpus["garbage2"].unpublish()
    near.unpublish()
    assert titles(corpus["garbage"]) == []


def test_an_article_in_an_offline_column_is_not_listed(corpus, home):
    hidden = NewsIndexPage(title="旧栏目", slug="old")
    home.add_child(instance=hidden)
    published(hidden, "垃圾分类旧闻", TEXTS["garbage2"])
    assert "垃圾分类旧闻" in titles(corpus["garbage"])
    Page.objects.filter(pk=hidden.pk).update(live=False)
    from core import generation

    generation.bump()  # as unpublishing the column does
    assert "垃圾分类旧闻" not in titles(corpus["garbage"])


def test_an_unrelated_article_shows_no_heading(corpus, reader):
    assert titles(corpus["stars"]) == []
    html = reader.get(corpus["stars"].url).content.decode()
    assert HEADING not in html and "related-reading" not in html


def test_follows_publishing_and_unpublishing(corpus, column, reader):
    assert "垃圾分类第三篇" not in section_of(reader, corpus["garbage"])
    third = published(column, "垃圾分类第三篇", TEXTS["garbage2"])
    assert "垃圾分类第三篇" in section_of(reader, corpus["garbage"])
    third.unpublish()
    assert "垃圾分类第三篇" not in section_of(reader, corpus["garbage"])
    assert not KeyWord.objects.filter(article=third).exists()


def test_a_page_kept_in_the_page_cache_follows_publishing_too(corpus, column, reader, settings):
    settings.PAGE_CACHE = "django"
    reader.get(corpus["garbage"].url)
    third = published(column, "垃圾分类第三篇", TEXTS["garbage2"])
    assert "垃圾分类第三篇" in section_of(reader, corpus["garbage"])
    third.unpublish()
    assert "垃圾分类第三篇" not in section_of(reader, corpus["garbage"])


def test_deleting_an_article_takes_its_words_out_of_the_counts(corpus):
    counted = WordCount.objects.get(word="分类").articles
    corpus["garbage2"].delete()
    assert WordCount.objects.get(word="分类").articles == counted - 1
    assert not KeyWord.objects.filter(article_id=corpus["garbage2"].pk).exists()
    assert titles(corpus["garbage"]) == []


def test_another_sites_articles_are_never_listed(corpus, site):
    root = Page.objects.get(depth=1)
    district = root.add_child(instance=HomePage(title="区委党建网", slug="district"))
    Site.objects.create(hostname="district.example.cn", root_page=district)
    news = district.add_child(instance=NewsIndexPage(title="新闻", slug="news"))
    theirs = published(news, "区里的垃圾分类", TEXTS["garbage2"])
    assert KeyWord.objects.filter(article=theirs).exclude(site=site).exists()
    assert "区里的垃圾分类" not in titles(corpus["garbage"])
    assert titles(theirs) == []


def test_one_query_when_not_cached_and_none_when_cached(corpus, column, reader):
    article = corpus["garbage"]
    reader.get(article.url)
    with CaptureQueriesContext(connection) as cached:
        assert reader.get(article.url).status_code == 200
    assert not [sql["sql"] for sql in cached if KEY_WORD_TABLE in sql["sql"]]
    published(column, "无关的新文章", TEXTS["library"])  # a new generation: nothing cached
    reader.get(corpus["tax"].url)  # the menu and the restrictions' sections cached again
    with CaptureQueriesContext(connection) as uncached:
        assert reader.get(article.url).status_code == 200
    assert len([sql for sql in uncached if KEY_WORD_TABLE in sql["sql"]]) == 1
    # Besides it, only the article's own row and the neighbours' two (上一篇/下一篇), found again
    # after the publish too.
    assert len(uncached) <= len(cached) + 4, "\n".join(q["sql"][:150] for q in uncached)


def test_an_empty_or_odd_article_is_no_trouble(column, reader):
    empty = published(column, "通知")
    digits = published(column, "2024", "12345 67890 ……！！ abc")
    for article in (empty, digits):
        response = reader.get(article.url)
        assert response.status_code == 200
        assert HEADING not in response.content.decode()
    assert titles(empty) == []


def test_rebuilding_gives_the_same_lists(corpus):
    before = {name: titles(article) for name, article in corpus.items()}
    KeyWord.objects.all().delete()
    call_command("rebuild_related", stdout=StringIO())
    assert {name: titles(article) for name, article in corpus.items()} == before
    assert IndexedArticle.objects.count() == len(corpus)


def test_setup_site_builds_the_key_words_of_a_site_that_never_had_them(corpus):
    before = {name: titles(article) for name, article in corpus.items()}
    IndexedArticle.objects.all().delete()
    KeyWord.objects.all().delete()
    out = StringIO()
    call_command("setup_site", stdout=out)
    assert "相关阅读" in out.getvalue()
    assert {name: titles(article) for name, article in corpus.items()} == before
    out = StringIO()
    call_command("setup_site", stdout=out)
    assert "相关阅读" not in out.getvalue()  # built already: left as publishing keeps them


def test_key_words_weigh_rare_words_and_mark_tags():
    counts = {"垃圾分类": 3, "社区": 2, "活动": 1}
    found = dict(key_words(counts, {"垃圾分类": 2, "社区": 9, "活动": 10}, 10, ["生态文明"]))
    assert found["垃圾分类"] > found["社区"] > found["活动"]  # 活动, in every article, says little
    assert found[f"{TAG_MARK}生态文明"] == TAG_WEIGHT
    assert abs(sum(found[word] ** 2 for word in counts) - 1) < 1e-9
