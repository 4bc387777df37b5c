"""manage.py ensure_admin: a first superuser `admin` when there is no user at all."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "没有任何用户时创建超级用户 admin；密码取自 DJANGO_SUPERUSER_PASSWORD，否则随机生成并只显示一次。"

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            return
        chosen = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        password = chosen or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password)
        if chosen:
            message = (
                "已创建管理员账号：用户名 admin，密码为环境变量 DJANGO_SUPERUSER_PASSWORD 的值。"
            )
        else:
            message = (
                f"已创建管理员账号：用户名 admin，密码 {password}。此密码只显示这一次，请妥善保存。"
            )
        self.stdout.write(self.style.WARNING(message))
