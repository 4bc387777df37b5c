"""An imported article's closing 附件 list: the files named there, given beside the text file
(manage.py import_articles) or uploaded with it (导入文章), go into the document library and the
article's 附件; a missing or refused file is an error naming its line, and nothing is written."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents.models import Document

from news.importing.demo_documents import signup_xlsx
from news.importing.seedformat import parse
from news.management.commands.import_articles import files_beside
from news.models import ArticleAttachment, ArticlePage
from tests.news.importing.test_importer import run_import, write
from tests.samples import VALID

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XLSX = signup_xlsx()
SOURCE_LINE = "(来源:青溪党建网)"


def with_attachments(*lines):
    """VALID with these lines after its body, before its closing source line."""
    return VALID.replace(SOURCE_LINE, "\n".join(lines) + "\n\n" + SOURCE_LINE)


TWO_FILES = with_attachments("附件:", "1. 学习通知.pdf", "2、参会回执.xlsx")


def test_the_list_is_read_numbered_or_not_and_kept_out_of_the_text():
    article = parse(TWO_FILES)
    assert [(a.title, a.file_name) for a in article.attachments] == [
        ("附件1：学习通知", "学习通知.pdf"),
        ("附件2：参会回执", "参会回执.xlsx"),
    ]
    assert "附件" not in str(article.sections) + str(article.lead)
    single = parse(with_attachments("附件:学习通知.pdf"))
    assert [(a.title, a.file_name) for a in single.attachments] == [
        ("附件：学习通知", "学习通知.pdf")
    ]


def test_a_line_saying_附件_about_something_else_stays_text():
    article = parse(with_attachments("附件:会议日程见下文"))
    assert article.attachments == []
    assert "附件:会议日程见下文" in str(article.sections)


def test_the_command_takes_the_files_from_beside_the_text_file(column, tmp_path):
    (tmp_path / "学习通知.pdf").write_bytes(PDF)
    (tmp_path / "参会回执.xlsx").write_bytes(XLSX)
    code, _out, err = run_import(write(tmp_path, "a.txt", TWO_FILES), "--parent", "/news/")
    assert code == 0, err
    page = ArticlePage.objects.get()
    assert [(a.title, a.document.title, a.document.file_size) for a in page.attachments.all()] == [
        # The names as the file gives them, in Chinese punctuation (news/importing/punctuation.py).
        ("附件1：学习通知", "学习通知", len(PDF)),
        ("附件2：参会回执", "参会回执", len(XLSX)),
    ]
    # Importing it again updates the article and adds no second copy of either file.
    assert run_import(write(tmp_path, "a.txt", TWO_FILES), "--parent", "/news/")[0] == 0
    assert Document.objects.count() == 2
    assert ArticlePage.objects.get().attachments.count() == 2


def test_the_dry_run_says_which_files_it_would_take_and_which_are_missing(column, tmp_path):
    (tmp_path / "学习通知.pdf").write_bytes(PDF)
    code, out, _err = run_import(write(tmp_path, "a.txt", TWO_FILES), "--dry-run")
    assert code == 0
    assert "附件1：学习通知（学习通知.pdf）" in out
    assert "附件2：参会回执（参会回执.xlsx，找不到该文件）" in out
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"学习通知.pdf": PDF}, "第 28 行：找不到附件“参会回执.xlsx”"),
        ({"学习通知.pdf": PDF, "参会回执.xlsx": b""}, "第 28 行：附件“参会回执.xlsx”"),
        (
            {"学习通知.pdf": b"MZ\x90\x00\x03" + b"\x00" * 60, "参会回执.xlsx": XLSX},
            "附件“学习通知.pdf”：“学习通知.pdf”是 Windows 程序",
        ),
    ],
)
def test_a_missing_empty_or_disguised_file_is_an_error_on_its_line_and_nothing_is_written(
    column, tmp_path, files, message
):
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    stored = Path(settings.MEDIA_ROOT) / "documents"
    before = set(stored.glob("*"))
    code, _out, err = run_import(write(tmp_path, "a.txt", TWO_FILES), "--parent", "/news/")
    assert code == 1
    assert message in err
    assert not ArticlePage.objects.exists() and not Document.objects.exists()
    # Nor is a file stored: the good one waits until every one has passed.
    assert set(stored.glob("*")) == before


def test_a_file_type_the_library_refuses_is_named(column, tmp_path):
    (tmp_path / "脚本.exe").write_bytes(b"MZ")
    code, _out, err = run_import(
        write(tmp_path, "a.txt", with_attachments("附件:脚本.exe")), "--parent", "/news/"
    )
    assert code == 1 and "附件“脚本.exe”" in err
    assert not ArticlePage.objects.exists()


def test_a_name_cannot_reach_outside_the_folder(column, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (tmp_path / "secret.pdf").write_bytes(PDF)
    (folder / "inside.pdf").write_bytes(PDF)
    text = with_attachments("附件:../secret.pdf")
    code, _out, _err = run_import(write(folder, "a.txt", text), "--parent", "/news/")
    # "../secret.pdf" is no file name: the line stays text, and nothing outside is read.
    assert code == 0
    assert not Document.objects.exists()
    # The folder's own guard, whatever name reaches it.
    file_named = files_beside(folder / "a.txt")
    assert file_named("inside.pdf") == PDF
    assert file_named("../secret.pdf") is None
    assert file_named(str(tmp_path / "secret.pdf")) is None


def test_a_web_address_after_附件_stays_text(column, tmp_path):
    article = parse(with_attachments("附件:详见 www.gov.cn"))
    assert article.attachments == []


def test_reimporting_a_file_without_a_list_keeps_the_attachments_given_in_the_admin(
    column, tmp_path
):
    assert run_import(write(tmp_path, "a.txt", VALID), "--parent", "/news/")[0] == 0
    page = ArticlePage.objects.get()
    document = Document.objects.create(title="报名表", file=SimpleUploadedFile("b.pdf", PDF))
    page.attachments.add(ArticleAttachment(document=document, title="附件:报名表"))
    page.save_revision().publish()
    assert run_import(write(tmp_path, "a.txt", VALID), "--parent", "/news/")[0] == 0
    assert [a.title for a in ArticlePage.objects.get().attachments.all()] == ["附件:报名表"]


def import_in_admin(editor_client, column, files):
    """导入文章 with these {name: bytes} selected together with the article a.txt."""
    uploads = [SimpleUploadedFile("a.txt", TWO_FILES.encode())]
    uploads += [SimpleUploadedFile(name, data) for name, data in files.items()]
    response = editor_client.post(
        reverse("news_import_articles"), {"column": column.pk, "files": uploads}, follow=True
    )
    return response.content.decode()


def test_the_admin_takes_the_files_uploaded_with_the_article(editor_client, column):
    html = import_in_admin(editor_client, column, {"学习通知.pdf": PDF, "参会回执.xlsx": XLSX})
    assert html.count("已创建草稿") == 1, html
    assert "附件 2 个已存入文档库" in html
    draft = ArticlePage.objects.get().get_latest_revision_as_object()
    assert [a.title for a in draft.attachments.all()] == ["附件1：学习通知", "附件2：参会回执"]


def test_the_admin_names_a_file_the_article_asks_for_but_was_not_uploaded(editor_client, column):
    html = import_in_admin(editor_client, column, {"学习通知.pdf": PDF})
    assert "a.txt</strong>：第 28 行：找不到附件“参会回执.xlsx”" in html
    assert not ArticlePage.objects.exists()
