"""The 留言受理 and 留言办理 groups, and the reviewers' permission to review replies
(interaction/message_roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from interaction.message_roles import ensure_groups

    # Permissions are normally created after all migrations; the groups need these now.
    interaction = apps.get_app_config("interaction")
    interaction.models_module = True
    create_permissions(interaction, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    interaction.models_module = None
    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0001_initial"),
        ("news", "0021_media_in_use_permission"),
        ("security", "0004_admin_sessions"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
