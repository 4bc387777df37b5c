"""Chinese punctuation in Chinese text, as the importer writes what it takes from a file: a
half-width comma, colon, semicolon, exclamation or question mark beside a Chinese character, and
a pair of brackets around or beside Chinese text, become the full-width marks that the national
norm for Chinese punctuation (GB/T 15834) asks for. Files from older systems and scraped pages
mix both widths (the seed does: "来源:", "议程一:", commas throughout). Between Latin letters and
digits the marks stay as they are: 2:30, 1,000, (PDF).

AutoCorrect (autocorrect-py) was tried for this: it converts only some of these marks (not the
semicolon, not brackets, not "点击数:1286") and puts spaces between Chinese and Latin letters or
digits ("全市 62 名"), which official Chinese texts do not have."""

import re

# Chinese characters, and the full-width marks of Chinese text (、。《》「」【】 and ，：（）…).
CHINESE = r"\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff0f\uff1a-\uff1f"
CHINESE_RE = re.compile(f"[{CHINESE}]")
FULL_WIDTH = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？"}
MARK_RE = re.compile(f"(?<=[{CHINESE}])[,:;!?]|[,:;!?](?=[{CHINESE}])")
BRACKETS_RE = re.compile(r"\(([^()\n]*)\)")


def chinese_punctuation(text):
    """`text` with the half-width marks of its Chinese passages made full-width."""
    text = BRACKETS_RE.sub(full_width_brackets, text)
    return MARK_RE.sub(lambda match: FULL_WIDTH[match[0]], text)


def full_width_brackets(match):
    text = match.string
    beside = text[max(0, match.start() - 1) : match.start()] + text[match.end() : match.end() + 1]
    if CHINESE_RE.search(match[1] + beside):
        return f"（{match[1]}）"
    return match[0]
