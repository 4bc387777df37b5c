"""报告 → 审计日志: the security audit log with Wagtail's page and model log joined to it
(security/content_log.py), for the 审计管理员 and superusers only (the permission
security.view_audit_log). Filtered by time, account, event, outcome and object, and exported as
CSV or XLSX that Chinese Excel opens with formulas neutralised (core/spreadsheets.py); each export
is itself recorded (security/audit_middleware.py). Nothing here writes a record.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.utils.timezone import localdate
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from core.spreadsheets import SafeSpreadsheetExportMixin
from security.audit import EVENTS, OUTCOMES, SecurityEvent

PERMISSION = "security.view_audit_log"


def may_read_audit_log(user):
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


class AuditFilterSet(WagtailFilterSet):
    time = django_filters.DateFromToRangeFilter(label="时间", widget=DateRangePickerWidget)
    username = django_filters.CharFilter(label="用户", lookup_expr="icontains")
    event = django_filters.ChoiceFilter(label="事件", choices=list(EVENTS.items()))
    outcome = django_filters.ChoiceFilter(label="结果", choices=[(o, o) for o in OUTCOMES])
    object = django_filters.CharFilter(label="对象", lookup_expr="icontains")

    class Meta:
        model = SecurityEvent
        fields = ["time", "username", "event", "outcome", "object"]


class AuditLogView(SafeSpreadsheetExportMixin, ReportView):
    page_title = "审计日志"
    header_icon = "list-ul"
    index_url_name = "security_audit_log"
    index_results_url_name = "security_audit_log_results"
    filterset_class = AuditFilterSet
    paginate_by = 50
    model = SecurityEvent
    columns = [
        Column("sequence", label="序号", width="6%"),
        Column("shown_time", label="时间", width="11%"),
        Column("username", label="用户", width="9%"),
        Column("address", label="客户端地址", width="11%"),
        Column("get_event_display", label="事件", width="10%"),
        Column("object", label="对象", width="15%"),
        Column("outcome", label="结果", width="6%"),
        Column("shown_detail", label="详情"),
    ]
    list_export = [
        "sequence",
        "time",
        "username",
        "address",
        "get_event_display",
        "object",
        "outcome",
        "detail",
        "digest",
    ]
    export_headings = {
        "sequence": "序号",
        "time": "时间",
        "username": "用户",
        "address": "客户端地址",
        "get_event_display": "事件",
        "object": "对象",
        "outcome": "结果",
        "detail": "详情",
        "digest": "校验值",
    }

    def dispatch(self, request, *args, **kwargs):
        if not may_read_audit_log(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return SecurityEvent.objects.order_by("-sequence")

    def get_filename(self):
        return f"审计日志-{localdate():%Y%m%d}"
