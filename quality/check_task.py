"""The first step of 文章审核 (news/roles.py): the 错敏词 check, a Wagtail task that decides by
itself when it starts.

Wagtail starts a workflow's next task with Task.start, and when the task state it returns is no
longer in progress it moves on at once (WorkflowState.update). So this task checks the submitted
revision on start and approves its own state when nothing blocks, handing the article to the
reviewers, or rejects it with the findings as the comment, sending it back to the editor (who sees
the comment at the top of the article, news/review.py) as a reviewer's 退回 would. Both are taken
without updating the workflow (update=False): Wagtail does that itself once start returns. No one
acts on the task, so it offers no actions; it runs again each time the article is resubmitted.

The task is one for every site, as the workflow it belongs to is: it holds no content of its own.
"""

from django.apps import apps as installed_apps
from wagtail.models import Task

from core import content_gate
from news.roles import WORKFLOW_NAME

CHECK_TASK_NAME = "错敏词检查"
PASSED = "错敏词检查通过。"
WARNED = "错敏词检查通过，请留意：{findings}。"
REFUSED = "错敏词检查未通过，请改正后重新提交：{findings}。"


class ContentCheckTask(Task):
    def start(self, workflow_state, user=None):
        task_state = super().start(workflow_state, user=user)
        obj = workflow_state.content_object
        verdict = content_gate.check_object(obj, revision=task_state.revision)
        if verdict:
            found = content_gate.describe_all(verdict.warnings)
            comment = WARNED.format(findings=found) if verdict.warnings else PASSED
            task_state.approve(user=None, update=False, comment=comment)
        else:
            found = content_gate.describe_all(verdict.blocking)
            task_state.reject(user=None, update=False, comment=REFUSED.format(findings=found))
        return task_state

    def get_actions(self, obj, user):
        return []

    @classmethod
    def get_description(cls):
        return "自动检查提交的稿件：没有须改正的错敏词则通过，否则连同检查结果退回编辑"

    class Meta:
        verbose_name = "错敏词检查"
        verbose_name_plural = "错敏词检查"


def ensure_check_task(apps=installed_apps):
    """The check as the first task of 文章审核, once the workflow exists (usable from a
    migration, whose models have no Task.__init__ to set the content type)."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    CheckTask = apps.get_model("quality", "ContentCheckTask")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return None
    task = CheckTask.objects.filter(name=CHECK_TASK_NAME).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="quality", model="contentchecktask"
        )
        task = CheckTask.objects.create(name=CHECK_TASK_NAME, content_type=content_type)
    WorkflowTask.objects.get_or_create(
        workflow=workflow, task_id=task.pk, defaults={"sort_order": 0}
    )
    # First, the others after it in their order.
    others = WorkflowTask.objects.filter(workflow=workflow).exclude(task_id=task.pk)
    WorkflowTask.objects.filter(workflow=workflow, task_id=task.pk).update(sort_order=0)
    for number, step in enumerate(others.order_by("sort_order", "pk"), start=1):
        if step.sort_order != number:
            WorkflowTask.objects.filter(pk=step.pk).update(sort_order=number)
    return task
