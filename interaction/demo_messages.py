"""The demo content of 互动交流 that `setup_site --demo` adds (sent by core's
`demo_content_loaded`): a handling unit, answered messages on the first channel's public list, one
waiting to be accepted, one rejected, and a 纠错 of an article still open. Every message goes
through interaction/workflow.py as the site itself, so its history is what staff would have made;
dates (and the numbers that carry them) are moved back afterwards so the list and statistics look
lived in; their 查询码 were never shown, so none of them can be looked up."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from interaction import codes, workflow
from interaction.models import (
    CORRECTION_DEADLINE_DAYS,
    ChannelPage,
    HandlingUnit,
    Kind,
    Message,
    MessageStep,
)
from interaction.workdays import add_working_days
from news.models import ArticlePage

UNIT = "党建工作办公室"
ANSWERED = [
    (
        40,
        "question",
        "流动党员如何参加组织生活？",
        "本人常年在外地务工，组织关系仍在街道党工委，请问如何参加组织生活、按时交纳党费？",
        "流动党员可就近参加所在地流动党员党支部的组织生活，也可通过“线上党支部”参加主题党日。"
        "党费可通过街道党群服务中心窗口或手机缴纳。如有疑问，请致电街道党工委。",
    ),
    (
        25,
        "suggestion",
        "建议党群服务中心周末开放",
        "上班族平时没有时间，建议社区党群服务中心周六上午开放，方便党员群众办事。",
        "感谢您的建议。经研究，自下月起全市各社区党群服务中心周六上午9:00至12:00开放，"
        "提供党员组织关系转接、党费缴纳等服务。",
    ),
    (
        12,
        "question",
        "入党积极分子培训的时间安排",
        "请问今年第二期入党积极分子培训班什么时候开班？需要带哪些材料？",
        "第二期入党积极分子培训班拟于下月中旬开班，具体时间由各基层党组织通知。"
        "请携带入党申请书复印件和本人近期照片一张。",
    ),
]


def _back_dated(message, received, replied=None):
    """Move a demo message and its history back to `received` (and its answer to `replied`)."""
    start = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9, 30)))
    fields = {
        "number": codes.new_number(message.kind, message.pk, start),
        "received_at": start,
        "accepted_at": start + datetime.timedelta(hours=2) if message.accepted_at else None,
        "due_date": add_working_days(received, message.channel.deadline_days),
    }
    if replied is not None:
        fields["replied_at"] = timezone.make_aware(
            datetime.datetime.combine(replied, datetime.time(16, 0))
        )
    Message.objects.filter(pk=message.pk).update(**fields)
    for number, step in enumerate(message.steps.order_by("pk")):
        MessageStep.objects.filter(pk=step.pk).update(
            time=start + datetime.timedelta(hours=2 * number)
        )


def _send(site, channel, category, title, content, **fields):
    return workflow.receive(
        site=site,
        channel=channel,
        kind=Kind.MESSAGE,
        fields={"category": category, "title": title, "content": content, **fields},
        address=None,
    )[0]


@transaction.atomic
def load_demo_interaction(site):
    channel = ChannelPage.objects.live().descendant_of(site.root_page).first()
    if channel is None or Message.objects.filter(site=site).exists():
        return
    group = Group.objects.get_or_create(name=f"{UNIT}办理组")[0]
    unit = HandlingUnit.objects.get_or_create(site=site, name=UNIT, defaults={"group": group})[0]
    today = timezone.localdate()
    for days_ago, category, title, content, reply in ANSWERED:
        message = _send(
            site, channel, category, title, content, name="示例来信人", consent_public=True
        )
        workflow.forward(message, None, unit, "请办理并答复")
        workflow.submit_reply(message, None, reply)
        workflow.approve(message, None, publishable=True)
        received = today - datetime.timedelta(days=days_ago)
        _back_dated(message, received, add_working_days(received, 4))
    rejected = _send(site, channel, "other", "测试来信", "测试测试", consent_public=False)
    workflow.reject(rejected, None, "empty")
    _back_dated(rejected, today - datetime.timedelta(days=8))
    waiting = _send(
        site,
        channel,
        "question",
        "党员教育积分如何查询？",
        "请问党员教育积分在哪里可以查询？积分不足会有什么影响？",
        name="示例来信人",
        phone="13800000000",
        consent_public=True,
    )
    _back_dated(waiting, today - datetime.timedelta(days=2))
    article = (
        ArticlePage.objects.live().filter(url_path__startswith=site.root_page.url_path).first()
    )
    if article is not None:
        correction = workflow.receive(
            site=site,
            channel=None,
            kind=Kind.CORRECTION,
            fields={
                "error_type": "typo",
                "title": "文章中有错别字",
                "content": "第二段“党群服务中心”误写为“党群服务中兴”。",
                "page_url": article.url,
                "selected_text": "党群服务中兴",
            },
            address=None,
        )[0]
        yesterday = today - datetime.timedelta(days=1)
        Message.objects.filter(pk=correction.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=1),
            due_date=add_working_days(yesterday, CORRECTION_DEADLINE_DAYS),
        )
