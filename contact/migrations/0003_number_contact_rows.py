"""Give every phone and e-mail row a place, in the records and in their stored versions.

Rows created by the demo content and the importer had no sort_order, so the form showed them in
no fixed order and an edited row moved to the end. Each record's rows are numbered in the order
they were created (by id), which is the order staff have been seeing them in.
"""

from django.db import migrations


def number_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    for model_name in ("ContactPhone", "ContactEmail"):
        Row = apps.get_model("contact", model_name)
        contacts = Row.objects.filter(sort_order=None).values_list("contact_id", flat=True)
        for contact_id in set(contacts):
            for position, row in enumerate(Row.objects.filter(contact_id=contact_id).order_by("pk")):
                Row.objects.filter(pk=row.pk).update(sort_order=position)

    content_type = ContentType.objects.filter(app_label="contact", model="contactdetails").first()
    if content_type is None:
        return
    for revision in Revision.objects.filter(base_content_type=content_type):
        changed = False
        for key in ("phones", "emails"):
            for position, row in enumerate(revision.content.get(key) or []):
                if row.get("sort_order") is None:
                    row["sort_order"] = position
                    changed = True
        if changed:
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0002_footer_settings"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(number_rows, migrations.RunPython.noop)]
