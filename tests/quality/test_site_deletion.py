"""A site that has 错敏词 lists can still be deleted (设置 → 站点): its words, phrases and the
version stamp of its lists go with it, and nothing is left pointing at it."""

import pytest
from django.db import connection

from core.content_gate import BANNED
from quality.word_lists import AllowedPhrase, ListedWord, ListVersion

pytestmark = pytest.mark.django_db


def test_a_site_with_lists_is_deleted_with_them(site, other_site):
    ListedWord.objects.create(site=other_site, kind=BANNED, word="示例禁用词")
    AllowedPhrase.objects.create(site=other_site, kind=BANNED, phrase="示例禁用词组")
    ListedWord.objects.create(site=site, kind=BANNED, word="本站的词")
    other_site.delete()
    assert list(ListVersion.objects.values_list("site_id", flat=True)) == [site.pk]
    assert not ListedWord.objects.filter(site_id=other_site.pk).exists()
    connection.check_constraints()


def test_a_deleted_word_is_still_seen_by_every_process(site):
    word = ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    before = ListVersion.objects.get(site=site).number
    word.delete()
    assert ListVersion.objects.get(site=site).number == before + 1
