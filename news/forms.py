"""Admin forms of articles and 专题: the edit form, which asks to confirm a 发布时间 far from today;
on 提交审核, 发布 or approval refuses a 发布时间 later than the article's first publication by more
than DATE_TOLERANCE_DAYS unless someone who may publish it writes a reason (core/date_gate.py),
and, like the 专题's, passes the 错敏词 check (core/gate_forms.py); and the
form for copying an article to a column or publishing it into another (一稿多发)."""

from datetime import date, timedelta

from django import forms
from django.utils.timezone import localtime, now
from wagtail.admin.forms.pages import CopyForm
from wagtail.admin.panels import FieldPanel

from core import date_gate
from core.admin_forms import SafePageForm
from core.gate_forms import PageGateMixin, override_field
from news.slugs import new_article_slug

# The founding of the People's Republic: an article dated earlier is most likely a mistyped year
# (1024 for 2024), though a history column may mean it. So is one dated more than a year ahead.
EARLIEST_USUAL = date(1949, 10, 1)
FURTHEST_USUAL_AHEAD = timedelta(days=365)
CONFIRM_FIELD = "confirm_published_at"
CONFIRM_LABEL = "确认此日期"
EARLIEST_IN_WORDS = f"{EARLIEST_USUAL.year} 年 {EARLIEST_USUAL.month} 月 {EARLIEST_USUAL.day} 日"
CONFIRM_HINT = f"如确是这个时间，请勾选下方“{CONFIRM_LABEL}”后再保存。"
TOO_EARLY = f"发布时间早于 {EARLIEST_IN_WORDS}，请核对年份。{CONFIRM_HINT}"
TOO_LATE = f"发布时间在一年以后，请核对年份。{CONFIRM_HINT}"
REASON_LABEL = date_gate.REASON_LABEL
REASON_HINT = f"请在下方“{REASON_LABEL}”中写明为什么这样改，理由将记入审计日志。"
REASON_FROM_REVIEWER = (
    "须由审核人员写明理由后才能提交或发布。请改回原来的发布时间，"
    "或保存草稿后请审核人员在本页写明理由并发布。"
)


def unusual_date(when):
    """Why a 发布时间 deserves a second look, or None."""
    if localtime(when).date() < EARLIEST_USUAL:
        return TOO_EARLY
    if when > now() + FURTHEST_USUAL_AHEAD:
        return TOO_LATE
    return None


class CheckedPageForm(PageGateMixin, SafePageForm):
    """The form of a page whose text readers see, checked for 错敏词 before it goes to them."""

    content_override_reason = override_field()


class ArticlePageForm(CheckedPageForm):
    """An article's edit form. A 发布时间 before 1949-10-01 or more than a year ahead, newly typed,
    is not saved at once (nor autosaved): the form says so, and offers 确认此日期 to the editor or
    reviewer, who ticks it and saves again. A date saved so before is not asked about again."""

    confirm_published_at = forms.BooleanField(
        label=CONFIRM_LABEL,
        required=False,
        help_text=f"发布时间确实早于 {EARLIEST_IN_WORDS}或在一年以后",
    )
    date_reason = forms.CharField(
        label=REASON_LABEL,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="发布时间晚于首次发布超过规定天数时，由审核人员写明理由（记入审计日志）",
    )

    def clean(self):
        cleaned_data = super().clean()
        when = cleaned_data.get("published_at")
        self.date_warning = None
        if when is not None and self.is_new_date(when):
            self.date_warning = unusual_date(when)
        if self.date_warning and not cleaned_data.get(CONFIRM_FIELD):
            self.add_error("published_at", self.date_warning)
        self.check_date_reason(when, cleaned_data)
        return cleaned_data

    def check_date_reason(self, when, cleaned_data):
        """A 发布时间 later than the first publication by more than the tolerance goes out only
        with a reason from someone who may publish the article; an editor's own is not taken."""
        self.reason_asked = self.given_reason = None
        # The actions that send the article towards readers, as the 错敏词 check decides them.
        if when is None or self.gated_action() is None:
            return
        refusal = date_gate.reason_needed(self.instance, when, cleaned_data.get("go_live_at"))
        if refusal is None:
            return
        reason = (cleaned_data.get(date_gate.REASON_FIELD) or "").strip()
        if not self.may_give_reason():
            self.add_error("published_at", f"{refusal}，{REASON_FROM_REVIEWER}")
        elif reason:
            self.given_reason = reason
        else:
            self.reason_asked = True
            self.add_error("published_at", f"{refusal}。{REASON_HINT}")

    def may_give_reason(self):
        user = getattr(self, "for_user", None)
        if user is None:
            return False
        if self.instance.pk is None:
            parent = getattr(self, "parent_page", None)
            return parent is not None and parent.permissions_for_user(user).can_publish_subpage()
        return self.instance.permissions_for_user(user).can_publish()

    @property
    def asks_for_date_reason(self):
        """Whether 改期理由 is shown: once the form has asked for it, or when someone who may
        give it opens an article whose draft needs it."""
        if getattr(self, "reason_asked", None) or getattr(self, "given_reason", None):
            return True
        if self.is_bound or self.instance.pk is None:
            return False
        return self.may_give_reason() and (
            date_gate.reason_needed(
                self.instance, self.instance.published_at, self.instance.go_live_at
            )
            is not None
        )

    def save(self, commit=True):
        page = super().save(commit=commit)
        if getattr(self, "given_reason", None) and not getattr(self, "checking_content", False):
            date_gate.give_reason(page, page.published_at, self.for_user, self.given_reason)
        return page

    def is_new_date(self, when):
        # The form shows minutes: a stored date with seconds comes back without them.
        saved = self.instance.published_at if self.instance.pk else None
        return saved is None or abs(when - saved) >= timedelta(minutes=1)

    @property
    def asks_to_confirm_date(self):
        return bool(getattr(self, "date_warning", None))


class DateConfirmationPanel(FieldPanel):
    """确认此日期, shown only once the form has asked about the 发布时间."""

    def __init__(self, field_name=CONFIRM_FIELD, **kwargs):
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return super().is_shown() and getattr(self.form, "asks_to_confirm_date", False)


class DateReasonPanel(FieldPanel):
    """改期理由, shown only when the 发布时间 needs one and the user may give it."""

    def __init__(self, field_name=date_gate.REASON_FIELD, **kwargs):
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return super().is_shown() and getattr(self.form, "asks_for_date_reason", False)


class ArticleCopyForm(CopyForm):
    """Copying an article never asks for a slug: the copy gets a new one, free in the column it is
    copied to."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_slug"].required = False
        self.fields["new_slug"].widget = forms.HiddenInput()
        self.fields["new_slug"].label = ""
        if "alias" in self.fields:
            # Wagtail's alias is how one report is published into several columns.
            self.fields["alias"].label = "一稿多发"
            self.fields["alias"].help_text = (
                "在目标栏目中同时发布这篇文章（不另存一份）：原文修改后自动同步，"
                "读者打开时转到原文，点击数与搜索结果只算一份"
            )

    def clean(self):
        parent = self.cleaned_data.get("new_parent_page") or self.page.get_parent()
        self.cleaned_data["new_slug"] = new_article_slug(parent)
        return super().clean()
