# The site generation's model now belongs to the core app (core/0001); the table stays.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("news", "0012_replaced_files"),
        ("core", "0001_site_generation_from_news"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SiteGeneration")],
        ),
    ]
