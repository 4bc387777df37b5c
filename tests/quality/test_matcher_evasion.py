"""The 错敏词 check as an editor trying to get a listed word past it would meet it: another
listed word written against it, or characters a reader does not see put inside it."""

import pytest

from core import content_gate
from core.content_gate import BANNED, STANDARD, TYPO
from quality import checking
from quality.overrides import let_through
from quality.word_lists import AllowedPhrase, ListedWord
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def found(site, text):
    verdict = checking.check_texts(site, [("正文", "body", text)])
    return [(finding.kind, finding.word) for finding in verdict.findings]


def test_a_typo_written_against_a_banned_word_does_not_hide_it(site):
    ListedWord.objects.create(site=site, kind=TYPO, word="甲乙", right="甲丙")
    ListedWord.objects.create(site=site, kind=BANNED, word="乙丙丁")
    assert found(site, "他写了甲乙丙丁。") == [(BANNED, "乙丙丁")]


def test_an_allowed_phrase_of_a_typo_does_not_hide_a_banned_word_overlapping_it(site):
    ListedWord.objects.create(site=site, kind=TYPO, word="甲乙", right="甲丙")
    AllowedPhrase.objects.create(site=site, kind=TYPO, phrase="零甲乙")
    ListedWord.objects.create(site=site, kind=BANNED, word="乙丙丁")
    assert found(site, "零甲乙丙丁") == [(BANNED, "乙丙丁")]


def test_the_start_of_a_longer_listed_word_does_not_hide_a_banned_word(site):
    ListedWord.objects.create(site=site, kind=TYPO, word="示例禁用语", right="示例用语")
    ListedWord.objects.create(site=site, kind=BANNED, word="禁用词")
    assert found(site, "示例禁用词") == [(BANNED, "禁用词")]


def test_of_two_banned_words_overlapping_the_longest_is_the_finding(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例")
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    assert found(site, "一个示例禁用词和一个示例。") == [
        (BANNED, "示例禁用词"),
        (BANNED, "示例"),
    ]


@pytest.mark.parametrize(
    "invisible",
    ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066"],
    ids=[
        "zwsp",
        "zwnj",
        "zwj",
        "word-joiner",
        "bom",
        "soft-hyphen",
        "bidi-override",
        "bidi-isolate",
    ],
)
def test_a_character_readers_do_not_see_inside_a_banned_word_does_not_hide_it(site, invisible):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    text = f"前文示例{invisible}禁用{invisible}词后文"
    # Quoted as readers see it.
    assert found(site, text) == [(BANNED, "示例禁用词")]


def test_a_listed_word_typed_with_an_invisible_character_is_found_without_it(site):
    word = ListedWord(site=site, kind=BANNED, word="示例\u200b禁用词")
    word.full_clean()
    word.save()
    assert word.word == "示例禁用词"
    assert found(site, "前文示例禁用词后文") == [(BANNED, "示例禁用词")]


def test_thousands_of_matches_inside_allowed_phrases_are_no_findings(site):
    # Thousands of matches each inside one of thousands of allowed occurrences: compared pair by
    # pair this took seconds, long enough to hold up a publish.
    ListedWord.objects.create(site=site, kind=TYPO, word="中国", right="中华")
    AllowedPhrase.objects.create(site=site, kind=TYPO, phrase="中国共产党")
    text = "中国共产党" * 8000 + "中国"
    # Found right here; found quickly in bench/word_check.py (its "allowed phrases" case).
    assert found(site, text) == [(TYPO, "中国")]


def test_a_match_inside_any_of_several_overlapping_allowed_phrases_is_no_finding(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="乙丙")
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="甲乙丙丁戊")
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="乙")
    AllowedPhrase.objects.create(site=site, kind=TYPO, phrase="乙丙丁")
    assert found(site, "甲乙丙丁戊") == []
    assert found(site, "乙丙丁") == [(BANNED, "乙丙")]


def test_a_standard_form_padded_with_invisible_characters_is_quoted_and_let_through_as_seen(
    site, column
):
    ListedWord.objects.create(site=site, kind=STANDARD, word="党支部书记记", right="党支部书记")
    padded = "\u200b" * 100
    article = ArticlePageFactory(parent=column, title=f"党支部{padded}书记记讲话{padded}")
    [finding] = content_gate.check_object(article).findings
    assert (finding.word, finding.context) == ("党支部书记记", "党支部书记记讲话")
    override = let_through(article, finding, "原文引用", None)
    override.full_clean(exclude=["user"])
    assert (override.word, override.context) == ("党支部书记记", "党支部书记记讲话")
    assert content_gate.check_object(article)


def test_a_word_written_with_combining_marks_is_found_in_a_text_with_full_width_punctuation(site):
    # The full-width comma makes the text fold character by character: the accent typed after
    # its letter (as a Mac pastes it) must still join it.
    ListedWord.objects.create(site=site, kind=BANNED, word="Café")
    assert found(site, "他说，Cafe\u0301很好。") == [(BANNED, "Cafe\u0301")]


def test_a_word_is_quoted_in_place_when_characters_grow_and_join_in_one_text(site):
    # ㈠ grows by two characters and two accents join their letters: lengths match, places not.
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    verdict = checking.check_texts(site, [("正文", "body", "㈠示例禁用词e\u0301e\u0301")])
    assert [finding.word for finding in verdict.findings] == ["示例禁用词"]
