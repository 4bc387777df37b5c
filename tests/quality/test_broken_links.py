"""失效链接 (quality/links.py): the links of live pages found where they are, internal targets
judged (unpublished, deleted, restricted, document deleted, file missing), external ones through
the local server; the report, its filters and export, 立即检查 in the background, the editor's
warning in the page editor, and the daily job's step."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry, Page, PageViewRestriction

from news.models import ArticleAttachment, ArticlePage, NewsIndexPage
from news.roles import EDITORS
from quality import links, nightly
from quality.link_checker import BROKEN, OK, REVIEW
from quality.links_models import FoundLink, LinkCheckRun, LinkTarget
from quality.safety_roles import CONTENT_SAFETY
from tests.admin_forms import user_in
from tests.factories import library_document

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]


def article(column, title, body, user=None, **fields):
    page = ArticlePage(title=title, source="测试来源", body=body, **fields)
    column.add_child(instance=page)
    page.save_revision(user=user).publish()
    return page


def paragraph(html):
    return {"type": "paragraph", "value": html}


def page_link(page, words):
    return f'<a linktype="page" id="{page.pk}">{words}</a>'


def document_link(document, words):
    return f'<a linktype="document" id="{document.pk}">{words}</a>'


@pytest.fixture
def editor(site, django_user_model):
    return user_in(django_user_model, EDITORS, "editor", first_name="王编辑")[0]


@pytest.fixture
def safety(site, django_user_model):
    """A member of 内容安全管理, signed in (.user)."""
    return user_in(django_user_model, CONTENT_SAFETY, "anquan", first_name="周安全")[1]


@pytest.fixture
def linking(site, home, column, other_column, editor, server, image):
    """An article linking to every kind of target, each in a known state."""
    working = article(other_column, "正常的文章", [])
    withdrawn = article(other_column, "撤下的文章", [])
    withdrawn.unpublish()
    deleted = article(other_column, "删除的文章", [])
    internal = NewsIndexPage(title="内部资料", slug="internal")
    home.add_child(instance=internal)
    internal.save_revision().publish()
    PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)
    restricted = article(internal, "内部文章", [])
    kept = library_document("通知全文", "notice.pdf")
    gone = library_document("已删除的文件", "gone.pdf")
    lost = library_document("文件丢失", "lost.pdf")
    lost.file.storage.delete(lost.file.name)
    image.file.storage.delete(image.file.name)
    body = [
        paragraph(
            f"<p>{page_link(working, '正常页面')}{page_link(withdrawn, '撤下页面')}"
            f"{page_link(deleted, '删除页面')}{page_link(restricted, '内部页面')}</p>"
        ),
        {
            "type": "section",
            "value": {
                "label": "议程一",
                "title": "实地观摩",
                "body": [
                    paragraph(
                        f'<p><a href="{server.base}/ok">外部正常</a>'
                        f'<a href="{server.base}/missing">外部失效</a>'
                        f'<a href="{server.base}/soft-404">像是不存在</a>'
                        '<a href="mailto:dangban@example.cn">信箱</a><a href="#top">顶部</a></p>'
                    ),
                    {"type": "attachment", "value": {"document": gone.pk, "title": ""}},
                ],
            },
        },
        paragraph(f"<p>{document_link(kept, '全文')}{document_link(lost, '丢失的全文')}</p>"),
    ]
    page = article(
        column,
        "有链接的文章",
        body,
        user=editor,
        cover_image=image,
        attachments=[ArticleAttachment(document=lost)],
    )
    deleted.delete()
    gone.delete()
    return page


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Runs what waits for a commit, as the end of a request's transaction would. Work that
    quality/link_watch.py promised while the pages were built is dropped first: a test's
    transaction never commits, and the promise would stand for the same work asked again."""

    def commit():
        transaction.get_connection().run_on_commit.clear()
        return django_capture_on_commit_callbacks(execute=True)

    return commit


def outcomes(page):
    return {
        link.text or link.where: (link.target.outcome, link.target.detail)
        for link in FoundLink.objects.filter(page=page).select_related("target")
    }


def test_every_link_of_a_live_page_is_found_and_judged(linking, site):
    links.find_links(site)
    links.check_external(site)
    found = outcomes(linking)
    assert found["正常页面"] == (OK, "")
    assert found["撤下页面"] == (BROKEN, "页面已取消发布")
    assert found["删除页面"] == (BROKEN, "页面已删除")
    assert found["内部页面"][0] == BROKEN and "访问限制" in found["内部页面"][1]
    assert found["全文"] == (OK, "")
    assert found["丢失的全文"] == (BROKEN, "文档的文件在存储中已丢失")
    assert found["正文 › 议程（第2块） › 附件（第2块） › 文件"] == (BROKEN, "文档已删除")
    assert found["封面图片"] == (BROKEN, "图片的文件在存储中已丢失")
    assert found["附件（第1项） › 文件"] == (BROKEN, "文档的文件在存储中已丢失")
    assert found["外部正常"][0] == OK
    assert found["外部失效"] == (BROKEN, "HTTP 404")
    assert found["像是不存在"][0] == REVIEW
    # mailto: and an anchor on the same page are not checked.
    assert "信箱" not in found and "顶部" not in found


