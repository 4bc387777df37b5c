"""A Word document (.docx) opened within bounds, before mammoth reads any of it.

A .docx is a zip of XML parts and pictures. Mammoth (news/importing/wordfiles.py) trusts it: a
zip entry it cannot decompress, an XML part with a DOCTYPE, a mismatched tag or bytes that are not
UTF-8, or elements nested a thousand deep each ended in a traceback, and a 115 KB file could hold
20 MB of text for it to chew on. Here every part is decompressed once (so a damaged entry is found
now), and every XML part, and every part mammoth will read as XML whatever its name (found, as
mammoth finds it, through the relationships), is read by a strict streaming parser (expat, no DTD
allowed) that counts what conversion will cost: characters of text, paragraphs, elements, nesting. A file over a bound
is refused with a Chinese message before any conversion starts, so the cost of a conversion that
does start is bounded by the constants below.

Pure: bytes in, a WordFormatError or nothing out.
"""

import io
import posixpath
import struct
import warnings
import zipfile
import zlib
from pyexpat import ExpatError, ParserCreate

from defusedxml.ElementTree import fromstring
from PIL import Image as PillowImage

from news.library import contents

# What one document may hold. An article of 50 万字 is a long book; real reports are a few
# thousand characters. The cost of a conversion grows with the elements, so these bound it:
# at the limits, mammoth and the mapping take a few seconds.
MAX_TEXT_CHARS = 500_000
MAX_PARAGRAPHS = 20_000
# Every XML element of every part: conversion costs some 30 µs an element, and 200,000 is some
# 40,000 runs of differently formatted text (the styles and numbering of a Word file hold
# 5,000-20,000; a 50-page report some 80,000 in all).
MAX_ELEMENTS = 200_000
# Word writes 10-30 levels (a picture in a text box in a table cell); mammoth and the mapping
# recurse once or more per level, and Python's stack ends near 1,000 frames.
MAX_DEPTH = 100
# A table in a table cell happens in layouts; deeper than this is not a report.
MAX_TABLE_DEPTH = 5
# Pictures: each goes into the image library and gets its renditions made in the import's
# background work; forty 36-megapixel photos (1,440 megapixels) once took a worker down.
# 300 megapixels is some 25 photos from a phone camera; Word itself shrinks pictures to 220 ppi.
MAX_PICTURES = 100
MAX_PICTURE_PIXELS = 300_000_000
# The zip: its entries and what they unpack to (a Word file has 15-30 entries plus its pictures).
MAX_PARTS = 1000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

# Word's own namespace, and the one of the "Strict Open XML" format Word can also save.
WORD_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
PARAGRAPH = {f"{namespace} p" for namespace in WORD_NAMESPACES}
TABLE = {f"{namespace} tbl" for namespace in WORD_NAMESPACES}
TEXT = {f"{namespace} t" for namespace in WORD_NAMESPACES}
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AGAIN = "请用 Word 打开后“另存为” .docx 再试。"


class WordFormatError(ValueError):
    """A file that is not a Word document this importer can read; the message says what to do."""


def open_package(data: bytes) -> dict:
    """{part name: its bytes} of a .docx, every part decompressed and every XML part checked;
    raises WordFormatError saying what is wrong and what to do."""
    check_signature(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            check_entries(parts)
            contents = {part.filename: read_entry(package, part) for part in parts}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, struct.error) as error:
        raise WordFormatError(f"这个 .docx 文件已损坏，无法打开。{SAVE_AGAIN}") from error
    counts = Counts()
    scanned = set()
    for name, content in contents.items():
        if name.endswith((".xml", ".rels")):
            scan_xml(name, content, counts)
            scanned.add(name)
    # Mammoth finds the main part, and the parts it uses, through the relationships, whatever
    # their names: every one of them is scanned and counted, named .xml or not.
    read_by_mammoth = parts_mammoth_reads(contents)
    if MAIN_FALLBACK not in contents and not (read_by_mammoth & contents.keys()):
        raise WordFormatError("这不是 Word 文档（.docx）：文件中没有正文。")
    for name in sorted(read_by_mammoth - scanned):
        if name in contents:
            scan_xml(name, contents[name], counts)
    return contents


RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAIN_FALLBACK = "word/document.xml"
# The parts of the main document mammoth reads, by the end of their relationship's type.
DOCUMENT_PARTS = ("/styles", "/numbering", "/footnotes", "/endnotes", "/comments")


def relationship_targets(contents, rels_name, base):
    """{type: part name} of a relationships part (already scanned: it parses, with no DTD)."""
    if rels_name not in contents:
        return {}
    root = fromstring(contents[rels_name])
    return {
        node.get("Type", ""): posixpath.normpath(
            posixpath.join(
                "/" if node.get("Target", "").startswith("/") else base, node.get("Target", "")
            )
        ).lstrip("/")
        for node in root.iter(RELATIONSHIPS)
        if node.get("TargetMode") != "External"
    }


def parts_mammoth_reads(contents):
    """The main document part and the parts of it mammoth reads, as mammoth finds them."""
    package = relationship_targets(contents, "_rels/.rels", "")
    main = next((t for kind, t in package.items() if kind.endswith("/officeDocument")), None)
    main = main if main in contents else MAIN_FALLBACK
    folder, file_name = posixpath.split(main)
    document = relationship_targets(
        contents, posixpath.join(folder, "_rels", f"{file_name}.rels"), folder
    )
    used = {target for kind, target in document.items() if kind.endswith(DOCUMENT_PARTS)}
    return {main, *used}


def check_signature(data):
    if not data:
        raise WordFormatError("文件是空的。")
    if data.startswith(b"PK\x03\x04"):
        return
    if data.startswith(OLE_SIGNATURE):
        # Word keeps a document with an open password in an OLE file around its encrypted zip.
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise WordFormatError(
                "这个 Word 文档设置了打开密码：请在 Word 中取消密码（文件 → 信息 → 保护文档）后再导入。"
            )
        raise WordFormatError(
            "这是旧版 Word 文档（.doc）：请在 Word 中“另存为” .docx 格式后再导入。"
        )
    head = data[:1024].lstrip().lower()
    if b"<html" in head or head.startswith((b"<!doctype html", b"mime-version")):
        raise WordFormatError(
            "这是网页文件（HTML 或 MHT），只是名为 .docx：请在 Word 中打开后“另存为” .docx 格式。"
        )
    if head.startswith(b"{\\rtf"):
        raise WordFormatError("这是 RTF 文档，只是名为 .docx：请在 Word 中“另存为” .docx 格式。")
    program = contents.program_in(data[: contents.HEAD_BYTES])
    if program:
        raise WordFormatError(f"这是{contents.spaced(program)}，不是 Word 文档，不能导入。")
    raise WordFormatError("这不是 Word 文档（.docx）。")


def check_entries(parts):
    if len(parts) > MAX_PARTS:
        raise WordFormatError(f"文档内的部件过多（超过 {MAX_PARTS} 个），无法导入。")
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise WordFormatError("文档解压后过大（超过 200 MB），无法导入。")
    for part in parts:
        if part.flag_bits & 0x1:
            raise WordFormatError(
                "文档经过加密，无法读取：请在 Word 中取消密码或加密后“另存为” .docx 再试。"
            )
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise WordFormatError(
                f"文档使用了 Word 不会写出的压缩或加密方式（第 {part.compress_type} 种），"
                f"可能经过其他软件处理。{SAVE_AGAIN}"
            )


