"""发稿统计's permission (quality/stats_models.py, a model without a table), given to
内容安全管理 and 审核 (quality/safety_roles.py)."""

from django.db import migrations, models

from quality.safety_roles import grant_in_migration


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0004_dates"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("news", "0021_media_in_use_permission"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishingStats",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "verbose_name": "发稿统计",
                "verbose_name_plural": "发稿统计",
                "managed": False,
                "default_permissions": ("view",),
            },
        ),
        migrations.RunPython(grant_in_migration, migrations.RunPython.noop),
    ]
