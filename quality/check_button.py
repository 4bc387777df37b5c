"""检查错敏词 in the page editor: the check run on the form as it stands, without saving or
submitting anything.

The button is an item of the editor's action menu (next to 保存草稿 and 提交审核), for pages of
the types the check's forms cover (news/forms.py's CheckedPageForm: articles and 专题). Its script
(static/js/admin/content-check.js) posts the edit form's current data here; the page is built from
it as Wagtail's preview builds one (the form's own validation, required fields deferred, nothing
stored) and checked, and the findings come back as a list to show above the form. It works for a
page being created as for one being edited, with the permissions of those views.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.forms import Media
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.views import View
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.models import Page

from core import content_gate
from core.gate_forms import PageGateMixin

# What the check's data leaves out: the buttons that would make it an action.
ACTION_KEYS = ("action-", "workflow-action-")
UNREADABLE = "表单中有内容无法读取或填写有误，请先按提示改正，再检查。"


def is_checked_type(page_class):
    form_class = getattr(page_class, "base_form_class", None)
    return isinstance(form_class, type) and issubclass(form_class, PageGateMixin)


class CheckView(View):
    """POST the edit form's fields; answers {"html", "blocking", "warnings"}."""

    def post(self, request, page_id=None, app_label=None, model_name=None, parent_id=None):
        if page_id is not None:
            real = get_object_or_404(Page, pk=page_id).specific
            if not real.permissions_for_user(request.user).can_edit():
                raise PermissionDenied
            page, parent = real.get_latest_revision_as_object(), real.get_parent().specific
        else:
            try:
                content_type = ContentType.objects.get_by_natural_key(app_label, model_name)
            except ContentType.DoesNotExist:
                raise Http404 from None
            page_class = content_type.model_class()
            if page_class is None or not issubclass(page_class, Page):
                raise Http404
            parent = get_object_or_404(Page, pk=parent_id).specific
            if not parent.permissions_for_user(request.user).can_add_subpage():
                raise PermissionDenied
            page = page_class(owner=request.user)
        if not is_checked_type(type(page)):
            raise Http404
        data = request.POST.copy()
        for key in list(data):
            if key.startswith(ACTION_KEYS):
                del data[key]
        form_class = type(page).get_edit_handler().get_form_class()
        form = form_class(
            data, request.FILES, instance=page, parent_page=parent, for_user=request.user
        )
        form.defer_required_fields()
        if not form.is_valid():
            html = results_html(None, problems(form))
            return JsonResponse({"html": html, "blocking": 0, "warnings": 0})
        obj = form.save(commit=False)
        if obj.pk is None:
            obj._gate_site = parent.get_site()
        verdict = content_gate.check_object(obj)
        return JsonResponse(
            {
                "html": results_html(verdict),
                "blocking": len(verdict.blocking),
                "warnings": len(verdict.warnings),
            }
        )


def results_html(verdict, problems=()):
    return render_to_string(
        "quality/admin/check_results.html",
        {"verdict": verdict, "unreadable": UNREADABLE, "problems": problems},
    )


def problems(form):
    """What keeps the page from being built, by field ("标题：必需字段")."""
    said = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label}：" if field is not None and field.label else ""
        said.append(f"{label}{'；'.join(str(error) for error in errors if str(error))}")
    return said


def check_url(context):
    page = context.get("page")
    if page is not None and page.pk:
        return reverse("quality_check_page", args=(page.pk,))
    kwargs = context["request"].resolver_match.kwargs
    return reverse(
        "quality_check_new_page",
        args=(
            kwargs["content_type_app_name"],
            kwargs["content_type_model_name"],
            kwargs["parent_page_id"],
        ),
    )


class CheckMenuItem(ActionMenuItem):
    label = "检查错敏词"
    name = "action-content-check"
    icon_name = "search"
    template_name = "quality/admin/check_menu_item.html"

    def is_shown(self, context):
        if context["view"] == "create":
            kwargs = context["request"].resolver_match.kwargs
            try:
                content_type = ContentType.objects.get_by_natural_key(
                    kwargs["content_type_app_name"], kwargs["content_type_model_name"]
                )
            except (KeyError, ContentType.DoesNotExist):
                return False
            return is_checked_type(content_type.model_class())
        page = context.get("page")
        return page is not None and is_checked_type(type(page)) and super().is_shown(context)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["check_url"] = check_url(parent_context)
        return context

    @property
    def media(self):
        return Media(js=[static("js/admin/content-check.js")])
