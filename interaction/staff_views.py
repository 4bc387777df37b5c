"""互动交流 in the admin: the 来信 listing, a message's page with its history and the forms of
the steps the user may take now, and the attachment download.

Every view reads messages through interaction/staff_access.py (the sites the user may act on and
the workflow's rules of who sees what), and every step goes through interaction/workflow.py,
which checks again who acts and in what state and logs the step; nothing here changes a message.
A refused step (wrong state, a unit of another site, a missing field) comes back as a Chinese
message over the page with what was typed kept; a step the user may not take is refused with 403.

Search in titles, contents and replies: Wagtail's database search splits a query on spaces and
matches whole words, which finds nothing in Chinese text with no spaces. The listing reads the
query as the channel pages' search of published replies does (interaction/search.py), every
word a substring of one of the three fields, with the same bounds on its cost.
"""

import os

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.models import IndexView

from core import content_gate
from core.admin_forms import SafeFilterForm
from core.admin_pages import AdminPage
from interaction import workflow
from interaction.models import ChannelPage, HandlingUnit, Kind, Message, Status
from interaction.search import matching
from interaction.staff_access import may_use, page_of, sites_for, units_for, visible_messages
from interaction.staff_forms import (
    DraftForm,
    ForwardForm,
    RejectForm,
    RemoveContactForm,
    ReviewForm,
)
from news.admin_views import LocalDateTimeColumn

SEARCH_FIELDS = ("title", "content", "reply")

INDEX = "interaction_messages:index"
RESULTS = "interaction_messages:index_results"
DETAIL = "interaction_messages:detail"
ATTACHMENT = "interaction_messages:attachment"


