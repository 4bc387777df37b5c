"""Each column's update class (news.models.UpdateClass): news columns by default, and a home
page's 通知公告 column (HomePage.notices_column) as a notices column."""

from django.db import migrations, models

NOTICES = 183


def notices_columns_as_notices(apps, schema_editor):
    HomePage = apps.get_model("news", "HomePage")
    NewsIndexPage = apps.get_model("news", "NewsIndexPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    chosen = HomePage.objects.exclude(notices_column=None).values_list("notices_column", flat=True)
    for column in NewsIndexPage.objects.filter(pk__in=list(chosen)):
        column.update_class = NOTICES
        column.save(update_fields=["update_class"])
        # The edit form starts from the latest revision, which has no class yet: without it
        # the next publish would put the column back to the default.
        if column.latest_revision_id is not None:
            revision = Revision.objects.get(pk=column.latest_revision_id)
            revision.content["update_class"] = NOTICES
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0021_media_in_use_permission"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="newsindexpage",
            name="update_class",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (14, "动态要闻类（2 周内须有更新）"),
                    (183, "通知公告、政策文件类（6 个月内须有更新）"),
                    (365, "人事、规划类（1 年内须有更新）"),
                    (0, "不监测"),
                ],
                default=14,
                help_text="网站检查按栏目类别查看最近一次更新：动态要闻类 2 周、通知公告和政策文件类 6 个月、人事和规划类 1 年；超期未更新的栏目会在“报告 → 栏目更新”中列出并发出预警。",
                verbose_name="更新要求",
            ),
        ),
        migrations.RunPython(notices_columns_as_notices, migrations.RunPython.noop),
    ]
