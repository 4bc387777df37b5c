"""Reading the text files editors bring: UTF-8 (with or without a BOM), what Windows Notepad
writes in a Chinese Windows (GBK, read as its superset GB18030) or as "Unicode" (UTF-16), and a
clear word for what is not a text file at all (an empty file, a Word document, a picture)."""

import codecs

ZIP_MAGIC = b"PK\x03\x04"  # .docx, .xlsx, .zip
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .doc, .xls
# A Word document under a text file's name (.docx files are read as Word documents).
WORD_MESSAGE = (
    "这是 Word 文档或表格，不是纯文本文件。Word 文档请以 .docx 文件导入；"
    "或在 Word 中选择“另存为”→“纯文本（*.txt）”后再导入。"
)


class UnreadableFile(ValueError):
    """A file that is no text this site can read; the message says why, in Chinese."""


def read_text(data):
    """(text, encoding name) of a file's bytes, or UnreadableFile."""
    if not data.strip():
        raise UnreadableFile("文件是空的。")
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        raise UnreadableFile(WORD_MESSAGE)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    elif b"\x00" in data:
        raise UnreadableFile("这不是文本文件（含有二进制数据），请选择 .txt 文本文件。")
    else:
        candidates = [("utf-8-sig", "UTF-8"), ("gb18030", "GBK")]
    for codec, label in candidates:
        try:
            return data.decode(codec), label
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("无法识别文件的文字编码：请另存为 UTF-8 或 GBK 编码的文本文件后再导入。")
