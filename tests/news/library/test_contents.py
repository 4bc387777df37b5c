"""An upload's contents against its extension (news/library/contents.py): every type the
libraries allow has a rule, real files of each pass, and files of another kind, programs and
scripts are refused with a message naming them."""

import io
import zipfile

import pytest
from django.conf import settings
from PIL import Image as PillowImage

from news.importing.demo_documents import signup_xlsx
from news.library.contents import EXPECTED, refusal
from tests.news.importing.crafted_word_files import good as good_docx

# Bytes against rules: no database, run once, not again on PostgreSQL.

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def zipped(*names, first=None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if first:
            archive.writestr(*first)
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def ole2_file(root_class):
    """An OLE2 compound file of 512-byte sectors whose directory (sector 0) starts with a root
    entry of `root_class`."""
    header = bytearray(512)
    header[:8], header[30:32], header[48:52] = OLE2[:8], (9).to_bytes(2, "little"), bytes(4)
    root = bytearray(512)
    root[80:96] = root_class
    return bytes(header + root)


WINDOWS_INSTALLER = bytes.fromhex("84100c0000000000c000000000000046")
WORD_97 = bytes.fromhex("0609020000000000c000000000000046")  # {00020906-…-46}


def picture(kind):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (8, 8), (166, 27, 27)).save(buffer, kind)
    return buffer.getvalue()


GOOD = {
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "doc": OLE2,
    "xls": OLE2,
    "ppt": OLE2,
    "docx": good_docx(),
    "xlsx": signup_xlsx(),
    "pptx": zipped("[Content_Types].xml", "ppt/presentation.xml"),
    "odt": zipped("content.xml", first=("mimetype", "application/vnd.oasis.opendocument.text")),
    "rtf": b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}",
    "zip": zipped("通知.pdf", "表格/回执.xlsx"),
    "mp4": b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64,
    "webm": bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d"),
    "txt": "中共青溪街道工作委员会\r\n关于召开会议的通知".encode("gbk"),
    "csv": "\ufeff姓名,单位\n张三,青溪街道\n".encode(),
    "vtt": b"WEBVTT\n\n00:00.000 --> 00:02.000\n\xe5\xa4\xa7\xe5\xae\xb6\xe5\xa5\xbd\n",
    "jpg": picture("JPEG"),
    "jpeg": picture("JPEG"),
    "png": picture("PNG"),
    "gif": picture("GIF"),
    "webp": picture("WEBP"),
}


def test_every_allowed_extension_has_a_rule_and_a_real_file_of_it_passes():
    allowed = {*settings.WAGTAILDOCS_EXTENSIONS, *settings.WAGTAILIMAGES_EXTENSIONS}
    assert allowed <= set(EXPECTED)
    for extension, content in GOOD.items():
        assert refusal(f"文件.{extension}", io.BytesIO(content)) is None, extension


@pytest.mark.parametrize(
    "name, content, said",
    [
        ("a.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "是 Windows 程序"),
        ("a.doc", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 60, "是 Linux 程序"),
        ("a.xls", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 60, "是 macOS 程序"),
        ("a.txt", b"#!/usr/bin/env python3\nimport os\n", "是脚本"),
        ("a.csv", b"@echo off\r\nformat c:\r\n", "是批处理脚本"),
        ("a.txt", b"\xef\xbb\xbf  <HTML><body onload=alert(1)>", "是网页（HTML）"),
        (
            "a.vtt",
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "是 SVG 图形",
        ),
        ("a.zip", zipped("通知.pdf", "附件/setup.exe"), "里有程序或脚本（setup.exe）"),
        # Braces in a member's name are its text, not a message's placeholders.
        ("a.zip", zipped("a{0}.exe"), "里有程序或脚本（a{0}.exe）"),
        ("a.zip", zipped("}{x}.exe"), "里有程序或脚本（}{x}.exe）"),
        ("a.txt", b"<!-- saved --><html><script>alert(1)</script>", "是网页（HTML）"),
        ("a.txt", b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"><svg/>', "是 SVG 图形"),
        ("a.pdf", GOOD["png"], "的内容不是 PDF 文件（实际是 PNG 图片）"),
        ("a.docx", GOOD["xlsx"], "的内容不是 Word 文档"),
        ("a.xlsx", zipped("a.txt"), "的内容不是 Excel 表格（实际是 ZIP 压缩包）"),
        ("a.pptx", GOOD["docx"], "的内容不是 PowerPoint 演示文稿"),
        ("a.odt", GOOD["docx"], "的内容不是 OpenDocument 文档"),
        ("a.doc", GOOD["docx"], "是“.docx”格式的 Word 文档，扩展名却是“.doc”"),
        ("a.zip", b"MZ" + b"\x00" * 62 + zipped("a.txt"), "是 Windows 程序"),
        ("安装.doc", ole2_file(WINDOWS_INSTALLER), "是 Windows 安装包"),
        ("a.mp4", GOOD["webm"], "的内容不是 MP4 视频（实际是 WebM 视频）"),
        ("a.txt", b"abc\x00def", "的内容不是文本文件"),
        ("a.vtt", b"1\n00:00:00,000 --> 00:00:02,000\n", "的内容不是 WebVTT 字幕"),
        ("a.jpg", GOOD["png"], "的内容不是 JPEG 图片（实际是 PNG 图片）"),
    ],
)
def test_files_of_another_kind_programs_and_scripts_are_refused_by_name(name, content, said):
    assert f"“{name}”{said}" in refusal(name, io.BytesIO(content))


def test_a_table_whose_first_cell_starts_with_mz_is_text_not_a_program():
    assert refusal("库存.csv", io.BytesIO(b"MZ-2024-001,10\nMZ-2024-002,5\n")) is None


def test_a_gbk_table_whose_first_megabyte_is_ascii_is_still_text():
    content = b"id,value\n" * 150_000 + "张三,青溪街道\n".encode("gbk")
    assert refusal("名单.csv", io.BytesIO(content)) is None


def test_a_pdf_whose_header_follows_a_line_break_is_a_pdf():
    """Scanners and office systems sometimes write a line break or a byte-order mark before
    %PDF-; readers look for it in the first kilobyte, and so does the check."""
    assert refusal("扫描件.pdf", io.BytesIO(b"\r\n" + GOOD["pdf"])) is None
    assert refusal("扫描件.pdf", io.BytesIO(b"\xef\xbb\xbf" + GOOD["pdf"])) is None


def test_a_damaged_or_encrypted_opendocument_is_refused_not_a_server_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    damaged = bytearray(buffer.getvalue())
    damaged[damaged.index(b"application")] = ord("b")  # its CRC no longer matches
    assert "的内容不是 OpenDocument 文档" in refusal("a.odt", io.BytesIO(bytes(damaged)))


def test_an_office_97_file_is_not_taken_for_an_installer():
    assert refusal("报告.doc", io.BytesIO(ole2_file(WORD_97))) is None
