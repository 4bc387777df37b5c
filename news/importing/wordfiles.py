"""Reading a Word document (.docx) as an article: mammoth (a maintained .docx-to-HTML converter)
turns it into plain semantic HTML, and this module maps that HTML onto the article's body in the
way the text importer maps a text file.

- Title: the document's own title (文件 → 属性), else its first heading.
- A heading or paragraph that reads "议程一:实地观摩" starts an agenda section; a heading under it
  starts a sub-section (小节). Other headings stay headings inside the text.
- Paragraphs and lists are kept with their bold, italic and links; empty paragraphs are dropped.
- Tables become table blocks, the first row giving the column headings.
- Pictures become image blocks, each carried with its bytes and the document's alt text, for the
  importer to put in the image library; a picture in a table cell follows its table.

The file is opened and measured first (news/importing/docxpackage.py): mammoth only ever reads a
document whose every part decompresses, whose XML parses without a DTD, and whose text,
paragraphs, elements and nesting are within bounds; its pictures are counted against a pixel
budget as they come. Conversion then takes time in proportion to the document (its parts are
gathered in lists and joined once, never grown by copying).

Pure: bytes in, plain data out; nothing here touches the database."""

import gc
import io
import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree.ElementTree import ParseError

import mammoth
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from news.body_limits import CELL_LIMIT, HEADING_LIMIT, LABEL_LIMIT
from news.importing.docxpackage import PictureBudget, WordFormatError, open_package
from news.importing.seedformat import AGENDA_RE

logger = logging.getLogger(__name__)

# Word's headings in English and in Chinese Word, and its title style, as HTML headings; bold and
# italic as the editor stores them.
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='标题'] => h1:fresh
p[style-name='标题 1'] => h1:fresh
p[style-name='标题 2'] => h2:fresh
p[style-name='标题 3'] => h3:fresh
p[style-name='标题 4'] => h4:fresh
b => b
i => i
"""
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# An article's title (Page.title): a longer one is refused, not cut, so that no word is lost.
TITLE_LIMIT = 255
INLINE_KEPT = {"b", "i", "a", "br", "sup", "sub"}

__all__ = ["Picture", "WordArticle", "WordFormatError", "read_docx"]


@dataclass
class Picture:
    data: bytes
    content_type: str
    alt: str


@dataclass
class WordArticle:
    title: str
    # StreamField data as the importer stores it; a picture's image is Picture until saved.
    body: list = field(default_factory=list)
    pictures: list = field(default_factory=list)
    messages: list = field(default_factory=list)


def read_docx(data: bytes) -> WordArticle:
    parts = open_package(data)
    elements, pictures = converted(data)
    title = document_title(parts) or first_heading(elements)
    if not title:
        raise WordFormatError(
            "文档没有标题：请在 Word 的“文件 → 属性”中填写标题，或把第一行设为标题样式。"
        )
    if len(title) > TITLE_LIMIT:
        raise WordFormatError(
            f"文档标题过长：最多 {TITLE_LIMIT} 个字，这份文档的标题有 {len(title)} 个字。"
            "请在 Word 中缩短标题后重新导入。"
        )
    article = WordArticle(title=title, pictures=pictures)
    article.body = body_from(elements, title, article.messages)
    if not article.body:
        raise WordFormatError("文档除标题外没有正文内容。")
    return article


def converted(data):
    """(the document as a tree of HTML elements, its pictures) from mammoth."""
    pictures, budget = [], PictureBudget()

    def keep_picture(image):
        try:
            with image.open() as stream:
                content = stream.read()
        except (KeyError, ValueError, OSError):
            # A picture linked from outside the file (mammoth opens none) or missing from it:
            # kept empty, so that the image library refuses it and the result says so.
            content = b""
        budget.add(content)
        pictures.append(Picture(content, image.content_type or "", image.alt_text or ""))
        return {"src": f"picture:{len(pictures) - 1}"}

    try:
        with collector_paused():
            result = mammoth.convert_to_html(
                io.BytesIO(data),
                style_map=STYLE_MAP,
                convert_image=mammoth.images.img_element(keep_picture),
            )
            return HtmlTree.parse(result.value), pictures
    except WordFormatError:
        raise
    except Exception as error:  # mammoth on a document that passed every check: still a file
        logger.warning("mammoth could not convert a Word document: %r", error)
        raise WordFormatError(
            "无法读取这个 Word 文档，文件可能已损坏。请用 Word 打开后另存为 .docx 再试。"
        ) from error


@contextmanager
def collector_paused():
    """Python's cycle collector off while mammoth builds its millions of small objects: it ran
    every 700 allocations and took 45 % of a conversion's time (measured on 33,000 paragraphs),
    for no cycles worth collecting; what there is, it collects once switched back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def document_title(parts):
    """The title in the document's properties (docProps/core.xml), or ""."""
    try:
        node = fromstring(parts["docProps/core.xml"]).find(
            "{http://purl.org/dc/elements/1.1/}title"
        )
    except (KeyError, ParseError, DefusedXmlException):
        return ""
    return " ".join((node.text or "").split()) if node is not None else ""


# The converted HTML as a small tree ------------------------------------------------------------


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)  # Node or str

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find_all(self, tag):
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag:
                    yield child
                yield from child.find_all(tag)


