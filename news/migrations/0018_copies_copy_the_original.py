"""Every copy published into another column (一稿多发) points at the original article: a copy
made of a copy pointed at that copy, which what readers may see (core/restrictions.py) does not
follow further."""

from django.db import migrations


def point_copies_at_their_originals(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    sources = dict(Page.objects.filter(alias_of__isnull=False).values_list("pk", "alias_of_id"))
    for copy, source in sources.items():
        original, steps = source, 0
        while original in sources and steps < len(sources):
            original, steps = sources[original], steps + 1
        if original != source:
            Page.objects.filter(pk=copy).update(alias_of_id=original)


class Migration(migrations.Migration):
    dependencies = [("news", "0017_import_jobs"), ("wagtailcore", "0098_apitoken")]

    operations = [migrations.RunPython(point_copies_at_their_originals, migrations.RunPython.noop)]
