"""The life of a message through interaction/workflow.py, tried by each role and by those who
should not act: every step in the history, in Wagtail's log and in the audit chain; a step out of
order refused with a Chinese reason; a 查询码 that is kept only as a hash."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from interaction import codes, workflow
from interaction.models import Message, Status
from security.audit import SecurityEvent
from tests.interaction.conftest import send

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]


def test_a_sent_message_gets_a_number_a_code_kept_as_a_hash_and_a_due_date(sent, channel):
    message, code = sent
    assert message.number.startswith("LY") and len(code) == codes.CODE_LENGTH
    assert set(code) <= set(codes.ALPHABET)
    assert code not in message.code_hash
    assert codes.code_matches(message, code)
    assert codes.code_matches(message, f" {code[:5].lower()}-{code[5:]} ")
    assert not codes.code_matches(message, code[:-1] + ("2" if code[-1] != "2" else "3"))
    assert message.status == Status.RECEIVED
    assert message.due_date > message.received_at.date()


def test_the_whole_way_from_receipt_to_rating_is_logged_in_every_place(
    sent, receiver, handler, reviewer_client, unit
):
    message, _ = sent
    workflow.accept(message, receiver.user)
    workflow.forward(message, receiver.user, unit, "请组织部答复")
    workflow.submit_reply(message, handler.user, "周末开放，时间为9:00至17:00。")
    workflow.send_back(message, reviewer_client.user, "请写明咨询电话")
    message.refresh_from_db()
    assert message.status == Status.FORWARDED
    workflow.submit_reply(message, handler.user, "周末开放，时间为9:00至17:00。电话：12345。")
    workflow.approve(message, reviewer_client.user, publishable=True)
    workflow.rate(message, "satisfied")
    message.refresh_from_db()
    assert message.status == Status.REPLIED and message.replied_at
    assert message.reply_publishable and message.reply_unit_name == "组织部"
    assert Message.objects.published().filter(pk=message.pk).exists()
    actions = list(message.steps.values_list("action", flat=True))
    assert actions == [
        "interaction.receive",
        "interaction.accept",
        "interaction.forward",
        "interaction.draft",
        "interaction.submit",
        "interaction.send_back",
        "interaction.draft",
        "interaction.submit",
        "interaction.approve",
        "interaction.rate",
    ]
    logged = ModelLogEntry.objects.filter(object_id=str(message.pk))
    assert sorted(logged.values_list("action", flat=True)) == sorted(actions)
    chained = SecurityEvent.objects.filter(event="content_action", object__contains=message.number)
    assert chained.count() == len(actions)


def test_a_second_acceptance_or_rating_is_refused_in_chinese(
    sent, receiver, unit, handler, reviewer_client
):
    message, _ = sent
    workflow.accept(message, receiver.user)
    with pytest.raises(workflow.WorkflowError, match="已经受理"):
        workflow.accept(message, receiver.user)
    workflow.forward(message, receiver.user, unit)
    workflow.submit_reply(message, handler.user, "答复")
    workflow.approve(message, reviewer_client.user, publishable=False)
    workflow.rate(message, "fairly")
    with pytest.raises(workflow.WorkflowError, match="已经评价"):
        workflow.rate(message, "unsatisfied")


def test_a_rejection_needs_a_listed_reason_and_closes_the_message(sent, receiver):
    message, _ = sent
    with pytest.raises(workflow.WorkflowError, match="理由"):
        workflow.reject(message, receiver.user, "made-up")
    with pytest.raises(workflow.WorkflowError, match="写明理由"):
        workflow.reject(message, receiver.user, "other", "  ")
    workflow.reject(message, receiver.user, "duplicate", "与LY的来信重复")
    message.refresh_from_db()
    assert message.status == Status.REJECTED and message.is_closed
    assert not Message.objects.open().filter(pk=message.pk).exists()


def test_only_the_unit_it_was_forwarded_to_drafts_the_reply(
    sent, receiver, unit, handler, outsider_handler, editor_client
):
    message, _ = sent
    workflow.forward(message, receiver.user, unit)
    for intruder in (outsider_handler.user, editor_client.user):
        with pytest.raises(PermissionDenied):
            workflow.submit_reply(message, intruder, "冒名答复")
    with pytest.raises(PermissionDenied):
        workflow.accept(message, handler.user)


def test_a_handler_cannot_approve_and_a_reviewer_not_of_the_channel_cannot_either(
    sent, channel, receiver, unit, handler, reviewer_client, django_user_model
):
    from django.contrib.auth.models import Group

    message, _ = sent
    workflow.forward(message, receiver.user, unit)
    workflow.submit_reply(message, handler.user, "答复")
    with pytest.raises(PermissionDenied):
        workflow.approve(message, handler.user, publishable=True)
    channel.reviewers = Group.objects.create(name="书记信箱审核")
    channel.save()
    with pytest.raises(PermissionDenied):
        workflow.approve(message, reviewer_client.user, publishable=True)


def test_a_unit_of_another_site_is_refused(sent, receiver, site):
    from django.contrib.auth.models import Group
    from wagtail.models import Site

    from interaction.models import HandlingUnit

    other = Site.objects.create(hostname="other.example.cn", root_page=site.root_page)
    foreign = HandlingUnit.objects.create(
        site=other, name="外站", group=Group.objects.create(name="外站组")
    )
    with pytest.raises(workflow.WorkflowError, match="本站点"):
        workflow.forward(sent[0], receiver.user, foreign)


def test_a_reply_the_writer_did_not_consent_to_publish_stays_off_the_public_list(
    site, channel, receiver, unit, handler, reviewer_client
):
    message, _ = send(site, channel, consent_public=False)
    workflow.forward(message, receiver.user, unit)
    workflow.submit_reply(message, handler.user, "答复")
    workflow.approve(message, reviewer_client.user, publishable=True)
    assert not Message.objects.published().exists()


def test_removing_contact_details_keeps_the_message_and_its_reply(sent, receiver):
    message, _ = sent
    workflow.remove_contact(message, receiver.user, "来信人申请删除")
    message.refresh_from_db()
    assert (message.name, message.phone, message.email, message.address) == ("", "", "", None)
    assert message.content and message.contact_removed_at


def test_removing_contact_details_takes_the_attachments_name_and_is_logged_once(sent, receiver):
    message, _ = sent
    Message.objects.filter(pk=message.pk).update(
        attachment="interaction/2026/12/0a1b2c.jpg", attachment_name="张三身份证.jpg"
    )
    workflow.remove_contact(message, receiver.user, "来信人申请删除")
    message.refresh_from_db()
    assert message.attachment_name == "" and message.attachment.name.endswith("0a1b2c.jpg")
    with pytest.raises(workflow.WorkflowError, match="没有可删除的联系信息"):
        workflow.remove_contact(message, receiver.user, "又点了一次")
    assert message.steps.filter(action="interaction.remove_contact").count() == 1


def test_a_visitor_who_is_not_signed_in_can_take_no_step(sent, unit):
    from django.contrib.auth.models import AnonymousUser

    message, _ = sent
    for step in (
        lambda: workflow.accept(message, AnonymousUser()),
        lambda: workflow.forward(message, AnonymousUser(), unit),
        lambda: workflow.remove_contact(message, AnonymousUser(), "冒充"),
    ):
        with pytest.raises(PermissionDenied):
            step()


def test_receive_takes_only_what_a_writer_may_set(site, channel):
    for forged in (
        {"status": "replied"},
        {"reply": "伪造的答复"},
        {"reply_publishable": True},
        {"due_date": None},
        {"number": "LY1"},
    ):
        with pytest.raises(ValueError):
            send(site, channel, **forged)
    assert not Message.objects.exists()


def test_a_reviewer_who_answers_a_correction_cannot_also_approve_the_reply(
    site, reviewer_client, superuser_client
):
    from interaction.models import Kind

    message, _code = workflow.receive(
        site=site,
        channel=None,
        kind=Kind.CORRECTION,
        fields={"title": "错别字一处", "content": "第二段“党见”应为“党建”"},
        address="203.0.113.9",
    )
    user = reviewer_client.user
    workflow.accept(message, user)
    workflow.submit_reply(message, user, "已改正，谢谢。")
    with pytest.raises(workflow.WorkflowError, match="起草人以外的人员"):
        workflow.approve(message, user, True)
    message.refresh_from_db()
    assert message.status == Status.IN_REVIEW
    # Anyone else who reviews may; a superuser answers for themselves.
    workflow.approve(message, superuser_client.user, True)
    message.refresh_from_db()
    assert message.status == Status.REPLIED


def test_the_steps_offered_are_exactly_the_steps_the_workflow_takes(
    site, channel, receiver, unit, handler, reviewer_client
):
    from django.db import transaction

    receiver_, handler_, reviewer = receiver.user, handler.user, reviewer_client.user
    steps = {
        "accept": lambda m, u: workflow.accept(m, u),
        "reject": lambda m, u: workflow.reject(m, u, "duplicate"),
        "forward": lambda m, u: workflow.forward(m, u, unit),
        "draft": lambda m, u: workflow.save_draft(m, u, "草稿"),
        "send_back": lambda m, u: workflow.send_back(m, u, "请修改"),
        "approve": lambda m, u: workflow.approve(m, u, False),
        "remove_contact": lambda m, u: workflow.remove_contact(m, u, "来信人要求"),
    }
    received = send(site, channel)[0]
    accepted = workflow.accept(send(site, channel)[0], receiver_)
    forwarded = workflow.forward(send(site, channel)[0], receiver_, unit)
    in_review = workflow.submit_reply(
        workflow.forward(send(site, channel)[0], receiver_, unit), handler_, "答复"
    )
    replied = workflow.approve(in_review, reviewer, False)
    in_review = workflow.submit_reply(
        workflow.forward(send(site, channel)[0], receiver_, unit), handler_, "答复"
    )
    no_contact = workflow.remove_contact(send(site, channel)[0], receiver_, "来信人要求")

    class Undone(Exception):
        pass

    for message in (received, accepted, forwarded, in_review, replied, no_contact):
        for user in (receiver_, handler_, reviewer):
            message.refresh_from_db()
            offered = workflow.steps_allowed(user, message)
            for name, step in steps.items():
                try:
                    with transaction.atomic():
                        step(message, user)
                        raise Undone
                except Undone:
                    taken = True
                except (PermissionDenied, workflow.WorkflowError):
                    taken = False
                assert taken == (name in offered), (message.status, user.username, name)
