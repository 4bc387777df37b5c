"""内容安全 in the admin: the 错敏词 lists of the sites a member of staff keeps (core/staff_sites.py),
per list with search, added, changed and deleted by hand or imported from and exported to TXT and
XLSX files (quality/word_files.py), and the allow-list of phrases. Wagtail's model permissions decide
who may (the role 内容安全管理 holds them, quality/safety_roles.py); every change is in Wagtail's log, and
from there in the audit chain. The lists are only ever read here and by the check: no page a reader
gets and no static file carries them."""

from urllib.parse import quote

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.views.generic import FormView, View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn, UpdatedAtColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.log_actions import log
from wagtail.models import Site

from core.admin_pages import AdminPage
from core.content_gate import KIND_NAMES
from core.spreadsheets import BOM
from core.staff_sites import sites_for
from quality import word_files
from quality.word_lists import KINDS, AllowedPhrase, ListedWord, lists_changed, normal_form

IMPORTED = "quality.import_words"
EXPORTED = "quality.export_words"
ACTIONS = {IMPORTED: "导入错敏词", EXPORTED: "导出错敏词"}
IMPORT_PERMISSION = "quality.import_listedword"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Forms -----------------------------------------------------------------------------------------


class SiteScopedForm(WagtailAdminModelForm):
    """The site is one of those the user keeps; with one, it is chosen for them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = sites_for(self.for_user) if self.for_user else Site.objects.none()
        field = self.fields["site"]
        field.queryset = sites
        field.empty_label = None
        if self.instance.pk is None and len(sites) == 1:
            field.initial = sites[0].pk

    def _update_errors(self, errors):
        # The model's clean() sees a field the form refused as empty (quality/word_lists.py asks
        # for the word again): one message a field is enough, and the form's is the right one.
        if hasattr(errors, "error_dict"):
            errors.error_dict = {
                name: messages
                for name, messages in errors.error_dict.items()
                if name not in self._errors
            }
        super()._update_errors(errors)


class ListedWordForm(SiteScopedForm):
    class Meta:
        model = ListedWord
        fields = ["site", "kind", "word", "right", "note", "traditional"]
        error_messages = {"word": {"required": "请填写词语。"}}

    def clean(self):
        cleaned = super().clean()
        word = normal_form(cleaned.get("word"))
        if word and cleaned.get("site") and cleaned.get("kind"):
            same = ListedWord.objects.filter(site=cleaned["site"], kind=cleaned["kind"], word=word)
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("word", f"“{word}”已在{KIND_NAMES[cleaned['kind']]}词表中。")
            elif AllowedPhrase.objects.filter(
                site=cleaned["site"], kind=cleaned["kind"], phrase=word
            ).exists():
                # Found, it would always lie inside that phrase: listed, it would never be found.
                self.add_error(
                    "word",
                    f"“{word}”是{KIND_NAMES[cleaned['kind']]}的允许短语，列入词表也不会被找出；"
                    "请先删除这条允许短语。",
                )
        return cleaned


class AllowedPhraseForm(SiteScopedForm):
    class Meta:
        model = AllowedPhrase
        fields = ["site", "kind", "phrase", "note"]
        error_messages = {"phrase": {"required": "请填写短语。"}}

    def clean(self):
        cleaned = super().clean()
        phrase = normal_form(cleaned.get("phrase"))
        if phrase and cleaned.get("site") and cleaned.get("kind"):
            same = AllowedPhrase.objects.filter(
                site=cleaned["site"], kind=cleaned["kind"], phrase=phrase
            )
            kind = KIND_NAMES[cleaned["kind"]]
            if same.exclude(pk=self.instance.pk).exists():
                self.add_error("phrase", f"“{phrase}”已是{kind}的允许短语。")
            elif ListedWord.objects.filter(
                site=cleaned["site"], kind=cleaned["kind"], word=phrase
            ).exists():
                # A phrase that is the word itself would switch the word off everywhere.
                self.add_error(
                    "phrase",
                    f"“{phrase}”就是{kind}“{phrase}”本身，这样等于删除该词；"
                    "如不再需要，请在词表中删除它。",
                )
        return cleaned


# Views of the lists ------------------------------------------------------------------------------


class ListFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label="词表", choices=KINDS, empty_label="全部")
    site = django_filters.ModelChoiceFilter(
        label="站点", queryset=lambda request: sites_for(request.user), empty_label="全部"
    )


class WordFilterSet(ListFilterSet):
    class Meta:
        model = ListedWord
        fields = ["kind", "site"]


class PhraseFilterSet(ListFilterSet):
    class Meta:
        model = AllowedPhrase
        fields = ["kind", "site"]


class ScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        rows = super().get_base_queryset().select_related("site")
        return rows.filter(site__in=sites_for(self.request.user))


class WordIndexView(ScopedIndexView):
    def get_add_url(self):
        # Adding from a list's page adds to that list.
        url = super().get_add_url()
        kind = self.request.GET.get("kind")
        return f"{url}?{urlencode({'kind': kind})}" if url and kind in KIND_NAMES else url

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user = self.request.user
        if user.has_perm(IMPORT_PERMISSION):
            query = {
                key: self.request.GET[key] for key in ("kind", "site") if self.request.GET.get(key)
            }
            suffix = f"?{urlencode(query)}" if query else ""
            buttons.append(
                HeaderButton(
                    "导入", url=reverse("quality_words:import") + suffix, icon_name="upload"
                )
            )
        if user.has_perm(IMPORT_PERMISSION) and self.request.GET.get("kind") in KIND_NAMES:
            # One list at a time, as an import takes them: a file can go back where it came from.
            buttons += [
                HeaderButton(
                    "导出 XLSX",
                    url=reverse("quality_words:export", args=("xlsx",)) + suffix,
                    icon_name="download",
                ),
                HeaderButton(
                    "导出 TXT",
                    url=reverse("quality_words:export", args=("txt",)) + suffix,
                    icon_name="download",
                ),
            ]
        return buttons


class WordCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("kind") in KIND_NAMES:
            initial["kind"] = self.request.GET["kind"]
        return initial


class InUsersSites:
    """A row of another site is not found (the same answer as a row that does not exist)."""

    def get_object(self, *args, **kwargs):
        row = super().get_object(*args, **kwargs)
        if not sites_for(self.request.user).filter(pk=row.site_id).exists():
            raise Http404
        return row


class ScopedEditView(InUsersSites, generic.EditView):
    pass


class ScopedDeleteView(InUsersSites, generic.DeleteView):
    pass


class ScopedHistoryView(InUsersSites, HistoryView):
    pass


class ScopedUsageView(InUsersSites, UsageView):
    pass


class ScopedViewSet(ModelViewSet):
    index_view_class = ScopedIndexView
    edit_view_class = ScopedEditView
    delete_view_class = ScopedDeleteView
    history_view_class = ScopedHistoryView
    usage_view_class = ScopedUsageView
    copy_view_enabled = False
    inspect_view_enabled = False
    search_backend_name = None
    model_form_class = None

    def get_form_class(self, for_update=False):
        return self.model_form_class


def kind_column():
    return Column("kind", label="词表", accessor="kind_name")


class ListedWordViewSet(ScopedViewSet):
    model = ListedWord
    model_form_class = ListedWordForm
    index_view_class = WordIndexView
    add_view_class = WordCreateView
    filterset_class = WordFilterSet
    name = "quality_words"
    url_prefix = "quality/words"
    icon = "warning"
    menu_label = "错敏词"
    search_fields = ["word", "right", "note"]
    list_display = [
        TitleColumn("word", label="词语", url_name="quality_words:edit"),
        Column("right", label="正确形式"),
        kind_column(),
        Column("traditional", label="繁体", accessor=lambda word: "是" if word.traditional else ""),
        Column("note", label="说明"),
        Column("site", label="站点"),
        UpdatedAtColumn(),
    ]
    ordering = ["kind", "word"]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", ImportWordsView.as_view(), name="import"),
            path("export/<str:file_format>/", ExportWordsView.as_view(), name="export"),
        ]


class AllowedPhraseViewSet(ScopedViewSet):
    model = AllowedPhrase
    model_form_class = AllowedPhraseForm
    filterset_class = PhraseFilterSet
    name = "quality_phrases"
    url_prefix = "quality/phrases"
    icon = "tick"
    menu_label = "允许短语"
    search_fields = ["phrase", "note"]
    list_display = [
        TitleColumn("phrase", label="短语", url_name="quality_phrases:edit"),
        kind_column(),
        Column("note", label="说明"),
        Column("site", label="站点"),
        UpdatedAtColumn(),
    ]
    ordering = ["kind", "phrase"]


class KindMenuItem(MenuItem):
    """One list's words: the 错敏词 listing filtered to it."""

    def is_shown(self, request):
        return request.user.has_perm("quality.view_listedword") or request.user.has_perm(
            "quality.change_listedword"
        )


