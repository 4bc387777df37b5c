"""附件: files from the document library listed under an article and placed in its text, shown
with their Chinese names, kinds and sizes, downloaded under those names, and counted as uses."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ReferenceIndex
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from news.library.files import size_in_words
from news.models import ArticleAttachment, ArticlePage
from tests.admin_forms import article_form
from tests.factories import ArticlePageFactory, library_document

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 2000


@pytest.fixture
def notice_pdf(db):
    return library_document("关于召开党建工作会议的通知", "会议通知.pdf", PDF)


@pytest.fixture
def signup_sheet(db):
    return library_document("参会回执", "报名表.xlsx", b"PK\x03\x04" + b"x" * 5000)


def published_with(column, attachments=(), body=None):
    article = ArticlePageFactory(parent=column, title="关于召开党建工作会议的通知")
    if body is not None:
        article.body = body
    for number, (doc, title) in enumerate(attachments):
        article.attachments.add(ArticleAttachment(document=doc, title=title, sort_order=number))
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def page_html(article):
    response = Client().get(article.url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_attachment_list_shows_each_file_with_its_name_kind_and_size_in_order(
    column, notice_pdf, signup_sheet
):
    article = published_with(column, [(notice_pdf, ""), (signup_sheet, "附件2:参会回执表")])
    html = page_html(article)
    listing = re.search(r'<section class="attachments".*?</section>', html, re.S).group(0)
    assert '<h2 id="attachments-heading">附件</h2>' in listing
    items = re.findall(r"<li>(.*?)</li>", listing, re.S)
    assert len(items) == 2
    assert "关于召开党建工作会议的通知" in items[0] and "（PDF，2.0\xa0KB）" in items[0]
    assert "附件2:参会回执表" in items[1] and "（Excel，4.9\xa0KB）" in items[1]
    assert f'href="{notice_pdf.url}" download' in items[0]


def test_sizes_are_written_in_one_unit_style_however_small_or_large_the_file(column):
    small = library_document("回执", "回执.pdf", b"%PDF-1.4\n" + b"0" * 426)
    article = published_with(column, [(small, "")])
    assert "（PDF，0.4\xa0KB）" in page_html(article)
    sizes = [size_in_words(n) for n in (1, 435, 5222, 20 * 1024 * 1024, 3 * 1024**3)]
    assert sizes == ["0.1\xa0KB", "0.4\xa0KB", "5.1\xa0KB", "20.0\xa0MB", "3.0\xa0GB"]
    # A file just over a limit is told its size rounded up, never the limit's own figure.
    assert size_in_words(5 * 1024 * 1024 + 10, up=True) == "5.1\xa0MB"
    assert size_in_words(5 * 1024 * 1024, up=True) == "5.0\xa0MB"


def test_an_article_without_attachments_shows_no_attachment_heading(column):
    assert "attachments-heading" not in page_html(published_with(column))


def test_a_download_is_saved_under_the_documents_chinese_title_and_names_no_encoding(
    column, notice_pdf
):
    published_with(column, [(notice_pdf, "")])
    response = Client().get(notice_pdf.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # The title, not the stored name (which storage may have given a suffix).
    assert f"filename*=utf-8''{quote('关于召开党建工作会议的通知.pdf')}" in disposition
    assert "Content-Encoding" not in response


def test_a_download_answers_only_reading_methods(notice_pdf):
    assert Client().post(notice_pdf.url).status_code == 405


def test_a_title_with_characters_no_file_system_takes_gives_a_safe_name(db):
    from news.library.downloads import download_name

    doc = library_document('2024/05 "通知":第1号', "notice.pdf", PDF)
    assert download_name(doc) == "2024 05  通知 第1号.pdf"


def test_an_attachment_in_the_text_is_a_download_link_with_kind_and_size(column, notice_pdf):
    body = [
        {"type": "paragraph", "value": "<p>请各单位按要求报名。</p>"},
        {"type": "attachment", "value": {"document": notice_pdf.pk, "title": "会议通知"}},
    ]
    html = page_html(published_with(column, body=body))
    inline = re.search(r'<p class="attachment attachment--inline">.*?</p>', html, re.S).group(0)
    assert "附件：" in inline and ">会议通知</a>" in inline and "（PDF，2.0\xa0KB）" in inline
    assert f'href="{notice_pdf.url}"' in inline


def test_a_document_link_in_rich_text_is_kept_as_a_reference_and_shown_as_its_url(
    column, notice_pdf
):
    body = [
        {
            "type": "paragraph",
            "value": f'<p>详见<a linktype="document" id="{notice_pdf.pk}">会议通知</a>。</p>',
        }
    ]
    article = published_with(column, body=body)
    assert f'linktype="document" id="{notice_pdf.pk}"' in article.body.raw_data[0]["value"]
    assert f'<a href="{notice_pdf.url}">会议通知</a>' in page_html(article)


def test_every_use_of_a_document_is_counted_in_the_library(
    column, notice_pdf, superuser_client, django_capture_on_commit_callbacks
):
    listed_and_placed = [{"type": "attachment", "value": {"document": notice_pdf.pk, "title": ""}}]
    linked = [
        {
            "type": "paragraph",
            "value": f'<p><a linktype="document" id="{notice_pdf.pk}">通知</a></p>',
        }
    ]
    # Wagtail records what a page uses once its publish has committed, as on the site.
    with django_capture_on_commit_callbacks(execute=True):
        first = published_with(column, [(notice_pdf, "")], body=listed_and_placed)
    with django_capture_on_commit_callbacks(execute=True):
        second = published_with(column, body=linked)
        second.title = "关于报送学习材料的通知"
        second.save_revision().publish()
    # Three uses (a 附件 row, a 附件 block, a link) in two articles: the library counts articles.
    assert len(ReferenceIndex.get_references_to(notice_pdf)) == 3
    edit = superuser_client.get(reverse("wagtaildocs:edit", args=(notice_pdf.pk,)))
    assert "已使用2次" in edit.content.decode()
    usage = superuser_client.get(reverse("wagtaildocs:document_usage", args=(notice_pdf.pk,)))
    assert (
        first.title in usage.content.decode() and "关于报送学习材料的通知" in usage.content.decode()
    )


def test_an_editor_adds_attachments_through_the_article_form(editor_client, column, notice_pdf):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    data = {
        **article_form(),
        **nested_form_data(
            {
                "attachments": inline_formset(
                    [{"document": notice_pdf.pk, "title": "会议通知(PDF)"}]
                ),
                "body": streamfield(
                    [
                        ("paragraph", rich_text("<p>导语。</p>")),
                        ("attachment", {"document": notice_pdf.pk, "title": ""}),
                    ]
                ),
            }
        ),
    }
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(title="后台创建的文章").get_latest_revision_as_object()
    assert [(a.document_id, a.title) for a in article.attachments.all()] == [
        (notice_pdf.pk, "会议通知(PDF)")
    ]
    assert [block.block_type for block in article.body] == ["paragraph", "attachment"]
