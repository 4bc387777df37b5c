"""Files are what their names say: an upload to the image or document library is read from its
first bytes and compared with its extension, and programs and scripts are refused whatever
they are called.

Wagtail checks a document's extension only, so a Windows program renamed "通知.pdf" was stored,
listed under an article as a PDF and served as application/pdf. Here each allowed extension
names what its file must be: a PDF opens with "%PDF-", Word, Excel and PowerPoint files are
OLE2 compound files (.doc/.xls/.ppt) or zip packages holding their own parts (.docx/.xlsx/.pptx,
read with zipfile: the whole package, not its first few entries), a text file decodes (UTF-8,
GB 18030 or UTF-16 with its mark) and holds no NUL. Whatever the name, a program (PE "MZ", ELF,
Mach-O), a script ("#!", a batch file), a web page or an SVG is refused, and so is a zip that
carries one.

Formats are recognised by `filetype`, the detector Willow (Wagtail's image library) already uses
to tell a picture's format, so pictures and documents are judged by one reader of magic numbers;
libmagic would need a system library on every machine, and puremagic's first guess for a PE file
is "ZoneAlarm data file" and it does not know a shell script. What `filetype` does not tell
(Mach-O, scripts, web pages, and the Office packages, which it guesses from the first entries of
the zip only) is said here.

Every message names the file and says what was wrong, in Chinese.
"""

import codecs
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import filetype

HEAD_BYTES = 8192
TEXT_CHUNK = 1024 * 1024

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The root classes of Windows Installer packages, patches and transforms ({000C1084-…-46} …).
INSTALLER_CLASSES = {
    bytes.fromhex(f"{kind:02x}100c0000000000c000000000000046") for kind in (0x84, 0x86, 0x82)
}
ZIP_STARTS = (b"PK\x03\x04", b"PK\x05\x06")
MACH_O = (
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # a universal binary (and a Java class: a program too)
)
# What filetype recognises that runs, or installs something that does.
PROGRAMS = {
    "exe": "Windows 程序",
    "elf": "Linux 程序",
    "swf": "Flash 程序",
    "wasm": "WebAssembly 程序",
    "crx": "浏览器扩展",
    "deb": "软件安装包",
    "rpm": "软件安装包",
    "cab": "Windows 安装包",
}
# The openings of a text file that make it a script or a web page (compared in lower case, after
# a byte-order mark and white space).
SCRIPT_OPENINGS = {
    b"#!": "脚本",
    b"@echo": "批处理脚本",
    b"<script": "脚本",
    b"<!doctype html": "网页（HTML）",
    b"<!--": "网页（HTML）",
    b"<!doctype svg": "SVG 图形（可以含有脚本）",
    b"<html": "网页（HTML）",
    b"<head": "网页（HTML）",
    b"<body": "网页（HTML）",
    b"<iframe": "网页（HTML）",
    b"<svg": "SVG 图形（可以含有脚本）",
}
# Names inside a zip that run when opened on a reader's computer.
RUNNABLE_SUFFIXES = (
    ".exe", ".com", ".scr", ".pif", ".msi", ".dll", ".bat", ".cmd", ".ps1", ".vbs", ".vbe",
    ".js", ".jse", ".wsf", ".hta", ".lnk", ".jar", ".apk", ".sh", ".app",
)  # fmt: skip
# What filetype's guesses are called in a message.
NAMES = {
    "pdf": "PDF 文件",
    "zip": "ZIP 压缩包",
    "rar": "RAR 压缩包",
    "7z": "7z 压缩包",
    "gz": "gzip 压缩包",
    "jpg": "JPEG 图片",
    "png": "PNG 图片",
    "apng": "PNG 图片",
    "gif": "GIF 图片",
    "webp": "WebP 图片",
    "bmp": "BMP 图片",
    "tif": "TIFF 图片",
    "heic": "HEIC 图片",
    "mp3": "MP3 音频",
    "mp4": "MP4 视频",
    "mov": "QuickTime 视频",
    "webm": "WebM 视频",
    "mkv": "MKV 视频",
    "rtf": "RTF 文档",
    "doc": "Word 文档",
    "docx": "Word 文档",
    "xls": "Excel 表格",
    "xlsx": "Excel 表格",
    "ppt": "PowerPoint 演示文稿",
    "pptx": "PowerPoint 演示文稿",
    "sqlite": "SQLite 数据库",
    **PROGRAMS,
}


