"""The nightly re-scan finds newly listed words on pages already live, and 报告 → 内容检查 shows
them to those who fix them."""

import csv
import io

import pytest
from django.urls import reverse

from core.content_gate import BANNED, STANDARD, TYPO
from quality import nightly, rescan
from quality.scan_findings import ScanFinding
from quality.word_lists import ListedWord
from tests.factories import ArticlePageFactory, section

pytestmark = pytest.mark.django_db
REPORT = reverse("quality_scan_findings")


@pytest.fixture
def old_article(column, django_user_model):
    """Live since before the word was listed, last saved by 王编辑."""
    article = ArticlePageFactory(
        parent=column,
        title="基层组织建设推进会召开",
        body=[section("议程一", "实地观摩", ("参观现场", ["会上有人说了旧说法一词。"]))],
    )
    editor = django_user_model.objects.create_user("wang", first_name="编辑", last_name="王")
    article.save_revision(user=editor)
    return article


def test_a_word_listed_after_publishing_is_found_on_the_live_page(site, old_article):
    assert rescan.scan_site(site)[1] == 0
    ListedWord.objects.create(site=site, kind=BANNED, word="旧说法")
    checked, found = rescan.scan_site(site)
    assert checked >= 1 and found == 1
    finding = ScanFinding.objects.get()
    assert finding.page_id == old_article.pk and finding.word == "旧说法"
    assert "议程一" in finding.where and "旧说法一词" in finding.context
    assert finding.editor.get_username() == "wang" and finding.blocks


def test_each_scan_replaces_the_last_and_only_live_pages_are_read(site, column, old_article):
    word = ListedWord.objects.create(site=site, kind=BANNED, word="旧说法")
    draft = ArticlePageFactory(parent=column, title="草稿里的旧说法", live=False)
    rescan.scan_site(site)
    assert list(ScanFinding.objects.values_list("page_id", flat=True)) == [old_article.pk]
    word.delete()
    assert rescan.scan_site(site)[1] == 0 and not ScanFinding.objects.exists()
    assert draft.pk


def test_the_daily_job_scans_and_says_so(site, old_article):
    ListedWord.objects.create(site=site, kind=STANDARD, word="旧说法", right="新说法")
    assert "发现 1 处" in nightly.run()
    assert ScanFinding.objects.get().right == "新说法"


def test_the_report_lists_the_finding_with_a_link_to_fix_it(site, old_article, reviewer_client):
    ListedWord.objects.create(site=site, kind=BANNED, word="旧说法")
    rescan.scan_site(site)
    page = reviewer_client.get(REPORT)
    assert page.status_code == 200
    text = page.content.decode()
    assert "基层组织建设推进会召开" in text and "旧说法一词" in text and "王编辑" in text
    assert reverse("wagtailadmin_pages:edit", args=[old_article.pk]) in text


def test_the_report_exports_to_csv(site, old_article, reviewer_client):
    ListedWord.objects.create(site=site, kind=BANNED, word="旧说法")
    rescan.scan_site(site)
    answer = reviewer_client.get(REPORT, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["页面", "网址", "类型"]
    assert rows[1][0] == "基层组织建设推进会召开" and rows[1][2] == "禁用词"


def test_an_editor_without_the_permission_is_refused(site, old_article, editor_client):
    answer = editor_client.get(REPORT)
    assert answer.status_code in (302, 403)


def test_a_reviewer_sees_only_the_findings_of_their_sites(
    site, old_article, other_site, reviewer_client
):
    ListedWord.objects.create(site=site, kind=BANNED, word="旧说法")
    rescan.scan_site(site)
    ScanFinding.objects.update(site=other_site)
    # Two sites: a reviewer whose group holds no permission on the other site's pages sees none
    # of its findings (the reviewers' page permissions are on the first site's pages).
    assert "旧说法一词" not in reviewer_client.get(REPORT).content.decode()


def test_the_report_says_which_findings_must_be_fixed_and_which_were_let_through(
    site, old_article, reviewer_client
):
    rows = [("禁用甲", BANNED, True), ("规范乙", STANDARD, False), ("易错丙", TYPO, False)]
    for word, kind, blocks in rows:
        ScanFinding.objects.create(
            site=site,
            page=old_article,
            kind=kind,
            word=word,
            where="正文",
            context=word,
            blocks=blocks,
        )
    answer = reviewer_client.get(REPORT, {"export": "csv"})
    table = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    effect = table[0].index("影响")
    said = {row[table[0].index("词语")]: row[effect] for row in table[1:]}
    assert said == {"禁用甲": "须改正", "规范乙": "已放行", "易错丙": "提醒"}
    assert "<th" in (html := reviewer_client.get(REPORT).content.decode()) and "已放行" in html
