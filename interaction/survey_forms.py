"""The 征集 form a reader fills in, what it refuses, and how one reader is told from another.

One answer per reader, without keeping an address: a reader is named by a keyed hash
(core/keyed.py) of the 征集, the reader's address block (an IPv6 address by its /64, as
core/limits.py counts it) and the browser's User-Agent, the same kind of key the click counter
uses (news/hits/counting.py). Nobody who reads the table can tell an address from it, nor find a
reader's key without the site's secret. The method has limits, which the editors should know
when they read the figures: readers behind one NAT (an office, a school) who use the same browser
share one key, so only the first of them can answer; one person with two browsers or two networks
has two keys. A signed cookie set with the first answer is a second check on the same browser
when its address changes; clearing cookies undoes it. Neither makes a 征集 a vote.

Since the User-Agent is whatever a client says it is, each answer also keeps a second keyed hash,
of the 征集 and the address block alone, and one block may send at most
INTERACTION_SURVEY_PER_ADDRESS answers to a 征集 however many browsers it claims to be. The price:
an office or school behind one NAT can send no more than that many either.

Every form also carries a field no person sees (a robot filling every field fills it) and a
signed time it was shown (interaction/abuse.py's, as the other public forms carry): one sent
sooner than INTERACTION_MIN_FILL_SECONDS after is taken for a robot's, and one without a valid
time is refused as expired.
"""

from django import forms
from django.conf import settings

from core.clients import client_ip
from core.keyed import keyed_hash
from core.limits import address_block
from interaction import abuse

TEXT_ANSWER_MAX = 1000

SINGLE = "single"
MULTIPLE = "multiple"
TEXT = "text"
KINDS = [(SINGLE, "单选"), (MULTIPLE, "多选"), (TEXT, "文字")]
CHOICE_KINDS = {SINGLE, MULTIPLE}

ALREADY_ANSWERED = "您已经提交过本次征集的答卷，每位读者只能提交一次，感谢参与。"
ADDRESS_FULL = "您所在网络提交的答卷已达上限，本次征集不再接受来自该网络的答卷，感谢参与。"
TOO_FAST = "提交得太快了，请检查后再次提交。"
TOO_OFTEN = "提交太频繁，请稍后再次提交，您填写的内容已保留。"
EXPIRED = "页面已过期，请检查后再次提交。"
TRAP_FIELD = "website"
SHOWN_FIELD = "shown"
TOKEN_MAX_AGE = 2 * 86400
COOKIE_MAX_AGE = 365 * 86400
USER_AGENT_MAX = 400


def reader_key(request, survey):
    address = address_block(client_ip(request))
    agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    return keyed_hash("survey", str(survey.pk), address, agent)


def address_key(request, survey):
    """The 征集 and the reader's address block, under the site's secret: no browser in it."""
    return keyed_hash("survey-address", str(survey.pk), address_block(client_ip(request)))


def address_full(survey, key):
    """Whether the address block has sent all the answers it may."""
    return survey.answers.filter(address_key=key).count() >= settings.INTERACTION_SURVEY_PER_ADDRESS


def _cookie_name(survey):
    return f"survey-{survey.pk}"


def _cookie_salt(survey):
    return f"interaction.survey.answered.{survey.pk}"


def has_answered(request, survey, key):
    signed = request.get_signed_cookie(
        _cookie_name(survey), default=None, salt=_cookie_salt(survey), max_age=COOKIE_MAX_AGE
    )
    return signed == "1" or survey.answers.filter(reader_key=key).exists()


def remember_answered(response, survey):
    response.set_signed_cookie(
        _cookie_name(survey),
        "1",
        salt=_cookie_salt(survey),
        max_age=COOKIE_MAX_AGE,
        path=survey.url or "/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _token_key(survey):
    """What the signed start time goes with: this 征集 (its form asks no question)."""
    return f"survey-{survey.pk}"


def shown_token(survey):
    """The signed time the form is shown now (interaction/abuse.py's, as the other forms')."""
    return abuse.started_token(_token_key(survey))


REQUIRED = "请回答此题。"
NOT_OFFERED = "请从给出的选项中选择。"


def field_name(block_id):
    return f"q-{block_id}"


def question_field(question):
    options = [option.strip() for option in question["options"] or [] if option.strip()]
    common = {
        "label": question["question"],
        "required": bool(question["required"]),
        "error_messages": {
            "required": REQUIRED,
            "invalid_choice": NOT_OFFERED,
            "invalid_list": NOT_OFFERED,
        },
    }
    if question["kind"] == SINGLE:
        return forms.ChoiceField(
            choices=[(o, o) for o in options], widget=forms.RadioSelect, **common
        )
    if question["kind"] == MULTIPLE:
        return forms.MultipleChoiceField(
            choices=[(o, o) for o in options], widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(
        max_length=TEXT_ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": TEXT_ANSWER_MAX}),
        label=common["label"],
        required=common["required"],
        error_messages={
            "required": REQUIRED,
            "max_length": f"请不要超过{TEXT_ANSWER_MAX}字（现有%(show_value)d字）。",
        },
    )


class SurveyForm(forms.Form):
    """The questions of one 征集, each a field named by its question's id; only options the
    question offers are taken, each once."""

    def __init__(self, survey, data=None):
        super().__init__(data)
        self.survey = survey
        self.questions = []
        for block_id, question in survey.question_list():
            name = field_name(block_id)
            self.fields[name] = question_field(question)
            self.questions.append((block_id, question, name))

    def fresh_token(self):
        return shown_token(self.survey)

    def clean(self):
        cleaned = super().clean()
        if self.data.get(TRAP_FIELD):
            raise forms.ValidationError(TOO_FAST)
        seconds = abuse.fill_seconds(
            self.data.get(SHOWN_FIELD), _token_key(self.survey), max_age=TOKEN_MAX_AGE
        )
        if seconds is None:
            raise forms.ValidationError(EXPIRED)
        if seconds < settings.INTERACTION_MIN_FILL_SECONDS:
            raise forms.ValidationError(TOO_FAST)
        return cleaned

    def rows(self):
        """(question, bound field, kind) in the page's order, for the template."""
        return [(question, self[name], question["kind"]) for _id, question, name in self.questions]

    def answers(self):
        """What is kept: {question id: answer}, the unanswered left out; a multiple choice in the
        order of its options, each option once."""
        kept = {}
        for block_id, question, name in self.questions:
            value = self.cleaned_data.get(name)
            if not value:
                continue
            if question["kind"] == MULTIPLE:
                value = [option for option in question["options"] if option in set(value)]
            elif question["kind"] not in CHOICE_KINDS:
                value = value.strip()
            kept[block_id] = value
        return kept
