"""The public forms of 互动交流: a channel's message, a 纠错, a 查询 and the writer's 满意度.

They hold only what a writer may set. Status, review flags, reply, unit and address are no
fields of theirs, so a posted "status=replied" is never read (interaction/workflow.py sets those).
Every text has its length limit, checked after line breaks are counted as one character (a
browser sends two) so that the limit shown, the browser's counter and the check agree.

Every form carries the abuse checks (interaction/abuse.py): the arithmetic question in words,
the hidden field humans leave empty and the signed time it was shown. A refused form comes back
with what was typed, except the attachment and the question's answer, a new question and a
Chinese message at the top; each field's help and errors are tied to it with aria-describedby.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from interaction import abuse, attachments
from interaction.models import (
    CONTENT_MAX,
    EMAIL_MAX,
    NAME_MAX,
    PHONE_MAX,
    SELECTED_MAX,
    TITLE_MAX,
    TITLE_MIN,
    URL_MAX,
    Category,
    ErrorType,
    Satisfaction,
)

REFUSED = "提交未成功，请按下面的提示修改后重新提交。您填写的内容都已保留。"
HONEYPOT_FILLED = "提交未成功：标明“请勿填写”的一项被填写了。请清空该项后重新提交。"
TOO_SOON = "提交未成功：表单已过期或提交过快。请核对内容，回答新的验证题后重新提交。"
WRONG_ANSWER = "验证题的答案不对，请回答新的验证题。"
NEED_CONTACT = "请至少填写电话或邮箱中的一项，以便我们联系您。"
BAD_PHONE = "电话号码只能包含数字、空格、“-”、“+”和括号，至少 7 位数字。"
PHONE_CHARACTERS = re.compile(r"^[0-9+\-() ]+$")
NUMBER_MAX = 20
CODE_MAX = 20


LENGTH_MESSAGES = {
    "min_length": "至少要写 %(limit_value)d 个字（现在是 %(show_value)d 个）。",
    "max_length": "不能超过 %(limit_value)d 个字（现在是 %(show_value)d 个）。",
}


def one_line_breaks(value):
    return value.replace("\r\n", "\n").replace("\r", "\n") if isinstance(value, str) else value


class TextField(forms.CharField):
    """A text field whose line breaks count as one character each, its length told in 字 and in
    Chinese punctuation."""

    default_error_messages = LENGTH_MESSAGES

    def to_python(self, value):
        return super().to_python(one_line_breaks(value))


class PublicForm(forms.Form):
    """The abuse checks every public form carries, and the accessible marks on its fields."""

    # What the form's message at the top says when it is refused.
    refusal = REFUSED
    asks_question = True

    captcha_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)
    captcha_answer = TextField(
        label="验证题",
        required=True,
        max_length=8,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "captcha-answer"}
        ),
        error_messages={"required": "请回答验证题。"},
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)
    homepage = forms.CharField(
        label="请勿填写此项（用于识别自动程序）",
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "honeypot-input"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.asks_question:
            for name in ("captcha_key", "captcha_answer", "homepage", "started"):
                self.fields.pop(name)
        self.question = ""
        self.top_message = ""

    def prepare(self, checked=True):
        """Before the form is shown, first or again: a new question and a new start time, the
        answer emptied. `checked` false shows a bound form without checking it (refused before
        that, over a limit)."""
        if self.is_bound and not checked:
            # Shown as typed, with no field marked: nothing here was checked, and the template
            # must not check it now (against the new question, with an empty answer).
            self._errors, self.cleaned_data = ErrorDict(), {}
        errors = self.errors if self.is_bound else {}
        if not self.asks_question:
            self.describe(errors)
            return self
        key, self.question = abuse.new_challenge()
        self.fields["captcha_answer"].label = f"验证题：{self.question}"
        if self.is_bound:
            data = self.data.copy()
            data["started"] = abuse.started_token(key)
            data["captcha_key"] = key
            data["captcha_answer"] = ""
            self.data = data
        else:
            self.initial["started"] = abuse.started_token(key)
            self.initial["captcha_key"] = key
        self.describe(errors)
        return self

    def describe(self, errors):
        """aria-describedby naming each field's help and error, aria-invalid on refused ones."""
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.HiddenInput):
                continue
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}-help")
            if name in errors:
                ids.append(f"{bound.auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            else:
                field.widget.attrs.pop("aria-invalid", None)
            if ids and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def clean(self):
        cleaned = super().clean()
        if not self.asks_question:
            return cleaned
        # The question is used up first, whatever else is wrong: each is answered once.
        right = abuse.answer_is_right(cleaned.get("captcha_key"), cleaned.get("captcha_answer"))
        if cleaned.get("homepage"):
            self.top_message = HONEYPOT_FILLED
            raise ValidationError(HONEYPOT_FILLED, code="honeypot")
        if abuse.sent_too_soon(self.data.get("started"), cleaned.get("captcha_key")):
            self.top_message = TOO_SOON
            raise ValidationError(TOO_SOON, code="too_soon")
        if "captcha_answer" in cleaned and not right:
            self.add_error("captcha_answer", WRONG_ANSWER)
        return cleaned

    def message_at_top(self):
        return self.top_message or self.refusal

    def writer_fields(self):
        """What interaction/workflow.py's receive() takes from this form."""
        raise NotImplementedError


class ContactFields(forms.Form):
    name = TextField(label="姓名", max_length=NAME_MAX, help_text=f"不超过 {NAME_MAX} 字，不公开")
    phone = TextField(
        label="电话",
        max_length=PHONE_MAX,
        required=False,
        help_text="电话和邮箱至少填一项，不公开",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": "请填写姓名。"},
    )
    email = forms.EmailField(
        label="邮箱",
        max_length=EMAIL_MAX,
        required=False,
        error_messages=LENGTH_MESSAGES,
        help_text="不公开",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        digits = sum(character.isdigit() for character in phone)
        if phone and (not PHONE_CHARACTERS.match(phone) or digits < 7):
            raise ValidationError(BAD_PHONE, code="phone")
        return phone


class MessageForm(PublicForm, ContactFields):
    category = forms.ChoiceField(
        label="类型",
        choices=Category.choices,
        widget=forms.RadioSelect,
        initial=Category.QUESTION,
        error_messages={"required": "请选择类型。", "invalid_choice": "请选择类型。"},
    )
    title = TextField(
        label="标题",
        min_length=TITLE_MIN,
        max_length=TITLE_MAX,
        help_text=f"{TITLE_MIN}～{TITLE_MAX} 字",
        error_messages={"required": "请填写标题。"},
    )
    content = TextField(
        label="内容",
        max_length=CONTENT_MAX,
        help_text=f"不超过 {CONTENT_MAX} 字",
        widget=forms.Textarea(attrs={"rows": 10, "data-count-limit": str(CONTENT_MAX)}),
        error_messages={"required": "请填写内容。"},
    )
    consent_public = forms.BooleanField(
        label="同意公开：答复后，可以在本页公开我的来信内容和答复（姓名、电话、邮箱一律不公开）",
        required=False,
    )
    attachment = forms.FileField(
        label="附件（可选）",
        required=False,
        help_text=attachments.allowed_words(),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".jpg,.jpeg,.png,.gif,.webp,.pdf,image/jpeg,image/png,application/pdf"}
        ),
    )
    agree_privacy = forms.BooleanField(
        label="我已阅读上面的个人信息处理说明，同意按说明处理我填写的个人信息",
        error_messages={"required": "请阅读个人信息处理说明并勾选同意。"},
    )

    field_order = [
        "category",
        "title",
        "content",
        "name",
        "phone",
        "email",
        "consent_public",
        "attachment",
        "agree_privacy",
        "captcha_answer",
    ]

    def clean_attachment(self):
        file = self.cleaned_data.get("attachment")
        if file:
            attachments.check(file)
        return file

    def clean(self):
        cleaned = super().clean()
        given = cleaned.get("phone") or cleaned.get("email")
        if not given and not self.has_error("phone") and not self.has_error("email"):
            self.add_error("phone", NEED_CONTACT)
        return cleaned

    def writer_fields(self):
        data = self.cleaned_data
        fields = {
            "category": data["category"],
            "title": data["title"],
            "content": data["content"],
            "name": data["name"],
            "phone": data["phone"],
            "email": data["email"],
            "consent_public": bool(data["consent_public"]),
        }
        if data.get("attachment"):
            fields["attachment"], fields["attachment_name"] = attachments.stored(data["attachment"])
        return fields


