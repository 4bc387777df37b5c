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

Pure: bytes in, plain data out; nothing here touches the database."""

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree.ElementTree import ParseError

import mammoth
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from news.importing.seedformat import AGENDA_RE

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
# A .docx is a zip; these bound what one may unpack to, so a small file cannot fill memory.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 5000
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
INLINE_KEPT = {"b", "i", "a", "br", "sup", "sub"}


class WordFormatError(ValueError):
    """A file that is not a Word document this importer can read; the message says what to do."""


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
    check_package(data)
    pictures = []

    def keep_picture(image):
        with image.open() as stream:
            pictures.append(Picture(stream.read(), image.content_type or "", image.alt_text or ""))
        return {"src": f"picture:{len(pictures) - 1}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=mammoth.images.img_element(keep_picture),
        )
    except (KeyError, ValueError, zipfile.BadZipFile, ParseError) as error:
        raise WordFormatError(
            "无法读取这个 Word 文档,文件可能已损坏。请用 Word 打开后另存为 .docx 再试。"
        ) from error
    elements = HtmlTree.parse(result.value)
    title = document_title(data) or first_heading(elements)
    if not title:
        raise WordFormatError(
            "文档没有标题:请在 Word 的“文件 → 属性”中填写标题,或把第一行设为标题样式。"
        )
    article = WordArticle(title=title[:255], pictures=pictures)
    article.body = body_from(elements, title)
    if not article.body:
        raise WordFormatError("文档除标题外没有正文内容。")
    return article


def check_package(data):
    if data[:4] != b"PK\x03\x04":
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise WordFormatError(
                "这是旧版 Word 文档(.doc):请在 Word 中“另存为” .docx 格式后再导入。"
            )
        raise WordFormatError("这不是 Word 文档(.docx)。")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            names = {part.filename for part in parts}
    except zipfile.BadZipFile as error:
        raise WordFormatError("这个 .docx 文件已损坏,无法打开。") from error
    if "word/document.xml" not in names:
        raise WordFormatError("这不是 Word 文档(.docx):文件中没有正文。")
    if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise WordFormatError("文档解压后过大,无法导入。")


def document_title(data):
    """The title in the document's properties (docProps/core.xml), or ""."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            core = package.read("docProps/core.xml")
        node = fromstring(core).find("{http://purl.org/dc/elements/1.1/}title")
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


def body_from(elements, title):
    """StreamField data: the text before the first agenda heading, then the sections."""
    body, section, subsection = [], None, None
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
            label, heading = agenda["label"][:20], agenda["title"].strip()[:120]
            section = {"label": label, "title": heading, "body": []}
            body.append({"type": "section", "value": section})
            subsection = None
        elif element.tag in HEADINGS and section is not None and text:
            subsection = {"heading": text[:120], "body": []}
            section["body"].append({"type": "subsection", "value": subsection})
        elif element.tag in HEADINGS:
            if text:
                add_rich_text(target(), f"<h3>{escape_text(text)}</h3>")
        elif element.tag == "table":
            table = table_value(element)
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
    return body


def add_rich_text(stream, markup):
    """Consecutive paragraphs and lists become one 段落 block, as an editor would write them."""
    if stream and stream[-1]["type"] == "paragraph":
        stream[-1]["value"] += markup
    else:
        stream.append({"type": "paragraph", "value": markup})


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


def table_value(element):
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
        "columns": [{"type": "text", "heading": heading[:500]} for heading in rows[0]],
        "rows": [{"values": [cell[:500] for cell in row]} for row in rows[1:]],
    }


def table_as_text(table):
    lines = [" | ".join(column["heading"] for column in table["columns"])]
    lines += [" | ".join(row["values"]) for row in table["rows"]]
    return "".join(f"<p>{escape_text(line)}</p>" for line in lines)
