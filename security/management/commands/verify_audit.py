"""`manage.py verify_audit`: checks the audit chain and names its first broken link
(security/audit_verify.py); exits with status 1 if there is one."""

from django.core.management.base import BaseCommand, CommandError

from security import audit_verify


class Command(BaseCommand):
    help = "校验审计日志的链接，报告第一处断裂"

    def handle(self, *args, **options):
        broken = audit_verify.first_break()
        if broken is not None:
            raise CommandError(f"审计日志校验失败：{broken}", returncode=1)
        self.stdout.write(f"审计日志校验通过：共 {audit_verify.count()} 条记录。")