REFUSED_PROGRAM = "“{name}”是{what}，不能上传：程序、脚本和网页无论用什么扩展名都不接受。"
REFUSED_CARRIER = "“{name}”里有程序或脚本（{member}），不能上传。请只打包文档、表格和图片。"
REFUSED_MISMATCH = (
    "“{name}”的内容不是{expected}{actually}，不能上传：文件的内容与扩展名“.{extension}”不符。"
    "请用原来的软件重新保存或导出后再上传。"
)
REFUSED_OTHER_FORMAT = (
    "“{name}”是“.{actual}”格式的{expected}，扩展名却是“.{extension}”，读者的软件可能打不开："
    "请把扩展名改为“.{actual}”后再上传。"
)
REFUSED_ENCODING = (
    "“{name}”无法作为{expected}读取：文字编码不是 UTF-8 或 GBK。请另存为 UTF-8 后再上传。"
)


# The tests of EXPECTED.


def guessed_as(head, file, kinds):
    return filetype.guess_extension(head) in kinds.split()


def pdf(head, file, detail):
    """A PDF: its header within the first kilobyte, where readers look for it (scanners and
    office systems sometimes write a line break or a byte-order mark first)."""
    return b"%PDF-" in head[:1024]


def ole2(head, file, detail):
    """An Office 97–2003 file: an OLE2 compound file that is not a Windows installer (.msi, .msp
    and .mst are OLE2 files too, told apart by their root entry's class)."""
    if not head.startswith(OLE2):
        return False
    if ole2_class(file) in INSTALLER_CLASSES:
        return REFUSED_PROGRAM.replace("{what}", spaced("Windows 安装包"))
    return True


def ole2_class(file):
    """The class id of an OLE2 file's root entry: the first entry of its first directory sector
    (the sector size and that sector's number are in the 512-byte header)."""
    file.seek(0)
    header = file.read(512)
    sector = 1 << int.from_bytes(header[30:32], "little")
    if not 128 <= sector <= 65536:
        return None
    file.seek((int.from_bytes(header[48:52], "little") + 1) * sector)
    return file.read(128)[80:96]


def iso_media(head, file, detail):
    """An MP4 (or any ISO media file a browser may play): its first box is "ftyp"."""
    return head[4:8] == b"ftyp"


def zip_members(file):
    """The names in a zip, or None when it is none (a self-extracting program has a zip at its
    end, so the zip must start the file)."""
    if not read_head(file).startswith(ZIP_STARTS):
        return None
    try:
        with zipfile.ZipFile(file) as package:
            return package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def zip_archive(head, file, detail):
    members = zip_members(file)
    if members is None:
        return False
    runnable = next((m for m in members if m.lower().endswith(RUNNABLE_SUFFIXES)), None)
    if runnable:
        # The member's name is written in as text: braces in it are not placeholders.
        member = runnable.rsplit("/", 1)[-1].replace("{", "{{").replace("}", "}}")
        return REFUSED_CARRIER.replace("{member}", member)
    return True


def office_package(head, file, folder):
    members = zip_members(file)
    return (
        members is not None
        and "[Content_Types].xml" in members
        and any(name.startswith(folder) for name in members)
    )


def open_document(head, file, mimetype):
    if zip_members(file) is None:
        return False
    with zipfile.ZipFile(file) as package:
        try:
            info = package.getinfo("mimetype")
        except KeyError:
            return False
        if info.file_size >= 100:
            return False
        try:
            return package.read(info).strip() == mimetype.encode()
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, zlib.error):
            return False  # damaged, encrypted or compressed in a way no office suite writes