def escape_text(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attr(text):
    return escape_text(text).replace('"', "&quot;")


class HtmlTree(HTMLParser):
    VOID = {"br", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("root", {})
        self.stack = [self.root]

    @classmethod
    def parse(cls, markup):
        parser = cls()
        parser.feed(markup)
        parser.close()
        return parser.root.children

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def first_heading(elements):
    for element in elements:
        if isinstance(element, Node) and element.tag in HEADINGS and element.text().strip():
            return " ".join(element.text().split())
    return ""


# From the tree to the body ----------------------------------------------------------------------


def body_from(elements, title, messages):
    """StreamField data: the text before the first agenda heading, then the sections; what had to
    be shortened to fit its field is said in `messages`."""
    body, section, subsection = [], None, None

    def fitted(text, limit, what):
        if len(text) > limit:
            messages.append(
                f"{what}“{text[:20]}…”有 {len(text)} 个字，超过上限 {limit} 个字，"
                f"草稿中只保留了前 {limit} 个字，请核对。"
            )
        return text[:limit]

    title_skipped = False

    def target():
        if subsection is not None:
            return subsection["body"]
        return section["body"] if section is not None else body

    for element in elements:
        if not isinstance(element, Node):
            continue
        text = " ".join(element.text().split())
        if element.tag in HEADINGS and not title_skipped and text == title:
            title_skipped = True  # the title is the page's, not repeated in its text
            continue
        agenda = AGENDA_RE.match(text) if element.tag in HEADINGS | {"p"} else None
        if agenda:
            label = fitted(agenda["label"], LABEL_LIMIT, "议程编号")
            heading = fitted(agenda["title"].strip(), HEADING_LIMIT, "议程标题")
            section = {"label": label, "title": heading, "body": []}
            body.append({"type": "section", "value": section})
            subsection = None
        elif element.tag in HEADINGS and section is not None and text:
            subsection = {"heading": fitted(text, HEADING_LIMIT, "小标题"), "body": []}
            section["body"].append({"type": "subsection", "value": subsection})
        elif element.tag in HEADINGS:
            if text:
                add_rich_text(target(), f"<h3>{escape_text(text)}</h3>")
        elif element.tag == "table":
            table = table_value(element, fitted)
            if table and subsection is None:
                target().append({"type": "table", "value": table})
            elif table:  # sub-sections hold text and pictures only
                add_rich_text(target(), table_as_text(table))
            # A table cannot hold a picture: one in a cell follows the table.
            for picture in element.find_all("img"):
                target().append(picture_block(picture))
        elif element.tag in {"p", "ul", "ol"}:
            for picture in element.find_all("img"):
                target().append(picture_block(picture))
            markup = rich_markup(element)
            if markup:
                add_rich_text(target(), markup)
    return joined_rich_text(body)


def add_rich_text(stream, markup):
    """Consecutive paragraphs and lists become one 段落 block, as an editor would write them. Its
    markup is gathered as a list, joined by joined_rich_text: a string grown by `+=` inside the
    block was copied whole each time, and a long document cost the square of its length."""
    if stream and stream[-1]["type"] == "paragraph":
        stream[-1]["value"].append(markup)
    else:
        stream.append({"type": "paragraph", "value": [markup]})


def joined_rich_text(stream):
    """The stream with each 段落 block's gathered markup joined into its rich text."""
    for block in stream:
        if block["type"] == "paragraph":
            block["value"] = "".join(block["value"])
        elif block["type"] in {"section", "subsection"}:
            joined_rich_text(block["value"]["body"])
    return stream


def rich_markup(element):
    """The paragraph or list as rich text, or "" when it holds no words (an empty paragraph, or
    one that only held a picture)."""
    if not element.text().strip():
        return ""
    if element.tag == "p":
        return f"<p>{inline(element)}</p>"
    items = "".join(f"<li>{inline(item)}</li>" for item in element.children if is_node(item, "li"))
    return f"<{element.tag}>{items}</{element.tag}>"


def is_node(item, tag):
    return isinstance(item, Node) and item.tag == tag


def inline(element):
    """The words of a paragraph or list item with the inline markup the editor keeps."""
    parts = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(escape_text(child))
        elif child.tag in INLINE_KEPT:
            parts.append(wrap(child, inline(child)))
        elif child.tag not in {"img", "ul", "ol"}:
            parts.append(inline(child))  # spans and the like: their words only
    return "".join(parts)


def wrap(element, inner):
    if element.tag == "br":
        return "<br>"
    if element.tag == "a":
        href = element.attrs.get("href", "")
        return f'<a href="{escape_attr(href)}">{inner}</a>' if href else inner
    return f"<{element.tag}>{inner}</{element.tag}>"


def picture_block(img):
    number = int(re.sub(r"\D", "", img.attrs.get("src", "")) or -1)
    return {"type": "image", "value": {"image": number, "caption": ""}, "picture": True}


def table_value(element, fitted):
    """A table block's value; a cell longer than the block allows is shortened by `fitted`."""
    rows = [
        [
            " ".join(cell.text().split())
            for cell in row.children
            if is_node(cell, "td") or is_node(cell, "th")
        ]
        for row in element.find_all("tr")
    ]
    rows = [row for row in rows if any(row)]
    if not rows:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    return {
        "caption": "",
        "columns": [
            {"type": "text", "heading": fitted(heading, CELL_LIMIT, "表格单元格")}
            for heading in rows[0]
        ],
        "rows": [
            {"values": [fitted(cell, CELL_LIMIT, "表格单元格") for cell in row]} for row in rows[1:]
        ],
    }


def table_as_text(table):
    lines = [" | ".join(column["heading"] for column in table["columns"])]
    lines += [" | ".join(row["values"]) for row in table["rows"]]
    return "".join(f"<p>{escape_text(line)}</p>" for line in lines)
