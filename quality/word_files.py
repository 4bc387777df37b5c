"""错敏词 lists as files, as vendors deliver them and staff keep them: plain text (one word a line;
a wrong form and its right one as "错误形式<TAB>正确形式" or "错误形式=正确形式") and Excel (columns
词语, 正确形式, 说明, 繁体). Reading a file either gives every row or refuses the whole file with
Chinese messages naming the lines, so that a bad file changes nothing. Written files cannot run
formulas when opened (core/spreadsheets.py), and reading takes that mark off again.
"""

import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from core.content_gate import BANNED, STANDARD
from core.spreadsheets import FORMULA_STARTS, neutralised
from quality.word_lists import WORD_LENGTH, normal_form, only_punctuation

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
# An XLSX is a zip of XML: what it may unpack to, so that a small crafted file cannot fill memory.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ERRORS = 20
NOTE_LENGTH = 255
HEADINGS = ["词语", "正确形式", "说明", "繁体"]
YES = {"是", "y", "yes", "1", "true", "√", "✓", "繁体"}
NO = {"", "否", "n", "no", "0", "false", "×"}


@dataclass
class Row:
    line: int
    word: str
    right: str = ""
    note: str = ""
    traditional: bool = False


def read(upload, kind):
    """The rows of an uploaded file (.txt or .xlsx) for the list `kind`, or ValidationError."""
    name = (upload.name or "").lower()
    if upload.size > MAX_BYTES:
        raise ValidationError(f"文件超过 {MAX_BYTES // (1024 * 1024)} MB，请分成几个文件导入。")
    content = upload.read(MAX_BYTES + 1)
    if not content:
        raise ValidationError("文件是空的。")
    if name.endswith(".xlsx"):
        rows = xlsx_rows(content)
    elif name.endswith(".txt"):
        rows = text_rows(content, kind)
    else:
        raise ValidationError("只能导入 .txt 或 .xlsx 文件（Excel 请另存为 .xlsx）。")
    return checked(rows, kind)


def decoded(content):
    # Windows Notepad's "Unicode" is UTF-16 with a byte-order mark.
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            content = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("无法识别文件的编码，请另存为 UTF-8 编码的 .txt。") from None
    if b"\x00" in content:
        raise ValidationError("这不是文本文件（请另存为 UTF-8 或 GBK 编码的 .txt）。")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("无法识别文件的编码，请另存为 UTF-8 编码的 .txt。")


def text_rows(content, kind=None):
    # A 禁用词 has no right form: an "=" in its line is part of the word (as the export wrote it).
    separators = ("\t",) if kind == BANNED else ("\t", "=")
    rows = []
    for line, text in enumerate(decoded(content).splitlines(), 1):
        text = text.strip()
        if not text or text.startswith("#"):
            continue
        for separator in separators:
            if separator in text:
                word, right = text.split(separator, 1)
                break
        else:
            word, right = text, ""
        rows.append(Row(line, word, right))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"一个文件最多 {MAX_ROWS} 个词语，请分成几个文件导入。")
    return rows


