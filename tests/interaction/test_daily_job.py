"""The 互动交流 daily job on fixed days (interaction/daily_job.py): reminders at their points, each
sent once however often the job runs, to the unit and then also to the channel's 负责人; the
contact details of long-closed messages removed, and nothing else; one process runs it a day."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import daily_runs
from interaction import daily_job, reminders, retention, workflow
from interaction.models import DailyRun, Kind, Message, MessageStep, Reminder, Status
from tests.interaction.conftest import at, clock, send

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

D = datetime.date


@pytest.fixture
def before_national_day(site, channel, receiver):
    """Sent on 30 September 2026, due on 20 October (interaction/workdays.py); the receiver has
    an address, the channel a 负责人."""
    receiver.user.email = "shouli@example.cn"
    receiver.user.save()
    channel.owner_email = "fuze@example.cn"
    channel.save()
    with clock(at(D(2026, 9, 30))):
        message = send(site, channel)[0]
    assert message.due_date == D(2026, 10, 20)
    return message


def points(message):
    return list(Reminder.objects.filter(message=message).values_list("point", flat=True))


def run_on(day):
    return reminders.send_due(day)


def test_reminders_go_out_three_days_before_on_the_day_and_every_five_days_after(
    before_national_day, receiver, unit, mailoutbox, settings
):
    message = before_national_day
    assert run_on(D(2026, 10, 14)) == 0
    assert run_on(D(2026, 10, 15)) == 1
    assert mailoutbox[-1].to == ["shouli@example.cn"]
    assert "距答复期限还有 3 个工作日" in mailoutbox[-1].subject
    # The same point the next day, and the same day again: nothing more.
    assert run_on(D(2026, 10, 15)) == 0
    assert run_on(D(2026, 10, 16)) == 0
    # Forwarded to a unit with its own address: the unit is told from now on.
    unit.email = "zuzhibu@example.cn"
    unit.save()
    workflow.forward(message, receiver.user, unit)
    assert run_on(D(2026, 10, 20)) == 1
    assert mailoutbox[-1].to == ["zuzhibu@example.cn"]
    assert "今天到期" in mailoutbox[-1].subject
    for day in (21, 22, 23, 26):
        assert run_on(D(2026, 10, day)) == 0
    # Five working days late: the first overdue reminder, to the unit only.
    assert run_on(D(2026, 10, 27)) == 1
    assert mailoutbox[-1].to == ["zuzhibu@example.cn"]
    # Ten: the second, to the channel's 负责人 too.
    assert run_on(D(2026, 11, 2)) == 0
    assert run_on(D(2026, 11, 3)) == 1
    assert mailoutbox[-1].to == ["fuze@example.cn", "zuzhibu@example.cn"]
    assert "第 2 次超期提醒" in mailoutbox[-1].subject
    assert points(message) == ["before", "due", "overdue-1", "overdue-2"]
    assert len(mailoutbox) == 4
    steps = message.steps.filter(action="interaction.remind").order_by("time", "pk")
    assert steps.count() == 4
    assert "fuze@example.cn" in steps.last().note and steps.last().user is None


def test_a_missed_due_day_is_reminded_once_on_the_next_run(before_national_day, mailoutbox):
    assert run_on(D(2026, 10, 22)) == 1
    assert "已超期 2 个工作日" in mailoutbox[-1].subject
    assert run_on(D(2026, 10, 23)) == 0
    assert points(before_national_day) == ["due"]


def test_the_reminder_names_the_message_not_its_writer(before_national_day, mailoutbox):
    run_on(D(2026, 10, 20))
    body = mailoutbox[-1].body
    assert before_national_day.number in body and "2026-10-20" in body
    assert "张三" not in body and "13800000000" not in body


def test_no_reminder_for_a_closed_message(before_national_day, receiver, mailoutbox):
    workflow.reject(before_national_day, receiver.user, "duplicate")
    assert run_on(D(2026, 10, 20)) == 0 and mailoutbox == []


def test_a_reminder_nobody_can_receive_is_still_recorded_once(site, channel, mailoutbox):
    with clock(at(D(2026, 9, 30))):
        message = send(site, channel)[0]
    assert run_on(D(2026, 10, 20)) == 1 and run_on(D(2026, 10, 20)) == 0
    assert mailoutbox == []
    assert "没有收件邮箱" in message.steps.get(action="interaction.remind").note


def test_a_mail_server_that_refuses_leaves_the_reminder_for_the_next_run(
    before_national_day, mailoutbox
):
    with mock.patch.object(reminders, "send_mail", side_effect=OSError("refused")):
        assert run_on(D(2026, 10, 20)) == 0
    assert points(before_national_day) == []
    assert not before_national_day.steps.filter(action="interaction.remind").exists()
    assert run_on(D(2026, 10, 21)) == 1 and len(mailoutbox) == 1


def test_the_mail_goes_out_after_the_claim_is_committed_holding_no_transaction(
    before_national_day, mailoutbox
):
    from django.db import connection

    # The test runs in a transaction of its own: anything the job opens adds a savepoint.
    outside = list(connection.savepoint_ids)
    seen = []

    def sending(*args, **kwargs):
        seen.append((list(connection.savepoint_ids), points(before_national_day)))
        return 1

    with mock.patch.object(reminders, "send_mail", side_effect=sending):
        assert run_on(D(2026, 10, 20)) == 1
    assert seen == [(outside, ["due"])]


def test_a_reminder_of_another_sites_message_does_not_reach_our_receivers(
    site, tied, other_site, mailoutbox
):
    from interaction.models import ChannelPage

    tied.user.email = "shouli@example.cn"
    tied.user.save()
    their_channel = ChannelPage.objects.descendant_of(other_site.root_page).first()
    ours = send(site, ChannelPage.objects.descendant_of(site.root_page).first())[0]
    theirs = send(other_site, their_channel)[0]
    assert reminders.first_recipients(ours) == ["shouli@example.cn"]
    assert reminders.first_recipients(theirs) == []


# Retention.


def replied(site, channel, receiver, reviewer, days_ago):
    message = send(site, channel)[0]
    workflow.accept(message, receiver.user)
    workflow.submit_reply(message, receiver.user, "答复。")
    workflow.approve(message, reviewer.user, publishable=True)
    Message.objects.filter(pk=message.pk).update(
        replied_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return message


def test_contact_details_of_messages_closed_a_year_ago_are_removed_and_nothing_else(
    site, channel, receiver, reviewer_client, settings
):
    settings.INTERACTION_KEEP_CONTACT_DAYS = 365
    old = replied(site, channel, receiver, reviewer_client, 400)
    recent = replied(site, channel, receiver, reviewer_client, 300)
    refused = send(site, channel, email="writer@example.cn")[0]
    workflow.reject(refused, receiver.user, "empty")
    MessageStep.objects.filter(message=refused, action="interaction.reject").update(
        time=timezone.now() - datetime.timedelta(days=400)
    )
    refused_lately = send(site, channel)[0]
    workflow.reject(refused_lately, receiver.user, "empty")
    with clock(timezone.now() - datetime.timedelta(days=400)):
        still_open = send(site, channel)[0]

    assert retention.remove_expired_contacts() == 2
    for message in (old, refused):
        message.refresh_from_db()
        assert (message.name, message.phone, message.email, message.address) == ("", "", "", None)
        assert message.contact_removed_at is not None
        assert message.title and message.content
        step = message.steps.get(action="interaction.remove_contact")
        assert step.user is None and step.note == "保存期满自动删除联系信息"
    old.refresh_from_db()
    assert old.reply == "答复。" and old.status == Status.REPLIED
    for message in (recent, refused_lately, still_open):
        message.refresh_from_db()
        assert message.name == "张三" and message.phone == "13800000000"
    # Again: nothing left to remove, no second step.
    assert retention.remove_expired_contacts() == 0
    assert old.steps.filter(action="interaction.remove_contact").count() == 1


def test_no_removal_when_the_period_is_zero(site, channel, receiver, reviewer_client, settings):
    old = replied(site, channel, receiver, reviewer_client, 4000)
    settings.INTERACTION_KEEP_CONTACT_DAYS = 0
    assert retention.remove_expired_contacts() == 0
    old.refresh_from_db()
    assert old.name == "张三"


# The job.


def test_the_job_runs_once_a_day_after_its_time_and_twice_changes_nothing(
    before_national_day, mailoutbox, settings
):
    settings.INTERACTION_DAILY_AT = "07:30"
    assert daily_job.run_if_due(at(D(2026, 10, 20), hour=7)) is False
    assert daily_job.run_if_due(at(D(2026, 10, 20), hour=8)) is True
    assert daily_job.run_if_due(at(D(2026, 10, 20), hour=9)) is False
    run = DailyRun.objects.get(day=D(2026, 10, 20))
    assert run.finished_at and run.report.startswith("发送 1 条到期提醒")
    assert len(mailoutbox) == 1
    # By hand or from cron the same day: nothing sent twice.
    assert daily_job.run(at(D(2026, 10, 20), hour=10)).startswith("发送 0 条到期提醒")
    assert len(mailoutbox) == 1
    assert daily_job.run_if_due(at(D(2026, 10, 21), hour=8)) is True
    assert len(mailoutbox) == 1


def test_the_days_row_lets_one_process_run_it():
    assert daily_runs.claim(DailyRun, D(2026, 10, 20)) is True
    assert daily_runs.claim(DailyRun, D(2026, 10, 20)) is False
    assert DailyRun.objects.count() == 1


def test_a_failed_run_is_tried_again_at_the_next_round_and_a_dead_one_later(monkeypatch, settings):
    settings.INTERACTION_DAILY_AT = "00:00"
    calls = []

    def breaks_once(now=None):
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return "发送 0 条到期提醒"

    monkeypatch.setattr(daily_job, "run", breaks_once)
    with pytest.raises(RuntimeError):
        daily_job.run_if_due()
    failed = DailyRun.objects.get()
    assert failed.finished_at is None and "database went away" in failed.report
    assert daily_job.run_if_due() is True
    assert DailyRun.objects.get().finished_at is not None
    assert daily_job.run_if_due() is False and len(calls) == 2
    # A run whose process died says nothing: taken over once it is long past.
    day = D(2026, 10, 21)
    assert daily_runs.claim(DailyRun, day) is True
    assert daily_runs.claim(DailyRun, day) is False
    DailyRun.objects.filter(day=day).update(
        started_at=timezone.now() - daily_runs.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    assert daily_runs.claim(DailyRun, day) is True
    assert daily_runs.claim(DailyRun, day) is False


def test_the_command_runs_the_job(before_national_day, mailoutbox, capsys):
    with clock(at(D(2026, 10, 20), hour=9)):
        call_command("interaction_daily")
    assert "发送 1 条到期提醒" in capsys.readouterr().out
    assert len(mailoutbox) == 1


def test_a_correction_is_reminded_to_the_reviewers(site, reviewer_client, mailoutbox):
    fields = {"title": "错别字", "content": "第二段有错别字", "page_url": "/news/1/"}
    with clock(at(D(2026, 11, 2))):
        message = workflow.receive(
            site=site, channel=None, kind=Kind.CORRECTION, fields=fields, address=None
        )[0]
    assert message.due_date == D(2026, 11, 5)
    assert run_on(D(2026, 11, 5)) == 1
    assert mailoutbox[-1].to == ["reviewer@example.cn"]
    assert "纠错" in mailoutbox[-1].body
