"""Validation of contact fields, with the messages staff see in the admin."""

import re
import unicodedata

from django.core.validators import RegexValidator

# Dashes a Chinese input method or a word processor puts where a phone number has a hyphen:
# － (full-width, which NFKC maps already), ‐ ‑ ‒ – — ― (hyphens and dashes), − (minus), ﹣ ﹘.
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")


def half_width(text):
    """Full-width digits, brackets, hyphens, plus signs and spaces (３５０９００, （０５９２）,
    ０５９２－６２７６７２０) and the dashes above as the ASCII ones every phone and postcode is
    stored and shown with."""
    return unicodedata.normalize("NFKC", text or "").translate(DASHES).strip()


def phone_key(number):
    """What two ways of writing one number share (0592-6276720, (0592) 627 6720): its digits,
    with the extension apart."""
    return tel_uri(half_width(number))


postcode_validator = RegexValidator(r"^\d{6}$", "邮政编码必须是6位数字，例如 361024。")
# 网站标识码: the ten digits the national government-website register gives each site.
site_code_validator = RegexValidator(r"^\d{10}$", "网站标识码是10位数字，例如 3502000001。")

# Digits with the separators people write in Chinese phone numbers: 0592-6276720, (0592) 627 6720,
# +86 592 6276720, 13400604028, with an optional extension such as 转 123.
PHONE_RE = re.compile(
    r"^(?P<main>\+?[\d\s()\uff08\uff09-]{5,30}?)(?:\s*(?:转|ext\.?|x)\s*(?P<ext>\d{1,6}))?$"
)
phone_validator = RegexValidator(
    PHONE_RE, "电话号码只能包含数字、空格、括号、连字符和开头的 +，例如 0592-6276720。"
)


def tel_uri(number):
    """The `tel:` link for a number as people write it, keeping an extension apart."""
    match = PHONE_RE.match(number.strip())
    if match is None:
        return ""
    digits = re.sub(r"[^\d+]", "", match["main"])
    return f"tel:{digits};ext={match['ext']}" if match["ext"] else f"tel:{digits}"
