"""Only the site's own roles: Wagtail's default groups and workflow go.

Wagtail creates the groups "Moderators" (may publish anything from the root) and "Editors" and a
"Moderators approval" workflow on the root page. This site has its own roles (编辑, 审核,
联系信息维护) and its own 文章审核 workflow on every column; the defaults only offered a second,
English-named way around them. Members of Editors join 编辑 and members of Moderators join 审核,
so every existing account keeps working. The default workflow is removed from the root page and
deleted, or, where pages went through it already, kept disabled for their history.
"""

from django.conf import settings
from django.db import migrations

DEFAULT_GROUPS = {"Editors": "编辑", "Moderators": "审核"}
DEFAULT_WORKFLOW = "Moderators approval"


def keep_only_the_sites_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    for old_name, new_name in DEFAULT_GROUPS.items():
        old = Group.objects.filter(name=old_name).first()
        if old is None:
            continue
        new, _ = Group.objects.get_or_create(name=new_name)
        for user in User.objects.filter(groups=old):
            user.groups.add(new)
        old.delete()

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Task = apps.get_model("wagtailcore", "Task")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    for workflow in Workflow.objects.filter(name=DEFAULT_WORKFLOW):
        workflow.workflow_pages.all().delete()
        workflow.workflow_content_types.all().delete()
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.name, workflow.active = "默认审核(已停用)", False
            workflow.save()
        else:
            workflow.delete()
    for task in Task.objects.filter(name=DEFAULT_WORKFLOW):
        if TaskState.objects.filter(task=task).exists():
            task.name, task.active = "默认审核(已停用)", False
            task.save()
        else:
            task.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0007_body_images_with_renditions"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(keep_only_the_sites_roles, migrations.RunPython.noop)]