def read_entry(package, part):
    """The entry's bytes; zipfile stops at the size the entry declares, and a checksum or deflate
    stream that does not match is a damaged file."""
    try:
        return package.read(part)
    except (zlib.error, zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        raise WordFormatError(
            f"这个 .docx 文件已损坏（其中的 {part.filename} 无法解压）。{SAVE_AGAIN}"
        ) from error


class Counts:
    """What the XML parts hold, summed over all of them."""

    def __init__(self):
        self.text = self.paragraphs = self.elements = 0


def scan_xml(name, content, counts):
    """Reads one XML part as mammoth's parser will, refusing a DTD (entities, external files),
    and adds what it holds to `counts`, stopping at the first bound it passes."""
    parser = ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    depth = table_depth = 0
    in_text = False

    def forbid_dtd(*args):
        raise WordFormatError(
            f"文档中含有不允许的定义（DOCTYPE，在 {name} 中），可能经过其他软件篡改，无法导入。"
        )

    def start(tag, attributes):
        nonlocal depth, table_depth, in_text
        depth += 1
        counts.elements += 1
        if depth > MAX_DEPTH:
            raise WordFormatError(f"文档的结构嵌套过深（超过 {MAX_DEPTH} 层），无法导入。")
        if counts.elements > MAX_ELEMENTS:
            raise WordFormatError("文档的结构过于复杂（格式片段过多），无法导入。请分成几篇导入。")
        if tag in PARAGRAPH:
            counts.paragraphs += 1
            if counts.paragraphs > MAX_PARAGRAPHS:
                raise WordFormatError(
                    f"文档的段落过多（超过 {MAX_PARAGRAPHS:,} 段），无法导入。请分成几篇导入。"
                )
        elif tag in TABLE:
            table_depth += 1
            if table_depth > MAX_TABLE_DEPTH:
                raise WordFormatError(
                    f"文档中的表格嵌套过深（表格套表格超过 {MAX_TABLE_DEPTH} 层），无法导入。"
                )
        in_text = tag in TEXT

    def end(tag):
        nonlocal depth, table_depth, in_text
        depth -= 1
        if tag in TABLE:
            table_depth -= 1
        in_text = False

    def characters(text):
        if in_text:
            counts.text += len(text)
            if counts.text > MAX_TEXT_CHARS:
                raise WordFormatError(
                    f"文档的文字过多（超过 {MAX_TEXT_CHARS // 10_000} 万字），无法导入。请分成几篇导入。"
                )

    parser.StartDoctypeDeclHandler = forbid_dtd
    parser.EntityDeclHandler = forbid_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    try:
        parser.Parse(content, True)
    except WordFormatError:
        raise  # a bound passed, said by the handlers above
    except ExpatError as error:
        raise WordFormatError(
            f"这个 .docx 文件已损坏（{name} 第 {error.lineno} 行格式有误）。{SAVE_AGAIN}"
        ) from error
    except ValueError as error:  # expat refuses an encoding such as GBK this way
        raise WordFormatError(
            f"这个 .docx 文件已损坏（{name} 使用了 Word 不会写出的文字编码，格式有误）。{SAVE_AGAIN}"
        ) from error


class PictureBudget:
    """Counts the pictures of a document, and their pixels as their headers give them, as the
    conversion meets them; refuses the picture that passes a bound."""

    def __init__(self):
        self.pictures = self.pixels = 0

    def add(self, data):
        self.pictures += 1
        if self.pictures > MAX_PICTURES:
            raise WordFormatError(f"文档中的图片过多（超过 {MAX_PICTURES} 张），无法导入。")
        self.pixels += picture_pixels(data)
        if self.pixels > MAX_PICTURE_PIXELS:
            raise WordFormatError(
                f"文档中图片的总像素过多（超过 {MAX_PICTURE_PIXELS / 100_000_000:g} 亿像素），"
                "无法导入：请在 Word 中压缩图片（图片格式 → 压缩图片）后再导入。"
            )


def picture_pixels(data):
    """Width times height from the picture's header (nothing is decoded), or 0 for what is not
    a picture Pillow knows: the image library refuses those later."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns of large pictures; the budget decides
            with PillowImage.open(io.BytesIO(data)) as picture:
                width, height = picture.size
    except PillowImage.DecompressionBombError:
        return MAX_PICTURE_PIXELS + 1
    except Exception:  # any picture Pillow cannot read costs no conversion
        return 0
    return width * height
