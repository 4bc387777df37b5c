"""How a file from the document library is named to readers: its kind in words (PDF, Word,
Excel …) and its size, beside its Chinese name."""

from django.template.defaultfilters import filesizeformat

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


def file_size(document):
    """The size in words ("1.2 MB"), or "" when the file is missing from storage."""
    try:
        size = document.get_file_size()
    except OSError:
        return ""
    return filesizeformat(size) if size is not None else ""
