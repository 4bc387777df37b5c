"""Word import: a .docx becomes a draft article, its headings mapped to 议程 sections and
sub-sections as the text importer maps them, its tables to table blocks, its pictures to the
image library with the document's alt text, and a file that is not a .docx gets a clear error
in the admin and on the command line. The documents are built here with python-docx, and one
was saved by an office suite (LibreOffice Writer 7.4, in Word's format) as reports reach editors."""

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from PIL import Image as PillowImage
from wagtail.images.models import Image, Rendition

from news.importing.wordfiles import WordFormatError, read_docx
from news.models import ArticlePage

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Written by LibreOffice Writer 7.4 (Debian 12) with "Save as Word 2007–365": its own style names,
# numbering, table and picture markup, and the picture's description as its alt text.
SAVED_BY_AN_OFFICE_SUITE = Path(__file__).parent / "files" / "meeting-saved-by-libreoffice.docx"


def png():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (320, 200), (178, 34, 34)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def meeting_report(core_title="全市社会组织党建工作现场推进会召开"):
    """Shaped like the reports editors receive: a title, a lead, agenda headings with visited
    sites under them, a picture with alt text, a table of figures, a list and stray empty
    paragraphs."""
    document = docx.Document()
    document.core_properties.title = core_title
    document.add_heading("全市社会组织党建工作现场推进会召开", level=1)
    lead = document.add_paragraph("5月24日,全市社会组织党建工作现场推进会在")
    lead.add_run("云岭区").bold = True
    lead.add_run("召开。")
    document.add_paragraph("")
    document.add_heading("议程一:实地观摩", level=2)
    document.add_paragraph("与会人员实地观摩了两个服务站点。")
    document.add_heading("嘉莲街道友邻中心", level=3)
    document.add_paragraph("友邻中心为居民提供多样服务。")
    picture = document.add_paragraph().add_run().add_picture(png())
    picture._inline.docPr.set("descr", "友邻中心外景")
    document.add_heading("议程二:座谈会", level=2)
    document.add_paragraph("座谈会上,各单位交流了经验。")
    table = document.add_table(rows=3, cols=2)
    for row, values in zip(
        table.rows, [("单位", "党员人数"), ("第一支部", "12"), ("第二支部", "8")], strict=True
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("会议要求:", style=None)
    document.add_paragraph("压实责任", style="List Bullet")
    document.add_paragraph("强化督导", style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_report_becomes_sections_sub_sections_a_table_a_picture_and_a_list():
    article = read_docx(meeting_report())
    assert article.title == "全市社会组织党建工作现场推进会召开"
    lead, first, second = article.body
    assert lead == {
        "type": "paragraph",
        "value": "<p>5月24日,全市社会组织党建工作现场推进会在<b>云岭区</b>召开。</p>",
    }
    assert (first["value"]["label"], first["value"]["title"]) == ("议程一", "实地观摩")
    intro, site = first["value"]["body"]
    assert intro["value"] == "<p>与会人员实地观摩了两个服务站点。</p>"
    assert site["type"] == "subsection" and site["value"]["heading"] == "嘉莲街道友邻中心"
    text, picture = site["value"]["body"]
    assert text["value"] == "<p>友邻中心为居民提供多样服务。</p>"
    assert picture["type"] == "image" and picture["value"]["image"] == 0
    assert article.pictures[0].alt == "友邻中心外景"
    assert (second["value"]["label"], second["value"]["title"]) == ("议程二", "座谈会")
    talk, table, rest = second["value"]["body"]
    assert talk["value"] == "<p>座谈会上,各单位交流了经验。</p>"
    assert table["type"] == "table"
    assert [c["heading"] for c in table["value"]["columns"]] == ["单位", "党员人数"]
    assert table["value"]["rows"] == [{"values": ["第一支部", "12"]}, {"values": ["第二支部", "8"]}]
    assert rest["value"] == "<p>会议要求:</p><ul><li>压实责任</li><li>强化督导</li></ul>"


def test_headings_styled_in_chinese_word_are_headings():
    document = docx.Document()
    # Named 标题 1, 标题 2 … with the short style ids Chinese word processors write.
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        style.name, style.style_id = f"标题 {level}", str(level)
    document.add_paragraph("街道党建工作会议召开", style="标题 1")
    document.add_paragraph("议程一:实地观摩", style="标题 2")
    document.add_paragraph("友邻中心", style="标题 3")
    document.add_paragraph("参观了党群服务站。")
    buffer = io.BytesIO()
    document.save(buffer)
    article = read_docx(buffer.getvalue())
    assert article.title == "街道党建工作会议召开"
    [section] = article.body
    assert (section["value"]["label"], section["value"]["title"]) == ("议程一", "实地观摩")
    [part] = section["value"]["body"]
    assert part["type"] == "subsection" and part["value"]["heading"] == "友邻中心"


def test_an_editor_imports_a_report_saved_by_an_office_suite(editor_client, column):
    response = editor_client.post(
        reverse("news_import_articles"),
        {
            "column": column.pk,
            "files": [
                SimpleUploadedFile(
                    "现场会.docx", SAVED_BY_AN_OFFICE_SUITE.read_bytes(), content_type=DOCX_TYPE
                )
            ],
        },
        follow=True,
    )
    assert response.status_code == 200
    page = ArticlePage.objects.get(title="嘉莲街道党建工作现场会召开")
    draft = page.get_latest_revision_as_object()
    lead, visit, talk = draft.body
    assert "全区社会组织党建工作现场会在嘉莲街道召开" in lead.value.source
    assert (visit.value["label"], visit.value["title"]) == ("议程一", "实地观摩")
    [site] = visit.value["body"]
    assert site.value["heading"] == "友邻中心"
    text, picture = site.value["body"]
    assert "<b>友邻中心</b>" in text.value.source
    assert Image.objects.get(pk=picture.value["image"].pk).title == "友邻中心外景"
    assert (talk.value["label"], talk.value["title"]) == ("议程二", "座谈交流")
    listed, table, closing = talk.value["body"]
    assert "<ul><li>第一支部</li><li>第二支部</li></ul>" in listed.value.source
    assert [column["heading"] for column in table.value.columns] == ["支部", "党员人数"]
    assert [[cell.value for cell in row] for row in table.value.rows] == [
        ["第一支部", "12"],
        ["第二支部", "9"],
    ]
    assert "转化为工作成效" in closing.value.source


def test_a_picture_in_a_table_cell_follows_the_table_and_a_table_in_a_sub_section_is_text():
    document = docx.Document()
    document.add_heading("街道党建工作简报", level=1)
    document.add_heading("议程一:实地观摩", level=2)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "站点", "照片"
    table.cell(1, 0).text = "友邻中心"
    photo = table.cell(1, 1).paragraphs[0].add_run().add_picture(png())
    photo._inline.docPr.set("descr", "友邻中心外景")
    document.add_heading("嘉莲街道", level=3)
    small = document.add_table(rows=2, cols=2)
    for cell, value in zip(small._cells, ["单位", "人数", "第一支部", "12"], strict=True):
        cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    article = read_docx(buffer.getvalue())
    [section] = article.body
    table_block, picture, part = section["value"]["body"]
    assert table_block["type"] == "table"
    assert table_block["value"]["rows"] == [{"values": ["友邻中心", ""]}]
    assert picture["type"] == "image" and article.pictures[0].alt == "友邻中心外景"
    # A 小节 holds text and pictures: its table is kept as lines of text.
    assert part["value"]["body"] == [
        {"type": "paragraph", "value": "<p>单位 | 人数</p><p>第一支部 | 12</p>"}
    ]


def test_without_a_title_in_its_properties_the_first_heading_is_the_title():
    assert read_docx(meeting_report(core_title="")).title == "全市社会组织党建工作现场推进会召开"


def test_the_importer_saves_a_draft_with_its_picture_in_the_image_library(column):
    from news.importing.importer import import_word_article

    result = import_word_article(read_docx(meeting_report()), column)
    page = ArticlePage.objects.get(pk=result.page.pk)
    assert not page.live and page.get_parent().pk == column.pk
    draft = page.get_latest_revision_as_object()
    image_block = draft.body[1].value["body"][1].value["body"][1]
    image = Image.objects.get(pk=image_block.value["image"].pk)
    assert image.title == "友邻中心外景"
    assert [block.block_type for block in draft.body[2].value["body"]] == [
        "paragraph",
        "table",
        "paragraph",
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text", "这不是 Word 文档（.docx）。"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "“另存为” .docx"),
        (b"PK\x03\x04 broken", "已损坏"),
    ],
)
def test_a_file_that_is_not_a_docx_gets_a_clear_error(data, message):
    with pytest.raises(WordFormatError, match=re.escape(message)):
        read_docx(data)


def test_a_zip_that_is_not_a_word_document_gets_a_clear_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(WordFormatError, match="文件中没有正文"):
        read_docx(buffer.getvalue())


def test_an_editor_imports_a_word_document_in_the_admin_and_gets_a_draft(editor_client, column):
    response = editor_client.post(
        reverse("news_import_articles"),
        {
            "column": column.pk,
            "files": [
                SimpleUploadedFile("推进会.docx", meeting_report(), content_type=DOCX_TYPE),
                SimpleUploadedFile("旧格式.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
            ],
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    page = ArticlePage.objects.get(title="全市社会组织党建工作现场推进会召开")
    assert not page.live
    assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
    assert "旧格式.doc" in html and "“另存为” .docx" in html


def test_import_articles_takes_a_docx_as_a_draft(column, tmp_path, capsys):
    path = tmp_path / "推进会.docx"
    path.write_bytes(meeting_report())
    call_command("import_articles", str(path), "--parent", "/news/")
    assert "已创建草稿《全市社会组织党建工作现场推进会召开》" in capsys.readouterr().out
    assert not ArticlePage.objects.get(title="全市社会组织党建工作现场推进会召开").live
    # Its picture's renditions made by the import, not by the first preview.
    assert Rendition.objects.exists()


def test_import_articles_reports_a_bad_docx_and_imports_nothing(column, tmp_path, capsys):
    path = tmp_path / "坏文件.docx"
    path.write_bytes(b"not a word file")
    with pytest.raises(CommandError):
        call_command("import_articles", str(path), "--parent", "/news/")
    assert "这不是 Word 文档" in capsys.readouterr().err


def test_a_picture_the_image_library_refuses_is_left_out_and_said(column):
    from news.importing.importer import import_word_article
    from news.importing.wordfiles import Picture, WordArticle

    truncated = png().getvalue()[:60]
    emf = b"\x01\x00\x00\x00" + b"\0" * 80
    article = WordArticle(
        title="带图片的报道",
        body=[
            {"type": "paragraph", "value": "<p>正文。</p>"},
            {"type": "image", "value": {"image": 0, "caption": ""}, "picture": True},
            {"type": "image", "value": {"image": 1, "caption": ""}, "picture": True},
        ],
        pictures=[Picture(truncated, "image/png", "会场"), Picture(emf, "image/x-emf", "")],
    )
    result = import_word_article(article, column)
    draft = ArticlePage.objects.get(pk=result.page.pk).get_latest_revision_as_object()
    assert [block.block_type for block in draft.body] == ["paragraph"]
    assert article.messages == [
        "第 1 张图片无法识别（例如 Word 绘图），已跳过。",
        "第 2 张图片无法识别（例如 Word 绘图），已跳过。",
    ]
    assert not Image.objects.filter(title="会场").exists()


def test_a_heading_or_cell_too_long_for_its_field_is_shortened_and_said():
    """A Word import is a draft the editor checks: what its field cannot hold is kept to the
    field's length, and the import says which text and by how much, never silently."""
    document = docx.Document()
    document.core_properties.title = "长标题的报道"
    document.add_paragraph("导语。")
    document.add_heading("议程一：" + "观" * 130, level=2)
    document.add_heading("站" * 125, level=3)
    document.add_paragraph("正文。")
    document.add_heading("议程二：座谈会", level=2)
    table = document.add_table(rows=2, cols=1)
    table.rows[0].cells[0].text = "单位"
    table.rows[1].cells[0].text = "格" * 510
    buffer = io.BytesIO()
    document.save(buffer)
    article = read_docx(buffer.getvalue())
    first, second = (block["value"] for block in article.body if block["type"] == "section")
    assert first["title"] == "观" * 120
    assert first["body"][-1]["value"]["heading"] == "站" * 120
    assert second["body"][-1]["value"]["rows"][0]["values"] == ["格" * 500]
    assert article.messages == [
        f"议程标题“{'观' * 20}…”有 130 个字，超过上限 120 个字，草稿中只保留了前 120 个字，请核对。",
        f"小标题“{'站' * 20}…”有 125 个字，超过上限 120 个字，草稿中只保留了前 120 个字，请核对。",
        f"表格单元格“{'格' * 20}…”有 510 个字，超过上限 500 个字，草稿中只保留了前 500 个字，请核对。",
    ]
