"""Word files (.docx) crafted to break an importer, built here: python-docx writes a good
document, and zipfile and byte patches damage it the ways attackers and broken tools do (the
second security test's 32 files, and more). crafted() lists each with what the editor must be told:
a fragment of the Chinese message for a file that is refused, or None for one that imports (its
problem reported as a note)."""

import io
import struct
import zipfile
import zlib
from functools import cache

import docx
from PIL import Image as PillowImage

DOCUMENT = "word/document.xml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def png(width=320, height=200):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), (178, 34, 34)).save(buffer, "PNG")
    return buffer.getvalue()


def saved(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def good(title="支部党建工作简报", pictures=(), text="会议传达学习了上级精神。"):
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(title, level=1)
    document.add_paragraph(text)
    for picture in pictures:
        document.add_paragraph().add_run().add_picture(io.BytesIO(picture))
    return saved(document)


def parts_of(data):
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def package(parts, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def with_part(name, content, base=None):
    """A good document with one part replaced (or added); None removes it."""
    parts = parts_of(base or good())
    if content is None:
        parts.pop(name)
    else:
        parts[name] = content.encode() if isinstance(content, str) else content
    return package(parts)


def body(inner):
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{inner}</w:body></w:document>'


def paragraph(text):
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def titled(inner):
    """A document.xml whose first paragraph is a heading, so it has a title."""
    return body(
        f'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>标题</w:t></w:r></w:p>{inner}'
    )


def patched_headers(data, *, flag_bits=None, method=None):
    """The zip with every entry's general-purpose flags or compression method rewritten in its
    local and central headers, as tools that encrypt or use other codecs write them."""
    data = bytearray(data)
    for signature, flag_at, method_at in ((b"PK\x03\x04", 6, 8), (b"PK\x01\x02", 8, 10)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if flag_bits is not None:
                flags = struct.unpack_from("<H", data, start + flag_at)[0]
                struct.pack_into("<H", data, start + flag_at, flags | flag_bits)
            if method is not None:
                struct.pack_into("<H", data, start + method_at, method)
            start += 4
    return bytes(data)


def corrupt_deflate():
    """The document part's deflate stream overwritten in its middle."""
    data = bytearray(good())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(DOCUMENT)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_length + extra_length
    middle = start + info.compress_size // 2
    data[middle : middle + 16] = b"\xff" * 16
    return bytes(data)


def bad_checksum():
    """The document part stored, one byte of its text changed: its CRC no longer matches."""
    data = package(parts_of(good()), zipfile.ZIP_STORED)
    at = data.index("会议传达".encode())
    return data[:at] + b"X" + data[at + 1 :]


def nested_tables(depth):
    cell = paragraph("最里层")
    for _ in range(depth):
        cell = f"<w:tbl><w:tr><w:tc>{cell}<w:p/></w:tc></w:tr></w:tbl>"
    return titled(cell)


def nested_elements(depth):
    inner = "<w:r><w:t>嵌套</w:t></w:r>"
    return titled("<w:p>" + "<w:smartTag>" * depth + inner + "</w:smartTag>" * depth + "</w:p>")


def billion_laughs():
    entities = '<!ENTITY lol0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    )
    return f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + titled(
        paragraph("&lol9;")
    ).removeprefix('<?xml version="1.0" encoding="UTF-8"?>')


def external_entity():
    return '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + titled(
        paragraph("&x;")
    ).removeprefix('<?xml version="1.0" encoding="UTF-8"?>')


def many_parts(count):
    parts = parts_of(good())
    parts.update({f"customXml/item{number}.bin": b"x" for number in range(count)})
    return package(parts)


def zip_bomb(megabytes):
    """A part of `megabytes` of zeros, which deflate to a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts_of(good()).items():
            archive.writestr(name, content)
        with archive.open("word/media/padding.bin", "w") as stream:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(megabytes):
                stream.write(chunk)
    return buffer.getvalue()


def text_of_megabytes(megabytes):
    """A document of `megabytes` of Chinese text (UTF-8) in 200-character paragraphs: some
    100 KB once zipped."""
    line = paragraph("党建工作推进会召开。" * 20)
    count = megabytes * 1_000_000 // 600
    return with_part(DOCUMENT, titled(line * count))


def external_picture_relationship(target, mode="External"):
    """A document whose picture points at `target` outside its own package."""
    base = good(pictures=[png()])
    parts = parts_of(base)
    rels = parts["word/_rels/document.xml.rels"].decode()
    start = rels.index('Target="media/')
    end = rels.index('"', start + len('Target="'))
    rels = (
        rels[:start]
        + f'Target="{target}"'
        + (f' TargetMode="{mode}"' if mode else "")
        + rels[end + 1 :]
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    if mode == "External":
        document = parts[DOCUMENT].decode().replace("r:embed=", "r:link=")
        parts[DOCUMENT] = document.encode()
    return package(parts)


def picture_part_replaced(content):
    parts = parts_of(good(pictures=[png()]))
    [name] = [name for name in parts if name.startswith("word/media/")]
    if content is None:
        parts.pop(name)
    else:
        parts[name] = content
    return package(parts)


def large_pictures(count, width, height):
    """`count` pictures of width × height pixels (one PNG, placed `count` times)."""
    return good(pictures=[png(width, height)] * count)


def png_claiming(width, height):
    """A PNG header claiming width × height pixels, with a token of data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return b"\x89PNG\r\n\x1a\n" + ihdr + b"\0\0\0\0IEND\xaeB`\x82"


def no_title():
    document = docx.Document()
    document.add_paragraph("只有正文,没有标题。")
    return saved(document)


def title_only():
    document = docx.Document()
    document.core_properties.title = "只有标题"
    document.add_heading("只有标题", level=1)
    return saved(document)


def old_word(encrypted=False):
    stream = "EncryptedPackage".encode("utf-16-le") if encrypted else b"WordDocument"
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + stream + b"\0" * 500


@cache
def main_part_named(name, content):
    """A good document whose package relationships name `name`, holding `content`, as its main
    part; the good document.xml stays."""
    parts = parts_of(good())
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(
        b'Target="word/document.xml"', f'Target="{name}"'.encode()
    )
    parts[name] = content.encode()
    return package(parts)


def _recipes():
    """[(file name, what makes its bytes, a fragment of the message it must get or None if it
    imports)]: the bytes are made only when a test asks for them (crafted), not each time a test
    process collects the tests that name them."""
    broken_xml = "格式有误"
    return [
        ("空文件.docx", lambda: b"", "文件是空的"),
        ("纯文本.docx", lambda: "这只是一段文字。".encode(), "这不是 Word 文档"),
        (
            "网页.docx",
            lambda: b"<!DOCTYPE html><html><body><p>\xe7\xbd\x91\xe9\xa1\xb5</p></body></html>",
            "网页文件",
        ),
        (
            "MHT网页.docx",
            lambda: b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n",
            "网页文件",
        ),
        ("RTF.docx", lambda: b"{\\rtf1\\ansi hello}", "RTF"),
        ("旧版.docx", lambda: old_word(), "旧版 Word 文档"),
        ("设了密码.docx", lambda: old_word(encrypted=True), "打开密码"),
        ("图片.docx", lambda: png(), "这不是 Word 文档"),
        (
            "程序.docx",
            lambda: b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 100,
            "是 Windows 程序",
        ),
        ("脚本.docx", lambda: b"#!/bin/sh\nrm -rf ~\n", "是脚本，不是 Word 文档"),
        ("截断.docx", lambda: good()[: len(good()) // 2], "已损坏"),
        ("没有正文.docx", lambda: package({"hello.txt": b"hi"}), "没有正文"),
        ("压缩方式99.docx", lambda: patched_headers(good(), method=99), "压缩或加密方式"),
        ("加密标志.docx", lambda: patched_headers(good(), flag_bits=0x1), "加密"),
        ("压缩数据损坏.docx", lambda: corrupt_deflate(), "已损坏"),
        ("校验和不符.docx", lambda: bad_checksum(), "已损坏"),
        ("实体膨胀.docx", lambda: with_part(DOCUMENT, billion_laughs()), "DOCTYPE"),
        ("外部实体.docx", lambda: with_part(DOCUMENT, external_entity()), "DOCTYPE"),
        (
            "标签不配对.docx",
            lambda: with_part(DOCUMENT, titled("<w:p><w:r></w:p></w:r>")),
            broken_xml,
        ),
        (
            "非UTF8.docx",
            lambda: with_part(
                DOCUMENT,
                titled(paragraph("党建")).encode().replace("党建".encode(), b"\xff\xfe\xfd"),
            ),
            broken_xml,
        ),
        ("正文为空.docx", lambda: with_part(DOCUMENT, b""), broken_xml),
        ("正文是二进制.docx", lambda: with_part(DOCUMENT, bytes(range(256)) * 4), broken_xml),
        (
            "未知编码.docx",
            lambda: with_part(DOCUMENT, titled(paragraph("党建")).replace("UTF-8", "GBK")),
            broken_xml,
        ),
        ("表格嵌套300层.docx", lambda: with_part(DOCUMENT, nested_tables(300)), "表格嵌套过深"),
        ("元素嵌套3000层.docx", lambda: with_part(DOCUMENT, nested_elements(3000)), "嵌套过深"),
        (
            "样式损坏.docx",
            lambda: with_part("word/styles.xml", "<w:styles><w:style></w:styles>"),
            "word/styles.xml",
        ),
        ("样式含DOCTYPE.docx", lambda: with_part("word/styles.xml", external_entity()), "DOCTYPE"),
        (
            "关系损坏.docx",
            lambda: with_part("word/_rels/document.xml.rels", "<Relationships><"),
            broken_xml,
        ),
        ("类型表损坏.docx", lambda: with_part("[Content_Types].xml", "not xml at all"), broken_xml),
        (
            "属性损坏.docx",
            lambda: with_part("docProps/core.xml", "<cp:coreProperties>"),
            broken_xml,
        ),
        ("部件过多.docx", lambda: many_parts(1500), "部件过多"),
        ("解压炸弹.docx", lambda: zip_bomb(210), "解压后过大"),
        ("20MB文字.docx", lambda: text_of_megabytes(20), "文字过多"),
        ("段落过多.docx", lambda: with_part(DOCUMENT, titled("<w:p/>" * 25_000)), "段落过多"),
        # The main part that mammoth reads named otherwise than .xml, beside a harmless
        # document.xml: it is counted all the same.
        (
            "正文另有其名.docx",
            lambda: main_part_named("word/body.bin", titled("<w:p/>" * 25_000)),
            "段落过多",
        ),
        (
            "格式片段过多.docx",
            lambda: with_part(
                DOCUMENT,
                titled(
                    "<w:p>" + "<w:r><w:rPr><w:b/></w:rPr><w:t>字</w:t></w:r>" * 60_000 + "</w:p>"
                ),
            ),
            "过于复杂",
        ),
        ("四十张3600万像素图片.docx", lambda: large_pictures(40, 6000, 6000), "总像素"),
        ("图片过多.docx", lambda: large_pictures(101, 8, 8), "图片过多"),
        ("像素炸弹.docx", lambda: picture_part_replaced(png_claiming(60_000, 60_000)), "总像素"),
        ("没有标题.docx", lambda: no_title(), "没有标题"),
        ("只有标题.docx", lambda: title_only(), "没有正文内容"),
        # These import: what is wrong is a picture, left out and said on the file's line.
        (
            "图片指向外部文件.docx",
            lambda: external_picture_relationship("file:///etc/passwd"),
            None,
        ),
        (
            "图片路径越界.docx",
            lambda: external_picture_relationship("../../../../etc/passwd", mode=None),
            None,
        ),
        ("图片不是图片.docx", lambda: picture_part_replaced(b"this is not a picture"), None),
        ("图片缺失.docx", lambda: picture_part_replaced(None), None),
    ]


def crafted_names():
    return [name for name, _, _ in _recipes()]


@cache
def crafted():
    """[(file name, its bytes, a fragment of the message it must get or None if it imports)]."""
    return [(name, make(), expected) for name, make, expected in _recipes()]


def crafted_file(name):
    """(bytes, expected message fragment or None) of the crafted file `name`."""
    return next((data, expected) for each, data, expected in crafted() if each == name)
