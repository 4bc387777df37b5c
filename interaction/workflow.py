"""The life of a message: 待受理 → 已受理 (or 不予受理, closed with a reason) → 转办 to a unit
(again if need be) → 办理 (the unit drafts the reply) → 审核 (approved, or sent back with a
comment) → 已答复, then once the writer's 满意度.

Every step is one function here, the only code that changes a message's status, unit, reply or
review flags. Each checks who acts and what state the message is in under a row lock (two staff
pressing 受理 at once make one step, not two), and writes the step three times: in the message's
history (MessageStep), in Wagtail's log (报告 → 站点历史), and, through that, in the security
audit log, which hashes every Wagtail log entry into its chain (security/content_log.py).

Who may act:
- 受理, 不予受理, 转办: the channel's 受理人员 group when it names one, else the 留言受理 role;
  a 纠错 is received by the reviewers;
- drafting the reply: the unit it was forwarded to (留言办理 role and member of the unit's group),
  or, before any forwarding, those who accepted it;
- reviewing the reply: the channel's 答复审核人员 group when it names one, else the 审核 role;
  approving it: any of them but the one who submitted it (two pairs of eyes on every reply,
  even when one person holds both roles or a reviewer receives a 纠错 and answers it).
A superuser may do everything, and so may the site itself, named by `user=None` (the daily job
removing old contact details, the demo content): a request always has a user object, signed in
or anonymous, so no request can act as the site.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from core import content_gate, generation
from interaction import codes
from interaction.models import (
    CORRECTION_DEADLINE_DAYS,
    Kind,
    Message,
    MessageStep,
    RejectReason,
    Satisfaction,
    Status,
)
from interaction.workdays import add_working_days

# Wagtail log actions, registered in interaction/wagtail_hooks.py. A download of the writer's
# attachment (interaction/staff_views.py) is logged too, though it is no step of the message.
ACTIONS = {
    "interaction.receive": "收到来信",
    "interaction.accept": "受理",
    "interaction.reject": "不予受理",
    "interaction.forward": "转办",
    "interaction.draft": "起草答复",
    "interaction.submit": "提交答复审核",
    "interaction.send_back": "退回答复",
    "interaction.approve": "答复审核通过",
    "interaction.rate": "来信人评价",
    "interaction.remove_contact": "删除联系信息",
    "interaction.remind": "到期提醒",
    "interaction.download": "下载附件",
}


SAME_PERSON = "答复须由起草人以外的人员审核。"
BLOCKED_REPLY = "答复含有不得发布的词语，请修改后再{action}：{findings}。"

# The states each step may be taken in: checked by the step itself, and read by steps_allowed for
# what the message page offers.
TAKEN_IN = {
    "accept": {Status.RECEIVED},
    "reject": {Status.RECEIVED, Status.ACCEPTED},
    "forward": {Status.RECEIVED, Status.ACCEPTED, Status.FORWARDED},
    "draft": {Status.ACCEPTED, Status.FORWARDED},
    "review": {Status.IN_REVIEW},
}


# What a writer may set on a message: everything else is the workflow's to write.
WRITER_FIELDS = frozenset(
    {
        "category",
        "error_type",
        "title",
        "content",
        "page_url",
        "selected_text",
        "attachment",
        "attachment_name",
        "name",
        "phone",
        "email",
        "consent_public",
    }
)


class WorkflowError(Exception):
    """A step that cannot be taken now, with the reason in Chinese for the person who tried."""


def _staff_rule(rule):
    """A rule of who may act, for staff: the site itself (None) and an active superuser always
    may, an account that is not active never does; the rule decides for everyone else."""

    @functools.wraps(rule)
    def decide(user, message):
        if user is None:
            return True
        if not user.is_active:
            return False
        return user.is_superuser or rule(user, message)

    return decide


def _in_group(user, group):
    return group is not None and user.groups.filter(pk=group.pk).exists()


@_staff_rule
def may_accept(user, message):
    if message.kind == Kind.CORRECTION:
        return user.has_perm("interaction.review_reply")
    handlers = message.channel.handlers if message.channel else None
    if handlers is not None:
        return _in_group(user, handlers)
    return user.has_perm("interaction.accept_message")


@_staff_rule
def may_draft(user, message):
    if message.unit is None:
        return may_accept(user, message)
    return user.has_perm("interaction.handle_message") and _in_group(user, message.unit.group)


@_staff_rule
def may_review(user, message):
    reviewers = message.channel.reviewers if message.channel else None
    if reviewers is not None:
        return _in_group(user, reviewers)
    return user.has_perm("interaction.review_reply")


def submitted_by(message):
    """The pk of whoever submitted the reply now in review (None: the site itself, or nobody)."""
    step = message.steps.filter(action="interaction.submit").order_by("-time", "-pk").first()
    return step.user_id if step is not None else None


def may_approve(user, message):
    """A reviewer who did not submit the reply themselves (a superuser may all the same)."""
    if not may_review(user, message):
        return False
    if user is None or user.is_superuser:
        return True
    return submitted_by(message) != user.pk


def steps_allowed(user, message):
    """The steps `user` may take on `message` as it stands, by the rules each step checks when
    taken: what the message page offers (interaction/staff_views.py). Names: accept, reject,
    forward, draft (save and submit), send_back, approve, remove_contact."""
    status = message.status
    steps = set()
    if may_accept(user, message):
        steps |= {step for step in ("accept", "reject", "forward") if status in TAKEN_IN[step]}
        if message.has_contact:
            steps.add("remove_contact")
    if status in TAKEN_IN["draft"] and may_draft(user, message):
        steps.add("draft")
    if status in TAKEN_IN["review"] and may_review(user, message):
        steps.add("send_back")
        if may_approve(user, message):
            steps.add("approve")
    return steps


def may_see(user, message):
    return may_accept(user, message) or may_draft(user, message) or may_review(user, message)


def _step(message, user, action, before, note="", unit=None, data=None):
    MessageStep.objects.create(
        message=message,
        user=user,
        action=action,
        from_status=before,
        to_status=message.status,
        unit=unit,
        note=note,
    )
    log(
        instance=message,
        action=action,
        user=user,
        data={"number": message.number, "from": before, "to": message.status, **(data or {})},
    )


def _locked(message):
    return (
        Message.objects.select_for_update(of=("self",))
        .select_related("channel", "unit")
        .get(pk=message.pk)
    )


def _require(condition, reason):
    if not condition:
        raise WorkflowError(reason)


def _allowed(allowed):
    if not allowed:
        raise PermissionDenied("您没有处理这封来信的权限。")


def receive(*, site, channel, kind, fields, address):
    """A message sent from the public site: its number, due date and first history step.
    `fields` holds only what the writer may set (the public forms' cleaned data). Returns the
    message and its 查询码, which is not kept anywhere and must be shown now."""
    unexpected = set(fields) - WRITER_FIELDS
    if unexpected:
        raise ValueError(f"A writer may not set {sorted(unexpected)}")
    now = timezone.now()
    days = channel.deadline_days if channel is not None else CORRECTION_DEADLINE_DAYS
    code = codes.new_code()
    with transaction.atomic():
        message = Message.objects.create(
            site=site,
            channel=channel,
            kind=kind,
            address=address or None,
            received_at=now,
            due_date=add_working_days(timezone.localdate(now), days),
            **fields,
        )
        message.number = codes.new_number(kind, message.pk, now)
        message.code_hash = codes.code_hash(message.number, code)
        message.save(update_fields=["number", "code_hash"])
        _step(message, None, "interaction.receive", "")
    return message, code


def accept(message, user):
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_accept(user, message))
        _require(message.status in TAKEN_IN["accept"], "这封来信已经受理过了。")
        before = message.status
        message.status = Status.ACCEPTED
        message.accepted_at = timezone.now()
        message.save(update_fields=["status", "accepted_at"])
        _step(message, user, "interaction.accept", before)
    return message


def reject(message, user, reason, note=""):
    _require(reason in RejectReason.values, "请选择不予受理的理由。")
    _require(reason != RejectReason.OTHER or note.strip(), "选择“其他”时请写明理由。")
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_accept(user, message))
        _require(message.status in TAKEN_IN["reject"], "已转办或已答复的来信不能再不予受理。")
        before = message.status
        message.status = Status.REJECTED
        message.reject_reason = reason
        message.reject_note = note.strip()
        message.save(update_fields=["status", "reject_reason", "reject_note"])
        label = RejectReason(reason).label
        _step(message, user, "interaction.reject", before, note=f"{label} {note}".strip())
    return message


def forward(message, user, unit, note=""):
    """转办: to a unit of the message's site; allowed again while the reply is being drafted."""
    _require(unit is not None, "请选择办理单位。")
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_accept(user, message))
        _require(unit.site_id == message.site_id, "只能转给本站点的办理单位。")
        _require(message.status in TAKEN_IN["forward"], "这封来信现在不能转办。")
        before = message.status
        message.status = Status.FORWARDED
        if message.unit_id != unit.pk:
            # The draft's signature was the previous unit's: the new unit signs its own.
            message.reply_unit_name = ""
        message.unit = unit
        if message.accepted_at is None:
            message.accepted_at = timezone.now()
        message.save(update_fields=["status", "unit", "reply_unit_name", "accepted_at"])
        _step(
            message,
            user,
            "interaction.forward",
            before,
            note=note,
            unit=unit,
            data={"unit": unit.name},
        )
    return message


