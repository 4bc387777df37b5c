"""导入文章 in the admin: drafts from good files, a line-numbered error for each bad one."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import ArticlePage
from tests.samples import VALID


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def test_editor_imports_files_as_drafts_with_an_error_per_bad_file(editor_client, column):
    url = reverse("news_import_articles")
    page = editor_client.get(url)
    assert page.status_code == 200
    assert "导入文章" in page.content.decode()
    response = editor_client.post(
        url,
        {
            "column": column.pk,
            "files": [
                upload("good.txt", VALID),
                upload("bad.txt", VALID.replace("点击数:42", "点击数:很多")),
            ],
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已创建草稿" in html
    assert "bad.txt</strong>：第 14 行：点击数应为非负整数或留空，实际为“很多”" in html
    article = ArticlePage.objects.get()
    assert article.title == "测试导入的文章标题"
    assert not article.live


def post_files(editor_client, column, *files):
    return editor_client.post(
        reverse("news_import_articles"), {"column": column.pk, "files": list(files)}, follow=True
    )


def test_gbk_and_utf16_files_from_windows_notepad_are_read(editor_client, column):
    response = post_files(
        editor_client,
        column,
        SimpleUploadedFile("记事本.txt", VALID.encode("gbk")),
        SimpleUploadedFile("unicode.txt", VALID.replace("测试导入", "另一篇").encode("utf-16")),
    )
    html = response.content.decode()
    assert html.count("已创建草稿") == 2, html
    assert set(ArticlePage.objects.values_list("title", flat=True)) == {
        "测试导入的文章标题",
        "另一篇的文章标题",
    }


def test_an_empty_or_binary_file_is_named_and_the_others_are_imported(editor_client, column):
    response = post_files(
        editor_client,
        column,
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        upload("good.txt", VALID),
    )
    html = response.content.decode()
    assert "empty.txt</strong>：文件是空的。" in html
    assert "photo.txt</strong>：这不是文本文件" in html
    assert "已创建草稿" in html
    assert ArticlePage.objects.get().title == "测试导入的文章标题"


def test_a_broken_word_document_and_one_named_as_text_get_messages_about_word(
    editor_client, column
):
    docx = b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml" * 10
    response = post_files(
        editor_client,
        column,
        SimpleUploadedFile("报告.docx", docx),
        SimpleUploadedFile("报告.txt", docx),
    )
    html = response.content.decode()
    assert "报告.docx</strong>：这个 .docx 文件已损坏，无法打开。" in html
    assert (
        "报告.txt</strong>：这是 Word 文档或表格，不是纯文本文件。Word 文档请以 .docx 文件导入"
        in html
    )
    assert not ArticlePage.objects.exists()


def test_undecodable_text_and_no_file_are_refused(editor_client, column):
    response = post_files(
        editor_client, column, SimpleUploadedFile("x.txt", b"\xff\xfe\xfd abc \x81")
    )
    assert "无法识别文件的文字编码" in response.content.decode() or "这不是文本文件" in (
        response.content.decode()
    )
    response = editor_client.post(reverse("news_import_articles"), {"column": column.pk})
    assert (
        "请选择至少一个文件" in response.content.decode()
        or "这个字段是必填项" in response.content.decode()
    )
    assert not ArticlePage.objects.exists()


def test_reviewers_see_the_import_and_contact_staff_do_not(reviewer_client, staff_client, site):
    url = reverse("news_import_articles")
    assert reviewer_client.get(url).status_code == 200
    assert staff_client.get(url).status_code in (302, 403)
    assert "导入文章" not in staff_client.get(reverse("wagtailadmin_home")).content.decode()


def test_an_admin_import_never_sets_a_count(editor_client, column):
    from news.hits.store import current_count
    from news.importing.importer import import_article
    from news.importing.seedformat import parse

    live = import_article(parse(VALID), column).page  # published by an operator, count 42
    assert current_count(live.pk) == 42
    attack = VALID.replace("点击数:42", "点击数:987654321")
    response = post_files(editor_client, column, upload("same-article.txt", attack))
    assert "已更新为新草稿" in response.content.decode()
    assert current_count(live.pk) == 42

    fresh = VALID.replace("测试导入的文章标题", "新的草稿").replace("点击数:42", "点击数:5000")
    post_files(editor_client, column, upload("new.txt", fresh))
    draft = ArticlePage.objects.get(title="新的草稿")
    assert current_count(draft.pk) == 0


def test_the_admin_header_names_the_import_page_not_the_dashboard(editor_client, column):
    page = editor_client.get(reverse("news_import_articles"))
    assert [item["label"] for item in page.context["breadcrumbs_items"]][-1] == "导入文章"
    assert '<use href="#icon-upload"></use></svg> 导入文章 </a>' in " ".join(
        page.content.decode().split()
    )
