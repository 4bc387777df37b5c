"""帐号 → 登录记录: each user's own sign-ins, sign-outs (by hand, idle, ended by a newer sign-in) and
the failed attempts and lockouts in their name, from the audit log (security/audit.py), in Beijing
time with the address and the outcome. Nobody sees anyone else's here; the 审计管理员 reads
everyone's in 报告 → 审计日志.
"""

from django.db.models import Q
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView

from security import audit

# What happened to one's own sessions, and sign-ins tried in one's name.
OWN_EVENTS = ("login", "logout", "idle_logout", "session_ended")
TRIED_EVENTS = ("login_failed", "lockout")


def own_history(user):
    return audit.SecurityEvent.objects.filter(
        Q(user_id=user.pk, event__in=OWN_EVENTS)
        | Q(username=user.get_username(), event__in=TRIED_EVENTS)
    ).order_by("-sequence")


class SignInHistoryView(ReportView):
    """帐号 → 登录记录: one's own, and nobody else's."""

    page_title = "登录记录"
    header_icon = "history"
    index_url_name = "security_sign_ins"
    index_results_url_name = "security_sign_ins_results"
    paginate_by = 50
    model = audit.SecurityEvent
    columns = [
        Column("shown_time", label="时间（北京时间）", width="22%"),
        Column("get_event_display", label="事件"),
        Column("address", label="客户端地址"),
        Column("outcome", label="结果", width="10%"),
        Column("detail", label="详情"),
    ]

    def get_queryset(self):
        return own_history(self.request.user)