def save_draft(message, user, reply, unit_name=""):
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_draft(user, message))
        _require(message.status in TAKEN_IN["draft"], "这封来信现在不能起草答复。")
        message.reply = reply.strip()
        message.reply_unit_name = (unit_name or (message.unit.name if message.unit else "")).strip()
        message.save(update_fields=["reply", "reply_unit_name"])
        _step(message, user, "interaction.draft", message.status)
    return message


def reply_verdict(site, reply, unit_name):
    """The 错敏词 check (core/content_gate.py) of what the writer and, once published, readers
    read of a reply: its text and the unit that signs it."""
    texts = [
        ("答复内容", "reply", reply.strip()),
        ("答复单位", "reply_unit_name", unit_name.strip()),
    ]
    return content_gate.check_texts(site, texts)


def _refuse_blocked_reply(site, reply, unit_name, action):
    verdict = reply_verdict(site, reply, unit_name)
    findings = content_gate.describe_all(verdict.blocking)
    _require(verdict, BLOCKED_REPLY.format(action=action, findings=findings))
    return verdict


def submit_reply(message, user, reply, unit_name=""):
    """提交审核 of a draft reply, once it passes the 错敏词 check (a refused one is not saved: the
    form keeps what was typed)."""
    _require(reply.strip(), "请填写答复内容。")
    signed = unit_name or (message.unit.name if message.unit else "")
    _refuse_blocked_reply(message.site, reply, signed, "提交审核")
    with transaction.atomic():
        message = save_draft(message, user, reply, unit_name)
        message = _locked(message)
        before = message.status
        message.status = Status.IN_REVIEW
        message.save(update_fields=["status"])
        _step(message, user, "interaction.submit", before)
    return message


