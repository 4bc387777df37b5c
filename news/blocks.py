"""StreamField blocks of an article body: paragraphs, captioned images and agenda sections."""

import copy

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from core import richtext
from news.pictures import known_images, load_images

RICH_TEXT_FEATURES = [
    "bold",
    "italic",
    "link",
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

    heading = blocks.CharBlock(label="小标题", max_length=120, help_text="例如:嘉莲街道友邻中心")
    body = blocks.StreamBlock(
        [("paragraph", ParagraphBlock()), ("image", CaptionedImageBlock())],
        label="内容",
    )

    class Meta:
        icon = "title"
        label = "小节"
        template = "blocks/subsection.html"


class AgendaSectionBlock(blocks.StructBlock):
    """One item of a meeting's agenda: 议程一:实地观摩, with its own paragraphs, pictures and parts."""

    label = blocks.CharBlock(label="议程编号", max_length=20, help_text="例如:议程一")
    title = blocks.CharBlock(label="议程标题", max_length=120, help_text="例如:实地观摩")
    body = blocks.StreamBlock(
        [
            ("paragraph", ParagraphBlock()),
            ("image", CaptionedImageBlock()),
            ("subsection", SubSectionBlock()),
        ],
        label="内容",
    )

    class Meta:
        icon = "list-ol"
        label = "议程"
        template = "blocks/agenda_section.html"
        description = "会议议程中的一项,可包含段落、图片和带小标题的小节"
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
