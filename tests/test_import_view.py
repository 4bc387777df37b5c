"""导入文章 in the admin: drafts from good files, a line-numbered error for each bad one."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import ArticlePage
from tests.test_importer import VALID
from tests.test_roles import editor, reviewer, staff  # noqa: F401 - fixtures


def upload(name, text):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def test_editor_imports_files_as_drafts_with_an_error_per_bad_file(editor, column):  # noqa: F811
    url = reverse("news_import_articles")
    page = editor.get(url)
    assert page.status_code == 200
    assert "导入文章" in page.content.decode()
    response = editor.post(
        url,
        {
            "column": column.pk,
            "files": [
                upload("good.txt", VALID),
                upload("bad.txt", VALID.replace("点击数:42", "点击数:很多")),
            ],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已创建草稿" in html
    assert "bad.txt</strong>:第 14 行: 点击数应为非负整数或留空,实际为“很多”" in html
    article = ArticlePage.objects.get()
    assert article.title == "测试导入的文章标题"
    assert not article.live


def test_import_rejects_non_utf8_and_missing_files(editor, column):  # noqa: F811
    url = reverse("news_import_articles")
    response = editor.post(
        url,
        {"column": column.pk, "files": [SimpleUploadedFile("gbk.txt", VALID.encode("gb18030"))]},
    )
    assert "gbk.txt</strong>:文件不是 UTF-8 编码。" in response.content.decode()
    response = editor.post(url, {"column": column.pk})
    assert (
        "请选择至少一个文件" in response.content.decode()
        or "这个字段是必填项" in response.content.decode()
    )
    assert not ArticlePage.objects.exists()


def test_reviewers_see_the_import_and_contact_staff_do_not(reviewer, staff, site):  # noqa: F811
    url = reverse("news_import_articles")
    assert reviewer.get(url).status_code == 200
    assert staff.get(url).status_code in (302, 403)
    assert "导入文章" not in staff.get(reverse("wagtailadmin_home")).content.decode()
