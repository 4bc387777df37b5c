"""The files and the 通知公告 the demo adds to show what official documents carry: a notice with a
centred title, a table, a signature and two 附件 (a PDF drawn with Pillow and a spreadsheet written
as Office Open XML here), so the demo needs no downloaded files; and a report's 视频 block, with a
six-second clip made for the demo (news/demo/video.webm, 38 KB), Chinese captions and a transcript."""

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents import get_document_model

from news.models import ArticleAttachment, ArticlePage

NOTICE_TITLE = "关于开展2024年度基层党组织书记述职评议工作的通知"
DEMO_VIDEO = Path(__file__).resolve().parent.parent / "demo" / "video.webm"
VIDEO_TITLE = "党建服务阵地观摩交流（视频）"
VIDEO_CAPTIONS = """WEBVTT

00:00.000 --> 00:02.500
青溪党建网

00:02.500 --> 00:06.000
党建服务阵地观摩交流
"""
SIGNUP_ROWS = [
    ["单位", "参会人员", "职务", "联系电话"],
    ["云岭区溪山街道党工委", "", "", ""],
    ["云岭区睦邻社区党委", "", "", ""],
]


def notice_pdf():
    """A one-page PDF: the notice's letterhead and text lines, drawn as a picture."""
    page = PillowImage.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((120, 150, 1120, 170), fill=(178, 34, 34))
    for line in range(24):
        width = 1000 if line % 6 else 600
        draw.rectangle((120, 260 + line * 52, 120 + width, 276 + line * 52), fill=(200, 200, 200))
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=150)
    return buffer.getvalue()


def signup_xlsx():
    """A spreadsheet of one sheet, SIGNUP_ROWS in inline strings: the smallest file Excel and
    WPS open without complaint."""

    def cell(column, row, text):
        ref = f"{chr(65 + column)}{row}"
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'

    rows = "".join(
        f'<row r="{r}">{"".join(cell(c, r, text) for c, text in enumerate(values))}</row>'
        for r, values in enumerate(SIGNUP_ROWS, 1)
    )
    main = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{main}/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{main}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}/spreadsheetml/2006/main" xmlns:r="{main}/officeDocument/2006/relationships">'
            '<sheets><sheet name="参会回执" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{main}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{main}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return buffer.getvalue()


def library_document(title, filename, content):
    Document = get_document_model()
    existing = Document.objects.filter(title=title).first()
    if existing:
        return existing
    document = Document(title=title)
    document.file.save(filename, ContentFile(content), save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def add_official_notice(column, published_at):
    """The demo's 通知公告 in the form of a 公文, with its two 附件."""
    notice = library_document(NOTICE_TITLE, "述职评议工作通知.pdf", notice_pdf())
    signup = library_document("参会回执表", "参会回执表.xlsx", signup_xlsx())
    table = {
        "caption": "述职评议工作安排",
        "columns": [
            {"type": "text", "heading": "阶段"},
            {"type": "text", "heading": "时间"},
            {"type": "text", "heading": "主要内容"},
        ],
        "rows": [
            {"values": ["述职准备", "1月5日前", "撰写述职报告，征求党员群众意见"]},
            {"values": ["现场述职", "1月15日前", "逐一述职，接受现场提问"]},
            {"values": ["评议测评", "1月20日前", "民主测评，汇总结果并反馈"]},
        ],
    }
    article = ArticlePage(
        title=NOTICE_TITLE,
        source="青溪市委组织部",
        published_at=published_at,
        summary="部署2024年度基层党组织书记抓基层党建工作述职评议考核。",
        body=[
            {"type": "document_title", "value": NOTICE_TITLE},
            {"type": "paragraph", "value": "<p>各区委组织部，市直机关工委，各基层党组织：</p>"},
            {
                "type": "paragraph",
                "value": "<p>为压实基层党建工作责任，经研究，决定开展2024年度基层党组织书记"
                "抓基层党建工作述职评议考核。现将有关事项通知如下。</p>",
            },
            {"type": "table", "value": table},
            {
                "type": "paragraph",
                "value": "<p>请各单位于1月3日前填写参会回执（见附件2）并报送市委组织部组织科。</p>",
            },
            {"type": "signature", "value": "中共青溪市委组织部\n2024年12月20日"},
        ],
    )
    column.add_child(instance=article)
    article.attachments.add(ArticleAttachment(document=notice, title="附件1：述职评议工作通知"))
    article.attachments.add(ArticleAttachment(document=signup, title="附件2：参会回执表"))
    article.save_revision().publish()
    return article


def add_video(article, poster):
    """A captioned 视频 block after the article's first block, its poster one of the demo's
    pictures."""
    video = library_document(VIDEO_TITLE, "guanmo-jiaoliu.webm", DEMO_VIDEO.read_bytes())
    captions = library_document("观摩交流视频字幕", "guanmo-jiaoliu.vtt", VIDEO_CAPTIONS.encode())
    stream = list(article.body.raw_data)
    stream.insert(
        1,
        {
            "type": "video",
            "value": {
                "video": video.pk,
                "title": "党建服务阵地观摩交流",
                "poster": poster.pk,
                "captions": captions.pk,
                "transcript": "画面：青溪党建网。字幕：党建服务阵地观摩交流。",
            },
        },
    )
    article.body = stream
    article.save_revision().publish()
    return article
