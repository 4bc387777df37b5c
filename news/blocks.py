"""StreamField blocks of an article body: paragraphs, captioned images and agenda sections, and
what official documents carry: attachments, tables, a centred title, a right-aligned signature and
video."""

import copy

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import (
    TypedTable,
    TypedTableBlock,
    TypedTableBlockValidationError,
)
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from core import richtext
from news.body_limits import CELL_LIMIT, HEADING_LIMIT, LABEL_LIMIT
from news.library.files import extension
from news.pictures import known_images, load_images

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
    "document-link",
    "ol",
    "ul",
    "h3",
    "h4",
    "hr",
    "superscript",
    "subscript",
]


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    def get_prep_value(self, value):
        return richtext.clean(super().get_prep_value(value), self.features)

    class Meta:
        icon = "pilcrow"
        label = "段落"
        template = "blocks/paragraph.html"


class BodyImageChooserBlock(ImageChooserBlock):
    """Takes the images prefetched for the request, or loads them with their renditions."""

    def bulk_to_python(self, values):
        values = list(values)
        images = known_images(values)
        images.update(load_images(set(values) - set(images)))
        # A picture used twice in a body gets an instance for each use.
        return [copy.copy(images[value]) if value in images else None for value in values]


class CaptionedImageBlock(blocks.StructBlock):
    image = BodyImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="图片说明", required=False, max_length=255)

    class Meta:
        icon = "image"
        label = "图片"
        template = "blocks/image.html"


class SubSectionBlock(blocks.StructBlock):
    """A sub-headed part inside an agenda section, such as one visited site."""

    heading = blocks.CharBlock(
        label="小标题", max_length=HEADING_LIMIT, help_text="例如：嘉莲街道友邻中心"
    )
    body = blocks.StreamBlock(
        [("paragraph", ParagraphBlock()), ("image", CaptionedImageBlock())],
        label="内容",
    )

    class Meta:
        icon = "title"
        label = "小节"
        template = "blocks/subsection.html"


class AttachmentBlock(blocks.StructBlock):
    """A file from the document library offered for download where the text mentions it."""

    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(
        label="显示名称", required=False, max_length=255, help_text="留空则使用文件的标题"
    )

    class Meta:
        icon = "doc-full"
        label = "附件"
        template = "blocks/attachment.html"


class TableBlock(TypedTableBlock):
    """A table the editor fills in: column headings, rows of text or numbers, and a caption
    (表题) that screen readers announce."""

    text = blocks.CharBlock(label="文字", required=False, max_length=CELL_LIMIT)
    number = blocks.DecimalBlock(label="数字", required=False)
    rich_text = ParagraphBlock(label="带格式文字", features=["bold", "italic", "link"])

    def value_from_datadict(self, data, files, prefix):
        # Wagtail reads every field of the table's form as present; a post missing one (made
        # by hand, or cut short) is an incomplete table for clean() to refuse, not a server error.
        try:
            return super().value_from_datadict(data, files, prefix)
        except (KeyError, ValueError):
            table = TypedTable(columns=[], row_data=[], caption="")
            table.incomplete = True
            return table

    def clean(self, value):
        if getattr(value, "incomplete", False):
            raise TypedTableBlockValidationError(
                non_block_errors=[ValidationError("表格数据不完整，请重新填写。")]
            )
        return super().clean(value)

    class Meta:
        icon = "table"
        label = "表格"
        template = "blocks/table.html"


class DocumentTitleBlock(blocks.CharBlock):
    """A 公文's title, centred above its text."""

    class Meta:
        icon = "title"
        label = "居中标题"
        template = "blocks/document_title.html"


class SignatureBlock(blocks.TextBlock):
    """A 公文's signature: the issuing body and the date, right-aligned, one per line."""

    class Meta:
        icon = "edit"
        label = "落款"
        template = "blocks/signature.html"
        help_text = "每行一项，例如第一行写单位名称，第二行写日期"


VIDEO_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}


class VideoBlock(blocks.StructBlock):
    """A video from the document library (MP4 or WebM), played by the browser's own player,
    with a poster picture, captions (a WebVTT file) and a transcript for those who cannot hear
    or watch it."""

    video = DocumentChooserBlock(label="视频文件", help_text="MP4 或 WebM 格式，先上传到文档库")
    title = blocks.CharBlock(label="视频标题", max_length=255)
    poster = BodyImageChooserBlock(label="封面图片", required=False)
    captions = DocumentChooserBlock(
        label="字幕文件", required=False, help_text="WebVTT（.vtt）格式的中文字幕"
    )
    transcript = blocks.TextBlock(label="文字稿", required=False)

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if extension(value["video"]) not in VIDEO_TYPES:
            errors["video"] = ValidationError("视频文件须为 MP4 或 WebM 格式。")
        if value["captions"] and extension(value["captions"]) != "vtt":
            errors["captions"] = ValidationError("字幕文件须为 WebVTT（.vtt）格式。")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["video_type"] = VIDEO_TYPES.get(extension(value["video"]), "")
        return context

    class Meta:
        icon = "media"
        label = "视频"
        template = "blocks/video.html"


class AgendaSectionBlock(blocks.StructBlock):
    """One item of a meeting's agenda: 议程一:实地观摩, with its own paragraphs, pictures and parts."""

    label = blocks.CharBlock(label="议程编号", max_length=LABEL_LIMIT, help_text="例如：议程一")
    title = blocks.CharBlock(label="议程标题", max_length=HEADING_LIMIT, help_text="例如：实地观摩")
    body = blocks.StreamBlock(
        [
            ("paragraph", ParagraphBlock()),
            ("image", CaptionedImageBlock()),
            ("subsection", SubSectionBlock()),
            ("table", TableBlock()),
            ("attachment", AttachmentBlock()),
        ],
        label="内容",
    )

    class Meta:
        icon = "list-ol"
        label = "议程"
        template = "blocks/agenda_section.html"
        description = "会议议程中的一项，可包含段落、图片和带小标题的小节"
        preview_value = {
            "label": "议程一",
            "title": "实地观摩",
            "body": [
                ("paragraph", "<p>与会人员实地观摩了社区党群服务中心。</p>"),
                (
                    "subsection",
                    {
                        "heading": "云岭区睦邻服务站",
                        "body": [("paragraph", "<p>服务站为居民提供多样服务。</p>")],
                    },
                ),
            ],
        }


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    section = AgendaSectionBlock()
    document_title = DocumentTitleBlock()
    table = TableBlock()
    attachment = AttachmentBlock()
    video = VideoBlock()
    signature = SignatureBlock()