class MessageFilterSet(WagtailFilterSet):
    channel = django_filters.ModelChoiceFilter(
        label="渠道", queryset=ChannelPage.objects.none(), empty_label="全部渠道"
    )
    kind = django_filters.ChoiceFilter(label="类别", choices=Kind.choices, empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=Status.choices, empty_label="全部")
    unit = django_filters.ModelChoiceFilter(
        label="办理单位", queryset=HandlingUnit.objects.none(), empty_label="全部单位"
    )
    overdue = django_filters.ChoiceFilter(
        label="超期",
        choices=[("yes", "已超期"), ("no", "未超期")],
        empty_label="全部",
        method="filter_overdue",
    )

    class Meta:
        model = Message
        form = SafeFilterForm
        fields = ["channel", "kind", "status", "unit", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        sites = sites_for(request.user)
        roots = Q(pk__in=[])
        for site in sites.select_related("root_page"):
            roots |= Q(path__startswith=site.root_page.path)
        self.filters["channel"].queryset = ChannelPage.objects.filter(roots).order_by("path")
        self.filters["unit"].queryset = HandlingUnit.objects.filter(site__in=sites).order_by("name")

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = queryset.overdue(today)
        if value == "yes":
            return overdue
        if value == "no":
            return queryset.exclude(pk__in=overdue.values("pk"))
        return queryset


class DueColumn(Column):
    """期限, in red (and said in words) once an open message has passed it."""

    cell_template_name = "interaction/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_overdue(timezone.localdate())
        return context


def detail_url(message):
    return reverse(DETAIL, args=(message.pk,))


class MessageIndexView(IndexView):
    """来信: the messages the user may see, newest first."""

    model = Message
    page_title = "来信"
    header_icon = "mail"
    index_url_name = INDEX
    index_results_url_name = RESULTS
    filterset_class = MessageFilterSet
    search_fields = SEARCH_FIELDS
    default_ordering = "-received_at"
    paginate_by = 30
    permission_policy = None

    def dispatch(self, request, *args, **kwargs):
        if not may_use(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def columns(self):
        return [
            TitleColumn("number", label="受理编号", get_url=detail_url, sort_key="number"),
            Column("title", label="标题"),
            Column("channel", label="渠道"),
            Column("get_kind_display", label="类别"),
            Column("get_status_display", label="状态", sort_key="status"),
            Column("unit", label="办理单位"),
            LocalDateTimeColumn("received_at", label="收到", sort_key="received_at"),
            DueColumn("due_date", label="期限", sort_key="due_date"),
        ]

    def get_base_queryset(self):
        return visible_messages(self.request.user)

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return matching(queryset, self.search_query, SEARCH_FIELDS)[0]


# The steps, by the `action` a form's button posts: (form class or None, what the button says).
STEPS = {
    "accept": (None, "受理"),
    "reject": (RejectForm, "不予受理"),
    "forward": (ForwardForm, "转办"),
    "save_draft": (DraftForm, "保存草稿"),
    "submit_reply": (DraftForm, "提交审核"),
    "approve": (ReviewForm, "审核通过"),
    "send_back": (ReviewForm, "退回修改"),
    "remove_contact": (RemoveContactForm, "删除联系信息"),
}
# Which form each step's fields are posted with, by the form's name on the page.
FORM_OF = {
    "reject": "reject",
    "forward": "forward",
    "save_draft": "draft",
    "submit_reply": "draft",
    "approve": "review",
    "send_back": "review",
    "remove_contact": "remove_contact",
}


def take_step(action, message, user, data):
    """The workflow's function for the step, with the form's cleaned data."""
    if action == "accept":
        return workflow.accept(message, user)
    if action == "reject":
        return workflow.reject(message, user, data["reason"], data["note"])
    if action == "forward":
        return workflow.forward(message, user, data["unit"], data["note"])
    if action == "save_draft":
        return workflow.save_draft(message, user, data["reply"], data["reply_unit_name"])
    if action == "submit_reply":
        return workflow.submit_reply(message, user, data["reply"], data["reply_unit_name"])
    if action == "approve":
        return workflow.approve(message, user, data["publishable"])
    if action == "send_back":
        return workflow.send_back(message, user, data["comment"])
    return workflow.remove_contact(message, user, data["note"])


def first_error(form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return "请检查填写的内容。"


class MessageView(AdminPage, View):
    """One message: everything it holds, its history, and the forms of what the user may do."""

    template_name = "interaction/admin/message.html"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not may_use(request.user):
            raise PermissionDenied
        self.message = get_object_or_404(visible_messages(request.user), pk=kwargs["pk"])
        self.page_title = f"来信 {self.message.number}"
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": "来信"},
            {"url": "", "label": self.message.number},
        ]

    def allowed(self):
        """The forms this user may use on the message as it is now: the workflow's steps, and
        转办 only where the site has a unit to forward to."""
        steps = workflow.steps_allowed(self.request.user, self.message)
        return {
            "accept": "accept" in steps,
            "reject": "reject" in steps,
            "forward": "forward" in steps and units_for(self.message).exists(),
            "draft": "draft" in steps,
            "review": "send_back" in steps,
            "approve": "approve" in steps,
            "remove_contact": "remove_contact" in steps,
        }

    def blank_forms(self):
        message = self.message
        return {
            "reject": RejectForm(prefix="reject"),
            "forward": ForwardForm(
                prefix="forward", units=units_for(message), initial={"unit": message.unit_id}
            ),
            "draft": DraftForm(
                prefix="draft",
                initial={
                    "reply": message.reply,
                    "reply_unit_name": message.reply_unit_name
                    or (message.unit.name if message.unit else ""),
                },
            ),
            "review": ReviewForm(prefix="review", initial={"publishable": message.consent_public}),
            "remove_contact": RemoveContactForm(prefix="remove_contact"),
        }

    def render(self, forms_=None, status=200):
        message = self.message
        page_address, page = page_of(message) if message.kind == Kind.CORRECTION else (None, None)
        steps = message.steps.select_related("user", "unit")
        context = {
            **self.get_context_data(),
            "message": message,
            "overdue": message.is_overdue(timezone.localdate()),
            "steps": [
                {
                    "step": step,
                    "label": workflow.ACTIONS.get(step.action, step.action),
                    "who": step_user(step),
                    "from": Status(step.from_status).label if step.from_status else "",
                    "to": Status(step.to_status).label if step.to_status else "",
                }
                for step in steps
            ],
            "forms": forms_ or self.blank_forms(),
            "allowed": self.allowed(),
            "same_person": workflow.SAME_PERSON,
            "page_address": page_address,
            "page": page,
            "has_contact": message.has_contact,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render()

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in STEPS:
            messages.error(request, "请选择要进行的操作。")
            return self.render(status=400)
        form_class, label = STEPS[action]
        name = FORM_OF.get(action)
        forms_ = self.blank_forms()
        data = {}
        if form_class is not None:
            kwargs = {"units": units_for(self.message)} if form_class is ForwardForm else {}
            form = form_class(request.POST, prefix=name, **kwargs)
            forms_[name] = form
            if not form.is_valid():
                messages.error(request, first_error(form))
                return self.render(forms_, status=400)
            data = form.cleaned_data
        try:
            message = take_step(action, self.message, request.user, data)
        except PermissionDenied:
            raise PermissionDenied("您没有处理这封来信的权限。") from None
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return self.render(forms_, status=400)
        messages.success(request, f"来信 {message.number}：{label}。")
        if action in ("submit_reply", "approve"):
            say_warnings(request, message)
        if visible_messages(request.user).filter(pk=message.pk).exists():
            return redirect(DETAIL, pk=message.pk)
        return redirect(INDEX)


def say_warnings(request, message):
    """The 易错词 of a reply that went on: said, not stopping it."""
    verdict = workflow.reply_verdict(message.site, message.reply, message.reply_unit_name)
    if verdict.warnings:
        found = content_gate.describe_all(verdict.warnings)
        messages.warning(request, f"请留意答复中的易错词（不影响提交）：{found}。")


def step_user(step):
    if step.user is None:
        return "来信人" if step.action in ("interaction.receive", "interaction.rate") else "系统"
    return step.user.get_full_name() or step.user.get_username()


class AttachmentView(View):
    """The writer's attachment, read from the private storage for staff who may see the
    message, always as a download and never sniffed into something a browser would run; each
    download logged (the writer's papers are personal information)."""

    def get(self, request, pk):
        if not may_use(request.user):
            raise PermissionDenied
        message = get_object_or_404(visible_messages(request.user), pk=pk)
        if not message.attachment:
            raise Http404
        try:
            handle = message.attachment.open("rb")
        except OSError:
            raise Http404 from None
        name = message.attachment_name or os.path.basename(message.attachment.name)
        workflow.downloaded(message, request.user)
        response = FileResponse(
            handle, as_attachment=True, filename=name, content_type="application/octet-stream"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
