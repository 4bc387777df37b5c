"""The 错敏词 check as a workflow task, placed first in 文章审核 where that workflow exists already
(a new site gets it from setup_site, quality/signal_handlers.py)."""

import django.db.models.deletion
from django.db import migrations, models


def put_check_first(apps, schema_editor):
    from quality.check_task import ensure_check_task

    ensure_check_task(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0007_links"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentCheckTask",
            fields=[
                (
                    "task_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.task",
                    ),
                ),
            ],
            options={"verbose_name": "错敏词检查", "verbose_name_plural": "错敏词检查"},
            bases=("wagtailcore.task",),
        ),
        migrations.RunPython(put_check_first, migrations.RunPython.noop),
    ]
