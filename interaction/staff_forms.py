"""The forms of a message's page in the admin, one per step (interaction/staff_views.py). They
only read what a person typed or chose; the step itself, with every check of who may take it and
when, is interaction/workflow.py's."""

from django import forms

from interaction.models import NOTE_MAX, REPLY_MAX, RejectReason

UNIT_NAME_MAX = 60


def note_field(label, required=False, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label="不予受理理由", choices=RejectReason.choices)
    note = note_field("说明", help_text="来信人在查询页面可以看到理由和说明；选择“其他”时必填")


class ForwardForm(forms.Form):
    unit = forms.ModelChoiceField(label="办理单位", queryset=None, empty_label="请选择")
    note = note_field("转办说明")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].error_messages["invalid_choice"] = "请从列表中选择本站点的办理单位。"


class DraftForm(forms.Form):
    reply = forms.CharField(
        label="答复内容",
        required=False,
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    reply_unit_name = forms.CharField(
        label="答复单位",
        required=False,
        max_length=UNIT_NAME_MAX,
        help_text="显示在答复下方；不填则为办理单位的名称",
    )


class ReviewForm(forms.Form):
    publishable = forms.BooleanField(
        label="可以公开",
        required=False,
        help_text="来信人同意公开、且渠道公开答复时，答复列在渠道页面上",
    )
    comment = note_field("退回意见", help_text="退回时必填，办理人员会看到")


class RemoveContactForm(forms.Form):
    note = note_field("说明", required=True, help_text="例如：来信人来电要求删除，某年某月某日")
