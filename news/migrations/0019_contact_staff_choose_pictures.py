"""联系信息维护 may upload and choose the contact page's 位置图 (news/roles.py)."""

from django.db import migrations


def grant(apps, schema_editor):
    from news.roles import ensure_groups

    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0018_copies_copy_the_original"),
        ("contact", "0005_contact_page_visit"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
