"""The tables of 互动交流: channels (pages under the home page), the handling units messages are
forwarded to, messages with every step of their history, and the working-day exceptions the
deadlines are counted with (interaction/workdays.py).

Everything a writer sends is a Message of its site. What the writer cannot set — status, unit,
reply, review flags, address, dates — is written only by the workflow (interaction/workflow.py)
and the public views, never copied from a form. The 查询码 is kept only as a keyed hash
(interaction/codes.py): nobody who reads the table can look a message up as its writer.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.storage import FileSystemStorage
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, Site

from core.admin_forms import SafePageForm
from core.publishing import AtomicPublishMixin
from core.restrictions import CachedViewRestrictionsMixin
from interaction.search import matching
from interaction.surveys import SurveyAnswer, SurveyPage  # noqa: F401  (征集调查's tables)
from news.models import paginated

# Field limits, shown to the writer beside each field and enforced by the form and the model.
TITLE_MIN = 4
TITLE_MAX = 40
CONTENT_MAX = 2000
NAME_MAX = 30
PHONE_MAX = 20
EMAIL_MAX = 100
URL_MAX = 500
SELECTED_MAX = 500
REPLY_MAX = 5000
NOTE_MAX = 1000

# Published replies listed on a channel's page.
REPLIES_PER_PAGE = 20
# What a reader's search of the published replies looks in (never the writer's details).
PUBLIC_SEARCH_FIELDS = ("title", "content", "reply", "reply_unit_name")
# The channel form's view: it sends through interaction/workflow.py, which needs this module's
# tables, so it is found by name when a channel is first served instead of imported here.
CHANNEL_FORM_VIEW = "interaction.sending.serve_channel"

DEFAULT_DEADLINE_DAYS = 10
CORRECTION_DEADLINE_DAYS = 3


def private_files():
    """Attachments live outside MEDIA_ROOT, where no URL reaches them; staff download them
    through a view that checks who asks."""
    return FileSystemStorage(location=settings.INTERACTION_FILES_DIR, base_url=None)


class ChannelPage(AtomicPublishMixin, CachedViewRestrictionsMixin, Page):
    """A 留言 / 书记信箱 / 咨询 channel: its form, its published replies and its statistics."""

    base_form_class = SafePageForm
    # Its form is posted to the page itself (core/wagtail_hooks.py lets POST through).
    accepts_post = True

    intro = RichTextField("简介", blank=True, features=["bold", "italic", "link"])
    notice = RichTextField(
        "受理须知",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="写明受理范围、不予受理的情形和答复时限，显示在表单上方",
    )
    handlers = models.ForeignKey(
        Group,
        verbose_name="受理人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="受理、转办本渠道来信的组；不选则由“留言受理”角色的所有人员受理",
    )
    reviewers = models.ForeignKey(
        Group,
        verbose_name="答复审核人员",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="审核本渠道答复的组；不选则由“审核”角色审核",
    )
    owner_email = models.EmailField(
        "渠道负责人邮箱",
        blank=True,
        help_text="超期提醒在办理单位之后发给渠道负责人",
    )
    deadline_days = models.PositiveSmallIntegerField(
        "答复时限（工作日）",
        default=DEFAULT_DEADLINE_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    publishes_replies = models.BooleanField(
        "公开答复",
        default=True,
        help_text="来信人同意公开且审核人员认为可以公开的答复，列在本渠道页面上",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("notice"),
        MultiFieldPanel(
            [
                FieldPanel("handlers"),
                FieldPanel("reviewers"),
                FieldPanel("owner_email"),
                FieldPanel("deadline_days"),
                FieldPanel("publishes_replies"),
            ],
            heading="办理",
        ),
    ]

    parent_page_types = ["news.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = "留言渠道"
        verbose_name_plural = "留言渠道"

    def get_context(self, request, *args, **kwargs):
        """The published replies, newest first, twenty to a page, searched with `q`."""
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()
        replies = Message.objects.published().filter(channel=self)
        replies, terms = matching(replies, query, PUBLIC_SEARCH_FIELDS)
        paginator = Paginator(replies.order_by("-replied_at", "-pk"), REPLIES_PER_PAGE)
        context.update(replies=paginated(request, paginator), query=" ".join(terms))
        return context

    def serve(self, request, *args, **kwargs):
        """The form on GET, the message taken on POST (interaction/sending.py)."""
        return import_string(CHANNEL_FORM_VIEW)(self, request, *args, **kwargs)


class HandlingUnit(models.Model):
    """A unit messages are forwarded to (转办): a group of staff who draft the replies."""

    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="+")
    name = models.CharField("单位名称", max_length=60)
    group = models.ForeignKey(
        Group,
        verbose_name="办理人员组",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="组内人员可以起草转给本单位的来信的答复",
    )
    email = models.EmailField("提醒邮箱", blank=True)

    class Meta:
        verbose_name = "办理单位"
        verbose_name_plural = "办理单位"
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="interaction_unit_name_per_site")
        ]

    def __str__(self):
        return self.name


class Status(models.TextChoices):
    RECEIVED = "received", "待受理"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"
    FORWARDED = "forwarded", "办理中"
    IN_REVIEW = "in_review", "待审核"
    REPLIED = "replied", "已答复"


# A message in one of these states waits for nobody any more.
CLOSED = {Status.REJECTED, Status.REPLIED}


class Kind(models.TextChoices):
    MESSAGE = "message", "留言"
    CORRECTION = "correction", "纠错"


class Category(models.TextChoices):
    QUESTION = "question", "咨询"
    SUGGESTION = "suggestion", "建议"
    COMPLAINT = "complaint", "投诉"
    OTHER = "other", "其他"


class ErrorType(models.TextChoices):
    TYPO = "typo", "错别字"
    LINK = "link", "链接错误"
    OUTDATED = "outdated", "内容过时"
    OTHER = "other", "其他"


class RejectReason(models.TextChoices):
    DUPLICATE = "duplicate", "重复来信"
    EMPTY = "empty", "无实质内容"
    ABUSE = "abuse", "含辱骂、人身攻击内容"
    NOT_OURS = "not_ours", "非本单位职责范围"
    ILLEGAL = "illegal", "含违法违规内容"
    ADVERTISING = "advertising", "广告或垃圾信息"
    OTHER = "other", "其他"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIRLY = "fairly", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


def past_due(today):
    """超期 as a query condition: the due date is before `today` (on the day itself the message
    is still in time). With open() it is MessageQuerySet.overdue, and Message.is_overdue says the
    same of one message: the one rule the listing, the message page, the dashboard and the
    reminders count by."""
    return models.Q(due_date__lt=today)


class MessageQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=CLOSED)

    def valid(self):
        """What the inspection counts: everything not closed as 不予受理."""
        return self.exclude(status=Status.REJECTED)

    def overdue(self, today):
        return self.open().filter(past_due(today))

    def published(self):
        return self.filter(
            status=Status.REPLIED, consent_public=True, reply_publishable=True, kind=Kind.MESSAGE
        )

    def for_site(self, site):
        return self.filter(site=site)


class Message(models.Model):
    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        ChannelPage,
        verbose_name="渠道",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
        help_text="纠错没有渠道",
    )
    kind = models.CharField("类别", max_length=12, choices=Kind.choices, default=Kind.MESSAGE)
    number = models.CharField("受理编号", max_length=20, unique=True, blank=True)
    code_hash = models.CharField(max_length=64, editable=False)

    category = models.CharField(
        "类型", max_length=12, choices=Category.choices, default=Category.QUESTION
    )
    error_type = models.CharField("错误类型", max_length=12, choices=ErrorType.choices, blank=True)
    title = models.CharField("标题", max_length=TITLE_MAX)
    content = models.TextField("内容", max_length=CONTENT_MAX)
    page_url = models.CharField("出错页面", max_length=URL_MAX, blank=True)
    selected_text = models.CharField("选中的文字", max_length=SELECTED_MAX, blank=True)
    attachment = models.FileField(
        "附件", upload_to="interaction/%Y/%m/", storage=private_files, blank=True, max_length=200
    )
    attachment_name = models.CharField("附件原名", max_length=200, blank=True)

    # The writer's details, never shown on the public site, removed from closed messages after
    # INTERACTION_KEEP_CONTACT_DAYS (interaction/retention.py) with the attachment's original name.
    name = models.CharField("姓名", max_length=NAME_MAX, blank=True)
    phone = models.CharField("电话", max_length=PHONE_MAX, blank=True)
    email = models.EmailField("邮箱", max_length=EMAIL_MAX, blank=True)
    address = models.GenericIPAddressField("网络地址（IP）", null=True, blank=True)
    contact_removed_at = models.DateTimeField("联系信息删除时间", null=True, blank=True)
    consent_public = models.BooleanField("来信人同意公开", default=False)

    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    due_date = models.DateField("答复期限", db_index=True)
    reject_reason = models.CharField(
        "不予受理理由", max_length=16, choices=RejectReason.choices, blank=True
    )
    reject_note = models.CharField("不予受理说明", max_length=NOTE_MAX, blank=True)
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name="办理单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="messages",
    )
    reply = models.TextField("答复内容", max_length=REPLY_MAX, blank=True)
    reply_unit_name = models.CharField("答复单位", max_length=60, blank=True)
    reply_publishable = models.BooleanField("答复可以公开", default=False)
    satisfaction = models.CharField(
        "满意度", max_length=12, choices=Satisfaction.choices, blank=True
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "来信"
        verbose_name_plural = "来信"
        ordering = ["-received_at", "-pk"]
        permissions = [
            ("accept_message", "受理、不予受理和转办来信"),
            ("handle_message", "起草转给本单位的来信的答复"),
            ("review_reply", "审核来信的答复"),
        ]
        indexes = [models.Index(fields=["site", "status", "due_date"])]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_closed(self):
        return self.status in CLOSED

    @property
    def has_contact(self):
        """Whether anything that names the writer is still kept (interaction/workflow.py,
        remove_contact)."""
        return any([self.name, self.phone, self.email, self.address, self.attachment_name])

    def is_overdue(self, today):
        """Open and past its due date (past_due, for one message)."""
        return not self.is_closed and self.due_date < today


class MessageStep(models.Model):
    """One step of a message's history, shown to staff in order (who, when, what, note)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="steps")
    time = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField("操作", max_length=32)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    unit = models.ForeignKey(
        HandlingUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["time", "pk"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.action}"


class WorkdayException(models.Model):
    """A day the national calendar gets wrong for the deadlines: a holiday the installed
    calendar does not know yet, or a 调休 Saturday that is a working day. National, so not kept
    per site."""

    day = models.DateField(
        "日期",
        unique=True,
        help_text="只影响此后收到的来信；已经收到的来信，答复期限不变",
    )
    is_working_day = models.BooleanField("是工作日", help_text="勾选：调休上班；不勾选：放假")
    note = models.CharField("说明", max_length=60, blank=True)

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {'上班' if self.is_working_day else '放假'}"


class Reminder(models.Model):
    """A deadline reminder sent for one message at one point (interaction/reminders.py): the
    row is the claim, committed before the mail goes out (and deleted if it could not go), and
    the unique pair makes a second run of the daily job, or a second process running it at the
    same moment, send none. `sent_at` is set again once the mail is out."""

    site = models.ForeignKey(Site, verbose_name="站点", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reminders")
    point = models.CharField("提醒节点", max_length=20)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    recipients = models.TextField("收件人", blank=True)

    class Meta:
        verbose_name = "到期提醒"
        verbose_name_plural = "到期提醒"
        # Written by the daily job only: no permission for anyone to give.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["message", "point"], name="interaction_reminder_once_per_point"
            )
        ]

    def __str__(self):
        return f"{self.message_id} {self.point}"


class DailyRun(models.Model):
    """One row per day the 互动交流 daily job ran (or is running), the lock that lets one
    serving process run it (interaction/daily_job.py). One job goes through every site's messages,
    so the row belongs to no site: a row per site would let two processes each take a site and
    run the whole job twice."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True)

    class Meta:
        verbose_name = "互动交流每日任务"
        verbose_name_plural = "互动交流每日任务"
        default_permissions = ()

    def __str__(self):
        return f"{self.day} {self.report}"
