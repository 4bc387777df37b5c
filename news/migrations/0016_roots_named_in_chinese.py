"""The tops of the page tree and of the collections are called 根目录.

Wagtail's migrations name both "Root", and its Chinese admin shows the name as it is (正在浏览:
Root, the breadcrumbs, page search's 上一级 column, the collection choosers). A name someone
changed already is kept. Undone, the names stay: "Root" was never chosen by anyone.
"""

from django.db import migrations

OLD_NAME, NEW_NAME = "Root", "根目录"


def name_the_roots_in_chinese(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    Page.objects.filter(depth=1, title=OLD_NAME).update(title=NEW_NAME, draft_title=NEW_NAME)
    Collection.objects.filter(depth=1, name=OLD_NAME).update(name=NEW_NAME)


class Migration(migrations.Migration):
    dependencies = [("news", "0015_topics_and_tags"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(name_the_roots_in_chinese, migrations.RunPython.noop)]