class ContentSafetyMenu(ViewSetGroup):
    """内容安全: a menu item per list, then the allow-list. Other parts of content quality add
    theirs through the hook register_content_safety_menu_item."""

    menu_label = "内容安全"
    menu_icon = "warning"
    menu_order = 260
    submenu_hook = "register_content_safety_menu_item"
    items = (ListedWordViewSet, AllowedPhraseViewSet)

    def get_submenu_items(self):
        phrases = self.registerables[1]
        index = reverse("quality_words:index")
        lists = [
            KindMenuItem(
                name,
                f"{index}?kind={kind}",
                name=f"quality-{kind}",
                icon_name="warning",
                order=order,
            )
            for order, (kind, name) in enumerate(KINDS, 1)
        ]
        return [*lists, phrases.get_menu_item(order=10)]


# Import and export -------------------------------------------------------------------------------


class ImportForm(forms.Form):
    site = forms.ModelChoiceField(label="站点", queryset=Site.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="导入到词表", choices=KINDS)
    file = forms.FileField(
        label="词表文件",
        help_text="文本文件（.txt，UTF-8 或 GBK 编码）：每行一个词语，规范表述写作“错误形式=正确形式”或用制表符隔开；"
        "Excel 文件（.xlsx）：第一行为标题“词语、正确形式、说明、繁体”，“繁体”一栏填“是”表示同时匹配繁体写法。"
        "已在词表中的词语保持不变；文件有任何问题时整个文件不导入。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites_for(user)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("file") and cleaned.get("kind"):
            try:
                cleaned["rows"] = word_files.read(cleaned["file"], cleaned["kind"])
            except ValidationError as error:
                self.add_error("file", error)
        return cleaned


class ImportPermissionMixin(PermissionRequiredMixin):
    permission_required = IMPORT_PERMISSION
    raise_exception = True


class ImportWordsView(ImportPermissionMixin, AdminPage, FormView):
    template_name = "quality/admin/import_words.html"
    page_title = "导入错敏词"
    header_icon = "upload"
    form_class = ImportForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {
            key: self.request.GET.get(key) for key in ("kind", "site") if self.request.GET.get(key)
        }

    def form_valid(self, form):
        site, kind, rows = (form.cleaned_data[key] for key in ("site", "kind", "rows"))
        added, kept = import_rows(site, kind, rows, self.request.user)
        messages.success(
            self.request,
            f"已导入{KIND_NAMES[kind]} {added} 个"
            + (f"，{kept} 个已在词表中，保持不变" if kept else "")
            + "。",
        )
        return redirect(
            f"{reverse('quality_words:index')}?{urlencode({'kind': kind, 'site': site.pk})}"
        )


def import_rows(site, kind, rows, user):
    """Add the rows not yet in the list, all at once; (added, already there)."""
    with transaction.atomic():
        present = set(
            ListedWord.objects.filter(site=site, kind=kind).values_list("word", flat=True)
        )
        new = [
            ListedWord(
                site=site,
                kind=kind,
                word=row.word,
                right=row.right,
                note=row.note,
                traditional=row.traditional,
            )
            for row in rows
            if row.word not in present
        ]
        ListedWord.objects.bulk_create(new, batch_size=1000)
        lists_changed(site.pk)
        log(
            instance=site,
            action=IMPORTED,
            user=user,
            data={"kind": KIND_NAMES[kind], "added": len(new), "kept": len(rows) - len(new)},
        )
    return len(new), len(rows) - len(new)


class ExportWordsView(ImportPermissionMixin, View):
    def get(self, request, file_format):
        if file_format not in ("xlsx", "txt"):
            raise Http404
        sites = sites_for(request.user)
        words = ListedWord.objects.filter(site__in=sites)
        kind = request.GET.get("kind")
        site = chosen_site(request, sites)
        if site is None:
            messages.error(request, "请先在列表中选择站点，再导出。")
            return redirect("quality_words:index")
        if kind not in KIND_NAMES:
            # An import goes into one list; an export of all three could not go back.
            messages.error(
                request, "请先在列表中选择一个词表（禁用词、规范表述或易错词），再导出。"
            )
            return redirect("quality_words:index")
        words = words.filter(site=site, kind=kind).order_by("word")
        name = KIND_NAMES[kind]
        log(
            instance=site,
            action=EXPORTED,
            user=request.user,
            data={"kind": name, "count": len(words), "format": file_format},
        )
        if file_format == "xlsx":
            response = HttpResponse(word_files.as_xlsx(words, name), content_type=XLSX_TYPE)
        else:
            response = HttpResponse(
                BOM.encode() + word_files.as_text(words), content_type="text/plain; charset=utf-8"
            )
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{quote(name)}.{file_format}"
        )
        response["Cache-Control"] = "no-store"
        return response


def chosen_site(request, sites):
    """The site named in the query, which must be one of `sites` (else 404); without one, the
    only site the user keeps, or None."""
    site_id = request.GET.get("site", "")
    if not site_id:
        return sites.first() if len(sites) == 1 else None
    if not (site_id.isascii() and site_id.isdigit() and len(site_id) < 10):
        raise Http404
    site = sites.filter(pk=int(site_id)).first()
    if site is None:
        raise Http404
    return site