def send_back(message, user, comment):
    _require(comment.strip(), "退回时请写明修改意见。")
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_review(user, message))
        _require(message.status in TAKEN_IN["review"], "这封来信的答复不在审核中。")
        before = message.status
        message.status = Status.FORWARDED if message.unit_id else Status.ACCEPTED
        message.save(update_fields=["status"])
        _step(message, user, "interaction.send_back", before, note=comment.strip())
    return message


def approve(message, user, publishable):
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_review(user, message))
        _require(message.status in TAKEN_IN["review"], "这封来信的答复不在审核中。")
        _require(may_approve(user, message), SAME_PERSON)
        # The last gate: the lists may have grown since the reply was submitted.
        _refuse_blocked_reply(message.site, message.reply, message.reply_unit_name, "审核通过")
        before = message.status
        message.status = Status.REPLIED
        message.replied_at = timezone.now()
        message.reply_publishable = bool(publishable) and (
            message.channel is not None and message.channel.publishes_replies
        )
        message.save(update_fields=["status", "replied_at", "reply_publishable"])
        if message.consent_public and message.reply_publishable:
            # The channel's list of replies changes: kept lists are rendered afresh.
            generation.bump(generation.ARTICLES)
        _step(
            message,
            user,
            "interaction.approve",
            before,
            data={"publishable": message.reply_publishable},
        )
    return message


def rate(message, satisfaction):
    """The writer's 满意度, once, after the reply (the 查询 page, with the 查询码)."""
    _require(satisfaction in Satisfaction.values, "请选择满意度。")
    with transaction.atomic():
        message = _locked(message)
        _require(message.status == Status.REPLIED, "答复之后才能评价。")
        _require(not message.satisfaction, "这封来信已经评价过了。")
        message.satisfaction = satisfaction
        message.save(update_fields=["satisfaction"])
        _step(
            message, None, "interaction.rate", message.status, note=Satisfaction(satisfaction).label
        )
    return message


def remove_contact(message, user, note):
    """The writer's name, phone, e-mail and address removed, and the attachment's original name
    (often the writer's own, 张三身份证.jpg), keeping the message, its reply and the attachment
    itself, stored under a random name: a deletion request carried out by staff, or the retention
    period over (user None). Refused when nothing is left to remove, so it is logged once."""
    with transaction.atomic():
        message = _locked(message)
        _allowed(may_accept(user, message))
        _require(message.has_contact, "这封来信没有可删除的联系信息。")
        message.name = message.phone = message.email = message.attachment_name = ""
        message.address = None
        message.contact_removed_at = timezone.now()
        message.save(
            update_fields=[
                "name",
                "phone",
                "email",
                "address",
                "attachment_name",
                "contact_removed_at",
            ]
        )
        _step(message, user, "interaction.remove_contact", message.status, note=note)
    return message


def downloaded(message, user):
    """Who opened the writer's attachment, in Wagtail's log and so in the audit log."""
    log(instance=message, action="interaction.download", user=user, data={"number": message.number})


def remind(message, recipients, point):
    """A deadline reminder sent (interaction/reminders.py): not a change of the message, but a
    step of its history all the same, so staff see who was told and when. `point` says which
    reminder in words."""
    told = "、".join(recipients) if recipients else "没有收件邮箱，只在后台提示"
    _step(
        message,
        None,
        "interaction.remind",
        message.status,
        note=f"{point}；提醒：{told}",
        data={"point": point, "recipients": list(recipients)},
    )
