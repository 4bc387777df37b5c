"""What keeps robots and floods off the public forms of 互动交流, without any outside service.
None of these is the only defence; each refusal brings the form back filled in (interaction/forms.py):

- an arithmetic question from django-simple-captcha, asked in words in the field's label (so a
  screen reader reads it; no picture is shown), each answer good once and for CAPTCHA_TIMEOUT;
- a hidden field humans leave empty (its label tells those who meet it so);
- a minimum fill time: the form carries the time it was shown, signed with the site's key
  (django.core.signing) together with its question, and a form sent sooner than
  INTERACTION_MIN_FILL_SECONDS after is a robot's; no session is needed, so the page needs no
  cookie of its own, and a token is good only with the question it was shown with;
- limits per address (an IPv6 address by its /64), counted for all workers (core/limits.py):
  INTERACTION_SEND_RATE sendings, INTERACTION_LOOKUP_RATE 查询 lookups; and per 受理编号,
  INTERACTION_NUMBER_LOOKUP_RATE wrong codes from all addresses together, past which a guess at
  that number is refused and logged (the right code is always let through: the writer cannot be
  locked out; the code's fifty-odd bits are what make guessing it hopeless).
"""

import time

from captcha.models import CaptchaStore
from django.conf import settings
from django.core import signing
from django.utils import timezone

from core import limits

HONEYPOT_FIELD = "homepage"
STARTED_SALT = "interaction.form-started"
# A form older than this was kept open for a day: its time is no longer trusted.
STARTED_MAX_AGE = 86400
SEND_GROUP = "interaction-send"
LOOKUP_GROUP = "interaction-lookup"
NUMBER_GROUP = "interaction-number"

# Spoken and written the way Chinese primary school writes them.
OPERATORS = {"+": "加", "-": "减", "×": "乘", "*": "乘"}


# The arithmetic question ----------------------------------------------------------------------


# Every this many questions, a process removes the expired ones (a page shown and never sent
# leaves its question behind).
PRUNE_EVERY = 100
_asked = 0


def new_challenge():
    """(key, question in words): a new question, stored by the captcha app; the key goes into the
    form, the answer stays in the database."""
    global _asked
    _asked += 1
    if _asked % PRUNE_EVERY == 0:
        remove_expired_questions()
    key = CaptchaStore.generate_key()
    challenge = CaptchaStore.objects.get(hashkey=key).challenge
    return key, question_in_words(challenge)


def question_in_words(challenge):
    """ "7×3=" as "7 乘 3 等于多少？" — read the same by eyes and by screen readers."""
    expression = challenge.rstrip("=")
    for sign, word in OPERATORS.items():
        left, found, right = expression.partition(sign)
        if found and left:
            return f"{left} {word} {right} 等于多少？"
    return f"{expression} 等于多少？"


def question_for(key):
    """The question of an unexpired key, in words, or None."""
    store = CaptchaStore.objects.filter(hashkey=key[:40], expiration__gt=timezone.now()).first()
    return question_in_words(store.challenge) if store else None


def answer_is_right(key, answer):
    """Whether `answer` answers the question of `key`; the question is used up either way, so
    each may be tried once."""
    key = (key or "")[:40]
    answer = "".join((answer or "").split())[:32].lower()
    if not key:
        return False
    rows = CaptchaStore.objects.filter(hashkey=key)
    right = bool(answer) and rows.filter(response=answer, expiration__gt=timezone.now()).exists()
    rows.delete()
    return right


def remove_expired_questions():
    CaptchaStore.remove_expired()


# The minimum fill time ------------------------------------------------------------------------


def started_token(key):
    """The time the form with question `key` was shown, signed: it goes with that question
    alone, so a token taken once cannot start other forms' clocks."""
    return signing.dumps([time.time(), key], salt=STARTED_SALT)


def fill_seconds(token, key, max_age=STARTED_MAX_AGE):
    """How many seconds ago the form carrying `token` and question `key` was shown, or None
    when the token is missing, forged, older than `max_age` seconds or another question's."""
    try:
        started = signing.loads((token or "")[:200], salt=STARTED_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not (isinstance(started, list) and len(started) == 2):
        return None
    shown, signed_key = started
    if not isinstance(shown, (int, float)) or signed_key != (key or "")[:40]:
        return None
    return time.time() - shown


def sent_too_soon(token, key):
    seconds = fill_seconds(token, key)
    return seconds is None or seconds < settings.INTERACTION_MIN_FILL_SECONDS


# Limits ---------------------------------------------------------------------------------------


def sending_over_limit(request):
    return limits.exceeded(request, SEND_GROUP, settings.INTERACTION_SEND_RATE)


def lookup_over_limit(request):
    """Counts one lookup against the address; whether it is over INTERACTION_LOOKUP_RATE."""
    return limits.exceeded(request, LOOKUP_GROUP, settings.INTERACTION_LOOKUP_RATE)


def wrong_code_over_limit(number):
    """Counts one wrong code (or unknown number) against the 受理编号 from all addresses
    together; whether it is over INTERACTION_NUMBER_LOOKUP_RATE. Only wrong codes count, so
    nobody can keep a writer from their own reply by spending the number's lookups."""
    return limits.counted_over(
        NUMBER_GROUP, number.upper(), settings.INTERACTION_NUMBER_LOOKUP_RATE
    )