def xlsx_rows(content):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            members = package.infolist()
            if "xl/workbook.xml" not in {member.filename for member in members}:
                raise ValidationError("这不是 Excel 工作簿（.xlsx）。")
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise ValidationError("工作簿解压后过大，无法导入。")
            # A workbook Excel or WPS writes declares no document type; one that does may be
            # trying to expand entities (a "billion laughs" file), whatever parser reads it.
            for member in members:
                with package.open(member) as part:
                    prologue = part.read(4096).upper()
                if b"<!DOCTYPE" in prologue or b"<!ENTITY" in prologue:
                    raise ValidationError("无法读取这个 Excel 文件：其中含有不允许的 XML 声明。")
        # Formulas as written, not their results: a word typed starting with "=" is a formula
        # to Excel, and is named as one rather than read as its result or as nothing.
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ValidationError:
        raise
    except Exception as error:  # zipfile, XML and openpyxl errors alike: the file is not usable
        raise ValidationError(
            "无法读取这个 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后再试。"
        ) from error
    try:
        sheet = book.worksheets[0]
        rows, columns = [], {"词语": 0, "正确形式": 1, "说明": 2, "繁体": 3}
        formulas = []
        for line, row_cells in enumerate(sheet.iter_rows(), 1):
            if any(getattr(cell, "data_type", None) == "f" for cell in row_cells[:20]):
                formulas.append(FORMULA.format(line=line))
                continue
            cells = [cell_text(cell.value) for cell in row_cells[:20]]
            if line == 1 and "词语" in cells:
                columns = {
                    heading: cells.index(heading) for heading in HEADINGS if heading in cells
                }
                continue
            if not any(cells):
                continue
            rows.append(
                Row(
                    line,
                    *(
                        cells[columns[heading]] if columns.get(heading, 99) < len(cells) else ""
                        for heading in ("词语", "正确形式", "说明")
                    ),
                    traditional=flag(
                        cells[columns["繁体"]] if columns.get("繁体", 99) < len(cells) else "", line
                    ),
                )
            )
            if len(rows) > MAX_ROWS:
                raise ValidationError(f"一个文件最多 {MAX_ROWS} 个词语，请分成几个文件导入。")
        if formulas:
            more = len(formulas) - MAX_ERRORS
            raise ValidationError(
                formulas[:MAX_ERRORS] + ([f"……另有 {more} 行是公式。"] if more > 0 else [])
            )
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(
            "无法读取这个 Excel 文件，请用 Excel 或 WPS 另存为 .xlsx 后再试。"
        ) from error
    finally:
        book.close()
    return rows


FORMULA = (
    "第 {line} 行是公式（以“=”开头）：请在 Excel 中把这一格设为文本格式，"
    "或在词语前加一个单引号（'），再导入。"
)


def cell_text(value):
    if value is None:
        return ""
    text = str(value).strip()
    # What an export marked as text (core/spreadsheets.py) is read back as it was.
    if text.startswith("'") and text[1:].lstrip(" ").startswith(FORMULA_STARTS):
        text = text[1:]
    return text


def flag(text, line):
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise ValidationError(f"第 {line} 行：“繁体”一栏请填“是”或留空。")


def checked(rows, kind):
    """The rows normalised, or every problem found at once."""
    errors, seen = [], {}
    for row in rows:
        row.word, row.right, row.note = (
            normal_form(row.word),
            normal_form(row.right),
            row.note.strip(),
        )
        if kind == BANNED:
            row.right = ""
        if not row.word:
            errors.append(f"第 {row.line} 行：没有词语。")
        elif only_punctuation(row.word):
            errors.append(f"第 {row.line} 行：“{row.word}”只有标点，几乎每篇文章都会被找出。")
        elif len(row.word) > WORD_LENGTH or len(row.right) > WORD_LENGTH:
            errors.append(f"第 {row.line} 行：词语或正确形式超过 {WORD_LENGTH} 个字。")
        elif len(row.note) > NOTE_LENGTH:
            errors.append(f"第 {row.line} 行：说明超过 {NOTE_LENGTH} 个字。")
        elif kind == STANDARD and not row.right:
            errors.append(f"第 {row.line} 行：规范表述“{row.word}”缺少正确形式。")
        elif row.right and row.right == row.word:
            errors.append(f"第 {row.line} 行：“{row.word}”的正确形式与它相同。")
        elif row.word in seen:
            errors.append(f"第 {row.line} 行：“{row.word}”与第 {seen[row.word]} 行重复。")
        else:
            seen[row.word] = row.line
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS] + ([f"……另有 {more} 处问题。"] if more > 0 else [])
        raise ValidationError(shown)
    if not rows:
        raise ValidationError("文件中没有词语。")
    return rows


def as_text(words):
    """One word a line; with its right form after a tab where it has one."""
    lines = [f"{word.word}\t{word.right}" if word.right else word.word for word in words]
    return ("\n".join(lines) + "\n").encode("utf-8")


def as_xlsx(words, title):
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(HEADINGS)
    for word in words:
        sheet.append(
            [
                neutralised(word.word),
                neutralised(word.right),
                neutralised(word.note),
                "是" if word.traditional else "",
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