def text(head, file, opening):
    """Text in an encoding Chinese offices save in, with no NUL; a WebVTT file opens with its
    name. The whole file is read, a megabyte at a time: a GBK table may be plain ASCII for
    its first rows."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return decodes_without_nul(file, encoding, opening)
        except UnicodeDecodeError:
            continue
    return REFUSED_ENCODING


def decodes_without_nul(file, encoding, opening):
    decoder = codecs.getincrementaldecoder(encoding)()
    file.seek(0)
    first = True
    while chunk := file.read(TEXT_CHUNK):
        decoded = decoder.decode(chunk)
        if "\0" in decoded or (first and not decoded.lstrip("\ufeff").startswith(opening)):
            return False
        first = False
    decoder.decode(b"", final=True)
    return True


@dataclass(frozen=True)
class Expected:
    """What a file with a given extension must be: its name in a message, and the test its
    contents must pass (True; False when they are something else; or a message of its own)."""

    words: str
    test: Callable
    detail: str = ""


EXPECTED = {
    "pdf": Expected("PDF 文件", pdf),
    "doc": Expected("Word 文档", ole2),
    "xls": Expected("Excel 表格", ole2),
    "ppt": Expected("PowerPoint 演示文稿", ole2),
    "docx": Expected("Word 文档", office_package, "word/"),
    "xlsx": Expected("Excel 表格", office_package, "xl/"),
    "pptx": Expected("PowerPoint 演示文稿", office_package, "ppt/"),
    "odt": Expected("OpenDocument 文档", open_document, "application/vnd.oasis.opendocument.text"),
    "rtf": Expected("RTF 文档", guessed_as, "rtf"),
    "zip": Expected("ZIP 压缩包", zip_archive),
    "mp4": Expected("MP4 视频", iso_media),
    "webm": Expected("WebM 视频", guessed_as, "webm"),
    "txt": Expected("文本文件", text),
    "csv": Expected("CSV 表格", text),
    "vtt": Expected("WebVTT 字幕", text, "WEBVTT"),
    "jpg": Expected("JPEG 图片", guessed_as, "jpg"),
    "jpeg": Expected("JPEG 图片", guessed_as, "jpg"),
    "png": Expected("PNG 图片", guessed_as, "png apng"),
    "gif": Expected("GIF 图片", guessed_as, "gif"),
    "webp": Expected("WebP 图片", guessed_as, "webp"),
}


def extension_of(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def refusal(name, file):
    """Why the upload `file` called `name` may not be stored, in Chinese, or None when its
    contents are what its extension says. Extensions with no rule here (the libraries' allowed
    lists decide those) are only checked for programs and scripts."""
    refused = program_refusal(name, file)
    if refused:
        return refused
    head = read_head(file)
    extension = extension_of(name)
    expected = EXPECTED.get(extension)
    if expected is None:
        return None
    try:
        fits = expected.test(head, file, expected.detail)
    finally:
        file.seek(0)
    if isinstance(fits, str):  # a reason found inside the file
        return fits.format(name=name, expected=spaced(expected.words))
    if fits:
        return None
    guessed = filetype.guess_extension(head) or ""
    actual = NAMES.get(guessed)
    if actual == expected.words:  # the other format of the same program: .docx named .doc
        return REFUSED_OTHER_FORMAT.format(
            name=name, expected=spaced(expected.words), extension=extension, actual=guessed
        )
    actually = f"（实际是{spaced(actual)}）" if actual else ""
    return REFUSED_MISMATCH.format(
        name=name, expected=spaced(expected.words), actually=actually, extension=extension
    )


def program_refusal(name, file):
    """Why `file` may not be stored whatever it is called (a program, a script, a web page), or
    None. For readers of a format that say themselves what is wrong with a damaged file."""
    what = program_in(read_head(file))
    return REFUSED_PROGRAM.format(name=name, what=spaced(what)) if what else None


def is_plain_text(data):
    return not any(byte < 0x09 for byte in data)


def spaced(words):
    """Words to follow Chinese text: a space before Latin letters ("是 Windows 程序")."""
    return f" {words}" if words[:1].isascii() else words


def read_head(file):
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def program_in(head):
    """What the file runs as, in words, or None."""
    guessed = filetype.guess_extension(head)
    # A program's header holds small numbers (a PE file's NULs right after "MZ"); a table whose
    # first cell happens to start with "MZ" holds none.
    if guessed in PROGRAMS and not (guessed == "exe" and is_plain_text(head[:64])):
        return PROGRAMS[guessed]
    if head.startswith(MACH_O):
        return "macOS 程序"
    opening = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if opening.startswith(b"<?xml") and b"<svg" in opening:
        return SCRIPT_OPENINGS[b"<svg"]
    for start, words in SCRIPT_OPENINGS.items():
        if opening.startswith(start):
            return words
    return None
