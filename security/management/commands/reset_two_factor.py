"""`manage.py reset_two_factor USERNAME`: the reset of an account's phone and recovery codes on the
server, for when nobody who may reset it in the admin can sign in (the only superuser's phone
lost); recorded in the audit log like the admin's reset (security/two_factor.py)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from security import two_factor


class Command(BaseCommand):
    help = "重置一个账号的两步验证（删除其手机验证器和恢复码），下次登录时须重新绑定"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        account = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        if account is None:
            raise CommandError(f"没有用户名为 {username} 的账号。")
        two_factor.reset(account, by_command=True)
        self.stdout.write(f"已重置用户 {username} 的两步验证，其下次登录时须重新绑定手机验证器。")
