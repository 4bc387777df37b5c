"""The 编辑, 审核 and 联系信息维护 groups with their admin, media and contact permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from news.roles import ensure_groups

    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0003_home_notices_and_picture_news"),
        ("contact", "0002_footer_settings"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
