"""`manage.py prune_audit`: removes the audit records older than AUDIT_RETENTION_DAYS, never
younger than 180 days (security/daily.py)."""

from django.core.management.base import BaseCommand

from security import daily


class Command(BaseCommand):
    help = "删除早于保存期限（AUDIT_RETENTION_DAYS，至少 180 天）的审计记录"

    def handle(self, *args, **options):
        removed = daily.prune()
        self.stdout.write(f"删除了 {removed} 条早于 {daily.retention_days()} 天的审计记录。")