def page_path(value):
    """The address a 纠错 is about: a path on this site, or nothing."""
    value = "".join((value or "").split())[:URL_MAX]
    if not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value


class CorrectionForm(PublicForm):
    page_url = TextField(
        label="出错页面的地址",
        max_length=URL_MAX,
        required=False,
        help_text="本站页面的地址，从页面底部的“纠错”链接进入时已自动填写",
    )
    error_type = forms.ChoiceField(
        label="错误类型",
        choices=ErrorType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择错误类型。", "invalid_choice": "请选择错误类型。"},
    )
    selected_text = TextField(
        label="有误的文字（可选）",
        max_length=SELECTED_MAX,
        required=False,
        help_text=f"不超过 {SELECTED_MAX} 字",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    content = TextField(
        label="问题描述",
        max_length=CONTENT_MAX,
        help_text=f"请说明错在哪里、应当怎样改，不超过 {CONTENT_MAX} 字",
        widget=forms.Textarea(attrs={"rows": 6, "data-count-limit": str(CONTENT_MAX)}),
        error_messages={"required": "请说明哪里有错。"},
    )
    name = TextField(label="姓名（可选）", max_length=NAME_MAX, required=False)
    email = forms.EmailField(
        label="邮箱（可选）",
        max_length=EMAIL_MAX,
        required=False,
        error_messages=LENGTH_MESSAGES,
        help_text="留下邮箱，我们可以告诉您改正的结果；不公开",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["page_url", "error_type", "selected_text", "content", "name", "email"]

    def clean_page_url(self):
        value = self.cleaned_data.get("page_url", "")
        path = page_path(value)
        if value and not path:
            raise ValidationError("请填写本站页面的地址（以“/”开头），或留空。", code="url")
        return path

    def writer_fields(self):
        data = self.cleaned_data
        label = ErrorType(data["error_type"]).label
        return {
            "category": Category.OTHER,
            "error_type": data["error_type"],
            "title": f"{label}：{data['page_url'] or '未写明页面'}"[:TITLE_MAX],
            "content": data["content"],
            "page_url": data["page_url"],
            "selected_text": data["selected_text"],
            "name": data["name"],
            "email": data["email"],
        }


class LookupForm(PublicForm):
    """The 受理编号 and the 查询码; no question asked (the lookups are limited instead)."""

    asks_question = False
    refusal = "查询未成功，请按下面的提示修改。"

    number = TextField(
        label="受理编号",
        max_length=NUMBER_MAX,
        help_text="如 LY20261207-00042",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "请填写受理编号。"},
    )
    code = TextField(
        label="查询码",
        max_length=CODE_MAX,
        help_text="提交时得到的 10 位查询码，不区分大小写",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "请填写查询码。"},
    )

    def clean_number(self):
        return "".join(self.cleaned_data.get("number", "").split()).upper()


class RatingForm(LookupForm):
    refusal = "评价未提交，请选择满意度后再提交。"
    satisfaction = forms.ChoiceField(
        label="您对答复是否满意",
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择满意度。", "invalid_choice": "请选择满意度。"},
    )
