"""manage.py ensure_admin: a first superuser `admin` when there is no user at all."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "没有任何用户时创建超级用户 admin;密码取自 DJANGO_SUPERUSER_PASSWORD,否则随机生成并只显示一次。"

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        shown = (
            "(取自 DJANGO_SUPERUSER_PASSWORD)"
            if os.environ.get("DJANGO_SUPERUSER_PASSWORD")
            else password
        )
        self.stdout.write(
            self.style.WARNING(
                f"已创建管理员账号:用户名 admin,密码 {shown}。此密码只显示这一次,请妥善保存。"
            )
        )