def test_each_link_says_where_it_is_and_who_wrote_the_live_version(linking, site, editor):
    links.find_links(site)
    link = FoundLink.objects.get(page=linking, text="外部失效")
    assert link.where == "正文 › 议程（第2块） › 段落（第1块）"
    assert link.editor == editor and link.editor_name == "王编辑"
    assert link.site == site


def test_an_address_used_on_two_pages_is_checked_once(linking, site, column, server):
    article(column, "另一篇", [paragraph(f'<p><a href="{server.base}/missing">又一处</a></p>')])
    links.find_links(site)
    links.check_external(site)
    target = LinkTarget.objects.get(address=f"{server.base}/missing")
    assert target.uses.count() == 2
    assert [path for _, path, _ in server.requests].count("/missing") == 1


def test_links_of_pages_no_longer_live_are_dropped(linking, site, server):
    links.find_links(site)
    linking.unpublish()
    links.find_links(site)
    assert not FoundLink.objects.filter(page=linking).exists()
    assert not LinkTarget.objects.filter(address=f"{server.base}/missing").exists()


def test_the_report_lists_broken_links_filtered_by_outcome(linking, site, safety):
    links.find_links(site)
    links.check_external(site)
    response = safety.get(reverse("quality_broken_links"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "有链接的文章" in content and "页面已删除" in content and "王编辑" in content
    # 内容安全管理 may not edit pages: the title leads to the page as readers see it.
    assert reverse("wagtailadmin_pages:edit", args=[linking.pk]) not in content
    # (The slug address, which redirects to the article's own: no query per row.)
    assert f'href="{Page.objects.get(pk=linking.pk).url}"' in content
    assert "正常页面" not in content
    only_review = safety.get(reverse("quality_broken_links"), {"outcome": REVIEW})
    assert "像是不存在" in only_review.content.decode()
    assert "页面已删除" not in only_review.content.decode()


def test_the_report_exports_a_spreadsheet(linking, site, safety):
    links.find_links(site)
    response = safety.get(reverse("quality_broken_links"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("页面", "页面网址", "位置")
    assert any(row[0] == "有链接的文章" and row[7] == "页面已删除" for row in rows[1:])
    csv = safety.get(reverse("quality_broken_links"), {"export": "csv"})
    assert "有链接的文章" in csv.getvalue().decode("utf-8-sig")


def test_the_report_is_for_content_safety_only(site, editor_client):
    # Wagtail answers a refusal in the admin by sending the user to the dashboard.
    assert editor_client.get(reverse("quality_broken_links")).status_code == 302
    assert editor_client.post(reverse("quality_check_links")).status_code == 302
    assert not LinkCheckRun.objects.exists()
    assert reverse("quality_broken_links") not in editor_client.get("/admin/").content.decode()


def test_the_report_is_in_the_menu_of_content_safety(site, safety):
    assert reverse("quality_broken_links") in safety.get("/admin/").content.decode()


def test_check_now_runs_in_the_background_once_at_a_time(linking, site, safety, monkeypatch):
    started = []
    monkeypatch.setattr(links, "start_thread", started.append)
    response = safety.post(reverse("quality_check_links"), follow=True)
    assert "已开始检查链接" in response.content.decode()
    assert "链接检查进行中" in response.content.decode()
    again = safety.post(reverse("quality_check_links"), follow=True)
    assert "正在进行中" in again.content.decode()
    assert len(started) == 1
    # What the thread does, here in the test's own connection.
    report = links.run(started[0])
    assert "失效" in report
    run = LinkCheckRun.objects.get()
    assert run.finished_at is not None and run.requested_by == safety.user
    entry = ModelLogEntry.objects.get(action=links.CHECKED)
    assert entry.user == safety.user and entry.data["report"] == report
    assert "上次检查于" in safety.get(reverse("quality_broken_links")).content.decode()


def test_a_run_left_by_a_dead_process_does_not_block_the_next(site):
    from django.utils import timezone

    stale = LinkCheckRun.objects.create(site=site, started_at=timezone.now() - links.STALE_RUN * 2)
    assert links.claim(site) is not None
    stale.refresh_from_db()
    assert stale.finished_at is not None and "中断" in stale.report


def test_the_editor_sees_the_broken_links_of_the_page(linking, site, editor, client):
    links.find_links(site)
    group = Group.objects.get(name=EDITORS)
    assert editor.groups.filter(pk=group.pk).exists()
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[linking.pk]))
    content = response.content.decode()
    assert "个链接有问题" in content
    assert "正文 › 段落（第1块）的“撤下页面”：站内页面" in content


def test_the_daily_job_checks_the_links(linking, site):
    words = nightly.run()
    assert "失效链接" in words and "失效 " in words
    assert FoundLink.objects.filter(page=linking, target__outcome=BROKEN).exists()


def test_a_link_mended_and_published_leaves_the_report(linking, site, committing):
    links.find_links(site)
    assert links.broken_links_of(linking).exists()
    linking.body = [paragraph("<p>链接已删去。</p>")]
    linking.cover_image = None
    linking.attachments = []
    with committing():
        linking.save_revision().publish()
    assert not links.broken_links_of(linking).exists()


def test_links_to_a_page_are_judged_again_when_it_is_withdrawn_or_restricted(
    site, column, other_column, committing
):
    target = article(other_column, "被链接的文章", [])
    page = article(column, "链接它的文章", [paragraph(f"<p>{page_link(target, '参见')}</p>")])
    links.find_links(site)
    assert outcomes(page)["参见"] == (OK, "")
    with committing():
        target.unpublish()
    assert outcomes(page)["参见"] == (BROKEN, "页面已取消发布")
    with committing():
        target.save_revision().publish()
    assert outcomes(page)["参见"] == (OK, "")
    with committing():
        PageViewRestriction.objects.create(
            page=other_column, restriction_type=PageViewRestriction.LOGIN
        )
    assert outcomes(page)["参见"][0] == BROKEN


def test_links_to_a_page_moved_into_a_restricted_column_are_judged_again(
    site, home, column, other_column, committing
):
    target = article(other_column, "将移入内部栏目的文章", [])
    page = article(column, "链接它的文章", [paragraph(f"<p>{page_link(target, '参见')}</p>")])
    internal = NewsIndexPage(title="内部资料", slug="internal")
    home.add_child(instance=internal)
    internal.save_revision().publish()
    PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.LOGIN)
    links.find_links(site)
    assert outcomes(page)["参见"] == (OK, "")
    with committing():
        target.move(internal, pos="last-child")
    assert "访问限制" in outcomes(page)["参见"][1]


def test_links_to_a_deleted_document_are_judged_again_at_once(site, column, committing):
    document = library_document("会议通知", "meeting.pdf")
    page = article(column, "附通知的文章", [paragraph(f"<p>{document_link(document, '通知')}</p>")])
    links.find_links(site)
    assert outcomes(page)["通知"] == (OK, "")
    with committing():
        document.delete()
    assert outcomes(page)["通知"] == (BROKEN, "文档已删除")


@pytest.mark.django_db(transaction=True)
def test_check_now_finishes_in_a_thread_of_its_own(site, column, server, safety, monkeypatch):
    article(column, "有坏链的文章", [paragraph(f'<p><a href="{server.base}/missing">坏链</a></p>')])
    threads, start = [], links.start_thread
    monkeypatch.setattr(links, "start_thread", lambda claimed: threads.append(start(claimed)))
    response = safety.post(reverse("quality_check_links"))
    assert response.status_code == 302
    threads[0].join(timeout=60)
    run = LinkCheckRun.objects.get()
    assert run.finished_at is not None and "失效 1 个" in run.report
    assert FoundLink.objects.get(text="坏链").target.detail == "HTTP 404"


def test_an_inline_rows_key_back_to_its_page_is_no_link(site, column, committing):
    document = library_document("附件全文", "annex.pdf")
    page = ArticlePage(title="有标签和附件的文章", source="测试来源", body=[])
    page.tags.add("党建")
    page.attachments = [ArticleAttachment(document=document)]
    column.add_child(instance=page)
    page.save_revision().publish()
    links.find_links(site)
    found = FoundLink.objects.filter(page=page).select_related("target")
    assert [(link.where, link.target.address) for link in found] == [
        ("附件（第1项） › 文件", links.internal("document", document.pk))
    ]
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    links.find_links(site)
    assert not links.broken_links_of(page).exists()


def test_every_place_a_link_is_found_is_named_in_chinese(linking, site):
    links.find_links(site)
    for where in FoundLink.objects.values_list("where", flat=True):
        assert not re.search("[A-Za-z]", where), where


def test_the_links_of_a_page_readers_cannot_open_are_not_reported(linking, site, safety):
    links.find_links(site)
    assert links.broken_links_of(linking).exists()
    # Restricted since the check: its rows stay until the next one, and are not shown.
    PageViewRestriction.objects.create(page=linking, restriction_type=PageViewRestriction.LOGIN)
    assert not links.broken_links_of(linking).exists()
    assert "有链接的文章" not in safety.get(reverse("quality_broken_links")).content.decode()
    links.find_links(site)
    assert not FoundLink.objects.filter(page=linking).exists()


def test_the_header_counts_the_links_as_they_stand_since_the_last_check(
    site, column, other_column, safety, committing
):
    target = article(other_column, "被链接的文章", [])
    article(column, "链接它的文章", [paragraph(f"<p>{page_link(target, '参见')}</p>")])
    assert "失效 0 个" in links.run(links.claim(site))
    with committing():
        target.unpublish()
    content = safety.get(reverse("quality_broken_links")).content.decode()
    assert "参见" in content
    # (The other link is the home page's 通知公告栏目.)
    assert "目前共 2 个链接，失效 1 个" in content and "失效 0 个" not in content
