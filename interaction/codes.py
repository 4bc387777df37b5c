"""The 受理编号 and the 查询码 a writer gets when a message is sent.

The number is public: it names the message on the 查询 page, in staff's listings and on the
telephone. The code is the writer's secret: ten characters of an alphabet without the ones people
confuse (0/O, 1/I/L), about 50 bits, shown once and kept only as a keyed hash, so that neither a
copy of the database nor a member of staff can use it. Lookups are limited per address as well
(interaction/lookup.py), and a wrong code and an unknown number get the same answer.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.utils import timezone

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
PREFIXES = {"message": "LY", "correction": "JC"}


def new_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalised(code):
    """The code as typed, with spaces and dashes dropped and letters made upper case (the code is
    shown in groups of five), cut short so that a huge input costs nothing."""
    return "".join(code.split()).replace("-", "").upper()[: CODE_LENGTH * 2]


def code_hash(number, code):
    message = f"interaction|{number}|{normalised(code)}"
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def code_matches(message, code):
    return bool(message.code_hash) and hmac.compare_digest(
        message.code_hash, code_hash(message.number, code)
    )


def new_number(kind, pk, when=None):
    """LY20261207-00042: the kind, the day it came in (Beijing time) and the message's row."""
    day = timezone.localtime(when or timezone.now()).strftime("%Y%m%d")
    return f"{PREFIXES[kind]}{day}-{pk:05d}"
