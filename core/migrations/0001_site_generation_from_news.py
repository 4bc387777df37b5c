# The site generation's model moves from the news app to this one; its table
# (news_sitegeneration) and its row stay where the news app's migrations put them.

from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("news", "0009_site_generation_and_recent_readers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SiteGeneration",
                    fields=[
                        (
                            "id",
                            models.PositiveSmallIntegerField(
                                default=1, primary_key=True, serialize=False
                            ),
                        ),
                        ("value", models.BigIntegerField(default=1, verbose_name="版本号")),
                    ],
                    options={
                        "verbose_name": "站点版本号",
                        "verbose_name_plural": "站点版本号",
                        "db_table": "news_sitegeneration",
                    },
                ),
            ],
        ),
    ]
