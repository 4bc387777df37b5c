"""The contact details' admin form: one number or address is listed once, and what goes out on
发布 passes the 错敏词 check (core/gate_forms.py)."""

from contact.validators import phone_key
from core.admin_forms import SafeModelForm
from core.gate_forms import SnippetGateMixin

REPEATED_PHONE = "电话号码 {value} 已经填写过，同一号码只列一次。"
REPEATED_EMAIL = "邮箱 {value} 已经填写过，同一邮箱只列一次。"


class ContactDetailsForm(SnippetGateMixin, SafeModelForm):
    """Refuses a phone or e-mail listed twice (also written differently: 0599-1234567 and
    (0599) 123 4567, Office@ and office@), naming it on the row that repeats it."""

    def clean(self):
        cleaned_data = super().clean()
        refuse_repeats(self.formsets.get("phones"), "number", phone_key, REPEATED_PHONE)
        refuse_repeats(self.formsets.get("emails"), "address", str.casefold, REPEATED_EMAIL)
        return cleaned_data


def refuse_repeats(formset, name, key, message):
    if formset is None:
        return
    seen = set()
    for form in formset.forms:
        # Each row is checked first, so only rows that will be kept, as they will be kept, count.
        if not form.is_valid() or (formset.can_delete and formset._should_delete_form(form)):
            continue
        value = form.cleaned_data.get(name)
        identity = key(value) if value else ""
        if not identity:
            continue
        if identity in seen:
            form.add_error(name, message.format(value=value))
        seen.add(identity)
