"""The demo's sample 错敏词 lists: made-up words of each list, none in the demo articles, so the
demo publishes as it is and an editor who types one sees the check at work."""

import pytest

from core import content_gate
from core.content_gate import BANNED, STANDARD, TYPO
from news.importing.demo import load_demo_content
from news.models import ArticlePage
from quality import checking
from quality.demo_words import load_demo_words
from quality.word_lists import AllowedPhrase, ListedWord

pytestmark = pytest.mark.django_db


def test_the_demo_lists_have_each_kind_and_load_once(site):
    load_demo_words(site)
    load_demo_words(site)
    assert set(ListedWord.objects.values_list("kind", flat=True)) == {
        BANNED,
        STANDARD,
        TYPO,
    }
    assert ListedWord.objects.count() == 7 and AllowedPhrase.objects.count() == 1
    verdict = checking.check_texts(
        site, [("正文", "body", "查阅示例禁用词典时写了示例禁用詞和再接再励")]
    )
    assert [(f.kind, f.word) for f in verdict.findings] == [
        (BANNED, "示例禁用詞"),
        (TYPO, "再接再励"),
    ]


def test_no_demo_article_holds_a_demo_word(site):
    load_demo_content(site)
    load_demo_words(site)
    articles = ArticlePage.objects.live()
    assert articles.exists()
    for article in articles.specific():
        assert content_gate.check_object(article).findings == [], article.title
