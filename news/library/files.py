"""How a file from the document library is named to readers: its kind in words (PDF, Word,
Excel …) and its size, beside its Chinese name.

Sizes are written in one style everywhere, as government sites list their attachments: KB below a
megabyte (a small file is "0.4 KB", never "435 字节"), then MB and GB, with one decimal. The number
and its unit are joined by a no-break space, so a line never ends between them."""

import math

KINDS = {
    "pdf": "PDF",
    "doc": "Word",
    "docx": "Word",
    "odt": "文档",
    "rtf": "文档",
    "xls": "Excel",
    "xlsx": "Excel",
    "csv": "表格",
    "pptx": "PPT",
    "txt": "文本",
    "zip": "压缩包",
    "mp4": "视频",
    "webm": "视频",
    "vtt": "字幕",
}


def extension(document):
    """The document's file extension in lower case ("pdf"), or "" for no document."""
    return document.file_extension.lower() if document else ""


def file_kind(document):
    kind = extension(document)
    return KINDS.get(kind, kind.upper() or "文件")


def size_in_words(size, up=False):
    """A size in bytes as readers and editors see it: "0.4 KB", "5.1 KB", "20.0 MB". With `up`,
    rounded up, as the size of a file over a limit is told: a file a few bytes over 5 MB has
    5.1 MB, not the 5.0 MB of the limit it is refused for."""
    value, unit = size / 1024, "KB"
    for bigger in ("MB", "GB"):
        if round(value, 1) < 1024:
            break
        value, unit = value / 1024, bigger
    if up:
        value = math.ceil(value * 10) / 10
    # Anything that is not empty is at least 0.1 KB: "0.0 KB" would read as no file at all.
    shown = max(value, 0.1) if size else 0
    return f"{shown:.1f}\N{NO-BREAK SPACE}{unit}"


def file_size(document):
    """The size in words ("1.2 MB"), or "" when the file is missing from storage."""
    try:
        size = document.get_file_size()
    except OSError:
        return ""
    return size_in_words(size) if size is not None else ""
