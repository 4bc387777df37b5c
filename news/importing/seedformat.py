"""Parsing of articles in the scraped portal format (联系我们 block, title, meta line, agenda sections).

Pure text in, plain data out; nothing here touches the database, so a file is checked whole before
anything is written.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from news.body_limits import HEADING_LIMIT, LABEL_LIMIT

COLON = "[:\uff1a]"  # half-width or full-width colon
META_RE = re.compile(
    rf"^来源{COLON}(?P<source>.*?)\s*点击数{COLON}\s*(?P<hits>.*?)\s*日期{COLON}\s*(?P<date>.*)$"
)
AGENDA_RE = re.compile(
    rf"^(?P<label>议程[一二三四五六七八九十百零〇两\d]+)\s*{COLON}\s*(?P<title>.+)$"
)
TRAILING_SOURCE_RE = re.compile(rf"^[(\uff08]\s*来源{COLON}.*[)\uff09]$")
SENTENCE_PUNCTUATION = set("。,;:!?、“”\"‘’'…()《》\uff0c\uff1b\uff1a\uff01\uff1f\uff08\uff09")
SUBHEADING_MAX_CHARS = 25
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")

# A closing 附件 list: "附件:" alone (or with the first file after it), then one file a line,
# numbered or not ("1. 学习通知.pdf", "2、参会回执.xlsx"). Lines that are not all file names are text.
ATTACHMENT_HEAD_RE = re.compile(rf"^附件\s*{COLON}\s*(?P<rest>.*)$")
# A web address ("详见 www.gov.cn") is not a file name.
ATTACHMENT_FILE_RE = re.compile(
    r"^(?:(?P<number>\d{1,3})\s*[.、.]\s*)?(?!.*www\.)"
    r"(?P<name>[^/\\:*?\"<>|]+?\.(?P<extension>[A-Za-z0-9]{2,5}))$"
)

CONTACT_HEADER = "联系我们"
CONTACT_FIELD_RE = re.compile(
    rf"^(?P<key>地址|邮编|电话|邮箱(?:\s*e-?mail)?|传真)\s*{COLON}?\s*(?P<value>.*)$", re.I
)
PHONE_LINE_RE = re.compile(r"^\+?[\d\s()\uff08\uff09-]{5,30}$")
EMAIL_LINE_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SeedFormatError(ValueError):
    """A file that is not in the expected format: where (line number) and what was expected."""

    def __init__(self, line, message):
        super().__init__(f"第 {line} 行：{message}" if line else message)
        self.line = line
        self.message = message


@dataclass
class SubSection:
    heading: str
    paragraphs: list = field(default_factory=list)


@dataclass
class AgendaSection:
    label: str
    title: str
    # Paragraph strings and SubSection objects, in reading order.
    items: list = field(default_factory=list)


@dataclass
class ContactBlock:
    address: str = ""
    postcode: str = ""
    phones: list = field(default_factory=list)
    emails: list = field(default_factory=list)


@dataclass
class Attachment:
    line: int
    title: str
    file_name: str


@dataclass
class ParsedArticle:
    title: str
    source: str
    published_at: datetime
    hits: int | None
    lead: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    contact: ContactBlock | None = None
    attachments: list = field(default_factory=list)

    @property
    def import_key(self):
        return f"{self.published_at:%Y%m%d%H%M%S}:{self.title}"[:64]


KEY_DATE = "%Y%m%d%H%M%S"


def key_date(import_key):
    """The source file's 日期 that an import_key begins with (local time), or None: an imported
    article's 发布时间 is its source's as long as the two agree (quality/date_changes.py)."""
    try:
        naive = datetime.strptime(import_key[:14], KEY_DATE)
    except (TypeError, ValueError):
        return None
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def clean_line(line):
    # str.strip() also removes full-width spaces (U+3000) and no-break spaces.
    return line.strip().replace("\ufeff", "")


# What the article's fields and blocks hold (news/models.py, news/blocks.py): a longer value from a
# file is reported with its line rather than failing when it is saved.
LIMITS = {
    "title": 255,
    "source": 100,
    "label": LABEL_LIMIT,
    "section title": HEADING_LIMIT,
    "attachment title": 255,
}
MAX_HITS = 10**12
YEARS = range(1900, 3000)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse(text):
    """Parse one article; raises SeedFormatError naming the line and what was expected there."""
    for number, raw in enumerate(text.splitlines(), 1):
        if CONTROL_RE.search(raw):
            raise SeedFormatError(
                number, "含有控制字符（如 NUL），文件可能已损坏，请检查后重新保存。"
            )
    lines = [(number, clean_line(raw)) for number, raw in enumerate(text.splitlines(), 1)]
    content = [(number, line) for number, line in lines if line]
    if not content:
        raise SeedFormatError(1, "文件为空，应为一篇文章（标题行、来源/点击数/日期行和正文）。")

    contact, position = _parse_contact(content)
    meta_index = next(
        (index for index in range(position, len(content)) if content[index][1].startswith("来源")),
        None,
    )
    if meta_index is None:
        raise SeedFormatError(
            content[position][0] if position < len(content) else content[-1][0],
            "找不到信息行，应为“来源：… 点击数：… 日期：YYYY-MM-DD HH:MM:SS”。",
        )
    meta_line_number, meta_line = content[meta_index]
    if meta_index == position:
        raise SeedFormatError(meta_line_number, "缺少标题行：信息行“来源：…”之前应有一行文章标题。")
    title_line_number, title = content[meta_index - 1]
    if meta_index - position > 1:
        extra_number, _ = content[position]
        raise SeedFormatError(
            extra_number, "标题行之前有无法识别的内容，应为“联系我们”块或文章标题。"
        )
    too_long(title_line_number, "title", "标题", title)

    source, hits, published_at = _parse_meta(meta_line_number, meta_line)
    lead, sections, attachments = _parse_body(content[meta_index + 1 :])
    return ParsedArticle(
        title=title,
        source=source,
        published_at=published_at,
        hits=hits,
        lead=lead,
        sections=sections,
        contact=contact,
        attachments=attachments,
    )


def _parse_contact(content):
    """The leading 联系我们 block, if any, and the index of the first line after it."""
    if content[0][1] != CONTACT_HEADER:
        return None, 0
    contact = ContactBlock()
    last_key = None
    index = 1
    while index < len(content):
        number, line = content[index]
        field_match = CONTACT_FIELD_RE.match(line)
        if field_match:
            last_key = field_match["key"][:2]
            value = field_match["value"].strip()
            if last_key == "地址":
                contact.address = value
            elif last_key == "邮编":
                if not re.fullmatch(r"\d{6}", value):
                    raise SeedFormatError(number, f"邮编应为6位数字，实际为“{value}”。")
                contact.postcode = value
            elif value:
                _add_contact_value(contact, last_key, value, number)
        elif last_key in {"电话", "传真", "邮箱"} and (
            PHONE_LINE_RE.match(line) or EMAIL_LINE_RE.match(line)
        ):
            _add_contact_value(contact, last_key, line, number)
        else:
            break
        index += 1
    return contact, index


def _add_contact_value(contact, key, value, number):
    if key == "邮箱":
        if not EMAIL_LINE_RE.match(value):
            raise SeedFormatError(number, f"邮箱地址格式不正确：“{value}”。")
        contact.emails.append(value)
    else:
        if not PHONE_LINE_RE.match(value):
            raise SeedFormatError(number, f"电话号码格式不正确：“{value}”。")
        contact.phones.append(("传真" if key == "传真" else "", value))


def _parse_meta(number, line):
    match = META_RE.match(line)
    if match is None:
        raise SeedFormatError(
            number, "信息行格式应为“来源：… 点击数：… 日期：YYYY-MM-DD HH:MM:SS”。"
        )
    raw_hits = match["hits"].strip()
    if raw_hits and not (raw_hits.isascii() and raw_hits.isdecimal()):
        raise SeedFormatError(number, f"点击数应为非负整数或留空，实际为“{raw_hits}”。")
    if raw_hits and int(raw_hits) > MAX_HITS:
        raise SeedFormatError(number, f"点击数过大（不能超过 {MAX_HITS}），实际为“{raw_hits}”。")
    source = match["source"].strip()
    too_long(number, "source", "来源", source)
    raw_date = match["date"].strip()
    for date_format in DATE_FORMATS:
        try:
            naive = datetime.strptime(raw_date, date_format)  # the site's local time
        except ValueError:
            continue
        if naive.year not in YEARS:
            raise SeedFormatError(number, f"日期的年份应在 1900 至 2999 之间，实际为“{raw_date}”。")
        published_at = naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
        return source, int(raw_hits) if raw_hits else None, published_at
    raise SeedFormatError(number, f"日期应为 YYYY-MM-DD HH:MM:SS 格式，实际为“{raw_date}”。")


def is_subheading(line):
    return len(line) <= SUBHEADING_MAX_CHARS and not (set(line) & SENTENCE_PUNCTUATION)


def too_long(number, field, name, value):
    if len(value) > LIMITS[field]:
        raise SeedFormatError(
            number, f"{name}过长（最多 {LIMITS[field]} 个字符，实际为 {len(value)} 个）。"
        )


def _split_attachments(content):
    """The body without its closing 附件 list, and that list (Attachment objects). A "附件:" whose
    lines are not all file names is ordinary text, as in “附件:会议日程见下文”."""
    for index in range(len(content) - 1, -1, -1):
        head = ATTACHMENT_HEAD_RE.match(content[index][1])
        if head is None:
            continue
        files = [(content[index][0], head["rest"])] if head["rest"] else []
        files += content[index + 1 :]
        matches = [(number, ATTACHMENT_FILE_RE.match(line)) for number, line in files]
        if not files or not all(match for _, match in matches):
            return content, []
        several = len(matches) > 1
        attachments = []
        for position, (number, match) in enumerate(matches, 1):
            name = match["name"].strip()
            stem = name.rsplit(".", 1)[0]
            title = f"附件{position}：{stem}" if several else f"附件：{stem}"
            too_long(number, "attachment title", "附件名称", title)
            attachments.append(Attachment(line=number, title=title, file_name=name))
        return content[:index], attachments
    return content, []


def _parse_body(content):
    if content and TRAILING_SOURCE_RE.match(content[-1][1]):
        content = content[:-1]
    content, attachments = _split_attachments(content)
    lead, sections = [], []
    for number, line in content:
        agenda = AGENDA_RE.match(line)
        if agenda:
            too_long(number, "label", "议程编号", agenda["label"])
            too_long(number, "section title", "议程标题", agenda["title"].strip())
            sections.append(AgendaSection(label=agenda["label"], title=agenda["title"].strip()))
        elif not sections:
            lead.append(line)
        elif is_subheading(line):
            sections[-1].items.append(SubSection(heading=line))
        elif sections[-1].items and isinstance(sections[-1].items[-1], SubSection):
            sections[-1].items[-1].paragraphs.append(line)
        else:
            sections[-1].items.append(line)
    return lead, sections, attachments
