"""Words and phrases that would make a list say something its keeper did not mean: a word whose
normal form (NFKC) grows past the column, a "word" of punctuation alone that would stop every
article, an allowed phrase that is the listed word itself and so switches it off. Each is
refused in Chinese, by hand and from a file, and nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.content_gate import BANNED, TYPO
from quality.safety_roles import CONTENT_SAFETY
from quality.word_lists import WORD_LENGTH, AllowedPhrase, ListedWord
from tests.admin_forms import user_in

pytestmark = pytest.mark.django_db

ADD = reverse("quality_words:add")
ADD_PHRASE = reverse("quality_phrases:add")
IMPORT = reverse("quality_words:import")


@pytest.fixture
def keeper(site, django_user_model):
    return user_in(django_user_model, CONTENT_SAFETY, "anquan")[1]


def add_word(client, site, word, kind=BANNED, right=""):
    data = {"site": site.pk, "kind": kind, "word": word, "right": right, "note": ""}
    return client.post(ADD, data)


def test_a_word_that_grows_past_the_column_when_normalised_is_refused(keeper, site):
    # ㈠ is one character typed and three once normalised: "(一)".
    word = "㈠" * 40
    response = add_word(keeper, site, word)
    assert response.status_code == 200
    assert f"不能超过 {WORD_LENGTH} 个字" in response.content.decode()
    response = add_word(keeper, site, "示例", kind=TYPO, right=word)
    assert f"不能超过 {WORD_LENGTH} 个字" in response.content.decode()
    assert not ListedWord.objects.exists()


def test_an_allowed_phrase_that_grows_past_the_column_is_refused(keeper, site):
    data = {"site": site.pk, "kind": BANNED, "phrase": "㈠" * 40, "note": ""}
    response = keeper.post(ADD_PHRASE, data)
    assert response.status_code == 200
    assert f"不能超过 {WORD_LENGTH} 个字" in response.content.decode()
    assert not AllowedPhrase.objects.exists()


@pytest.mark.parametrize("word", ["，", "……", "!?", "“”", "- -"])
def test_a_word_of_punctuation_alone_is_refused(keeper, site, word):
    response = add_word(keeper, site, word)
    assert response.status_code == 200
    assert "只有标点" in response.content.decode()
    response = keeper.post(
        IMPORT,
        {
            "site": site.pk,
            "kind": BANNED,
            "file": SimpleUploadedFile("a.txt", f"示例禁用词\n{word}\n".encode()),
        },
    )
    assert "第 2 行" in response.content.decode() and "只有标点" in response.content.decode()
    assert not ListedWord.objects.exists()


def test_a_symbol_may_be_listed(keeper, site):
    assert add_word(keeper, site, "🕯").status_code == 302


def test_an_allowed_phrase_that_is_the_listed_word_itself_is_refused(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    data = {"site": site.pk, "kind": BANNED, "phrase": "示例禁用词", "note": ""}
    response = keeper.post(ADD_PHRASE, data)
    assert response.status_code == 200
    assert "就是禁用词“示例禁用词”" in response.content.decode()
    assert not AllowedPhrase.objects.exists()
    # Of another list it is a phrase like any other.
    assert keeper.post(ADD_PHRASE, {**data, "kind": TYPO}).status_code == 302


def test_a_word_that_is_an_allowed_phrase_of_its_list_is_refused(keeper, site):
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="禁山镇")
    response = add_word(keeper, site, "禁山镇")
    assert response.status_code == 200
    assert "是禁用词的允许短语" in response.content.decode()
    assert not ListedWord.objects.exists()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "gb18030"])
def test_a_text_file_saved_by_notepad_in_any_of_its_encodings_is_read(keeper, site, encoding):
    text = "示例禁用词\n另一个词\n"
    content = text.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content
    response = keeper.post(
        IMPORT,
        {"site": site.pk, "kind": BANNED, "file": SimpleUploadedFile("a.txt", content)},
    )
    assert response.status_code == 302
    assert sorted(ListedWord.objects.values_list("word", flat=True)) == ["另一个词", "示例禁用词"]


def test_a_broken_utf16_file_is_refused_in_chinese(keeper, site):
    content = b"\xff\xfe" + "示例".encode("utf-16-le") + b"\x00\xd8"
    response = keeper.post(
        IMPORT,
        {"site": site.pk, "kind": BANNED, "file": SimpleUploadedFile("a.txt", content)},
    )
    assert "无法识别文件的编码" in response.content.decode()
    assert not ListedWord.objects.exists()


def test_a_banned_word_with_an_equals_sign_comes_back_from_its_text_export(keeper, site):
    ListedWord.objects.create(site=site, kind=BANNED, word="A=B")
    exported = keeper.get(reverse("quality_words:export", args=("txt",)), {"kind": BANNED}).content
    ListedWord.objects.all().delete()
    response = keeper.post(
        IMPORT,
        {"site": site.pk, "kind": BANNED, "file": SimpleUploadedFile("a.txt", exported)},
    )
    assert response.status_code == 302
    assert list(ListedWord.objects.values_list("word", flat=True)) == ["A=B"]
