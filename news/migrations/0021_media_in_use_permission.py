"""The library's permission to change a picture or document that a live page shows, granted to
审核 (news/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    from news.roles import ensure_reviewer_permissions

    # Permissions are normally created after all migrations; the group needs this one now.
    news = apps.get_app_config("news")
    news.models_module = True
    create_permissions(news, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    news.models_module = None
    ensure_reviewer_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0020_chinese_punctuation_in_help_texts"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="replacedfile",
            options={
                "ordering": ["-replaced_at", "-pk"],
                "permissions": [("change_media_in_use", "可以修改已发布页面使用的图片和文档")],
                "verbose_name": "被替换的文件",
                "verbose_name_plural": "被替换的文件",
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
