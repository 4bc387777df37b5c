"""Deadlines measured on a fixed day (interaction/deadlines.py): working days left and overdue on
the Chinese calendar, 即将到期, the severity of a channel's oldest message, and the dashboard
panel and menu item that show them to those who handle messages, and to nobody else."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from interaction import deadlines, reminders, workflow
from interaction.deadlines import DANGER, NORMAL, WARNING
from interaction.models import Kind, Message, WorkdayException
from interaction.workdays import Calendar
from tests.interaction.conftest import at, clock, send

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

D = datetime.date


def sent_on(site, channel, day, **fields):
    with clock(at(day)):
        return send(site, channel, **fields)[0]


def correction_on(site, day):
    fields = {"title": "错别字", "content": "第二段有错别字", "page_url": "/news/1/"}
    with clock(at(day)):
        return workflow.receive(
            site=site, channel=None, kind=Kind.CORRECTION, fields=fields, address=None
        )[0]


def measured(message, today):
    return deadlines.deadline_of(message, today, Calendar())


def test_a_message_sent_the_day_before_national_day_counts_the_holiday_and_the_working_saturday(
    site, channel
):
    # Wednesday 30 September 2026: 1–7 October are off, Saturday 10 October is worked; ten
    # working days are 8, 9, 10, 12–16, 19 and 20 October.
    message = sent_on(site, channel, D(2026, 9, 30))
    assert message.due_date == D(2026, 10, 20)


def test_working_days_left_due_soon_and_overdue_on_fixed_days(site, channel):
    message = sent_on(site, channel, D(2026, 9, 30))
    on_holiday = measured(message, D(2026, 10, 5))
    assert on_holiday.days_left == 10 and not on_holiday.due_soon
    four_left = measured(message, D(2026, 10, 14))
    assert four_left.days_left == 4 and not four_left.due_soon
    three_left = measured(message, D(2026, 10, 15))
    assert three_left.days_left == 3 and three_left.due_soon and not three_left.overdue
    due_today = measured(message, D(2026, 10, 20))
    assert due_today.days_left == 0 and due_today.due_soon and due_today.label == "今天到期"
    late = measured(message, D(2026, 10, 21))
    assert late.overdue and late.overdue_by == 1 and not late.due_soon
    assert late.label == "已超期 1 个工作日"
    # A weekend adds nothing to the working days overdue: 21–23 October, then Monday 26.
    assert measured(message, D(2026, 10, 25)).overdue_by == 3
    assert measured(message, D(2026, 10, 26)).overdue_by == 4


def test_the_weekend_after_a_friday_deadline_is_past_it_not_overdue_by_zero_days(
    site, channel, receiver, mailoutbox
):
    calendar = Calendar(exceptions={})
    friday = D(2026, 12, 4)
    saturday = measured(Message(due_date=friday), friday + datetime.timedelta(days=1))
    assert saturday.overdue and saturday.overdue_by == 0
    assert saturday.label == "已过期限"
    monday = deadlines.deadline_of(Message(due_date=friday), D(2026, 12, 7), calendar)
    assert monday.label == "已超期 1 个工作日"
    # The reminder on that Saturday says the same.
    receiver.user.email = "shouli@example.cn"
    receiver.user.save()
    message = sent_on(site, channel, D(2026, 11, 20))
    assert message.due_date == friday
    reminders.send_due(D(2026, 12, 5))
    assert "已过期限" in mailoutbox[-1].subject and "0 个工作日" not in mailoutbox[-1].subject


def test_overdue_is_one_rule_for_a_message_its_deadline_and_the_queries(site, channel, receiver):
    late = sent_on(site, channel, D(2026, 9, 1))
    closed = workflow.reject(sent_on(site, channel, D(2026, 9, 1)), receiver.user, "duplicate")
    due_today = sent_on(site, channel, D(2026, 9, 30))
    today = due_today.due_date
    listed = set(Message.objects.overdue(today))
    for message in (late, closed, due_today):
        assert message.is_overdue(today) == (message in listed)
    assert listed == {late}
    assert measured(late, today).overdue and not measured(due_today, today).overdue


def test_severity_turns_red_when_overdue_or_a_month_old_long_before_the_three_month_veto(
    site, channel, settings
):
    settings.INTERACTION_WARNING_AGE_DAYS = 15
    settings.INTERACTION_DANGER_AGE_DAYS = 30
    channel.deadline_days = 60
    channel.save()
    message = sent_on(site, channel, D(2026, 11, 2))
    today = D(2026, 11, 9)
    assert deadlines.severity(measured(message, today), 7) == NORMAL
    assert deadlines.severity(measured(message, D(2026, 11, 17)), 15) == WARNING
    assert deadlines.severity(measured(message, D(2026, 12, 2)), 30) == DANGER
    channel.deadline_days = 10
    channel.save()
    short = sent_on(site, channel, D(2026, 11, 2))
    assert deadlines.severity(measured(short, D(2026, 11, 17)), 15) == DANGER


def test_each_channel_and_corrections_are_summed_up_by_their_oldest_open_valid_message(
    site, channel, receiver
):
    oldest = sent_on(site, channel, D(2026, 11, 2))
    sent_on(site, channel, D(2026, 11, 20))
    rejected = sent_on(site, channel, D(2026, 10, 1))
    workflow.reject(rejected, receiver.user, "duplicate")
    correction = correction_on(site, D(2026, 11, 24))
    rows = deadlines.summaries(Message.objects.all(), today=D(2026, 11, 26))
    by_label = {row.label: row for row in rows}
    assert set(by_label) == {channel.title, "纠错"}
    row = by_label[channel.title]
    assert row.oldest == oldest and row.oldest_age == 24
    assert (row.open_count, row.overdue, row.due_soon) == (2, 1, 0)
    assert row.severity == DANGER
    fix = by_label["纠错"]
    assert fix.oldest == correction and fix.oldest_deadline.days_left == 1
    assert fix.due_soon == 1 and fix.severity == WARNING
    # The most urgent first.
    assert rows[0].severity == DANGER


class CountingCalendar(Calendar):
    """The national calendar, counting how often a span of days is walked."""

    walks = 0

    def working_days_between(self, start, end):
        self.walks += 1
        return super().working_days_between(start, end)


@pytest.mark.parametrize("today", [D(2026, 10, 20), D(2026, 11, 26)])
def test_the_dashboards_cost_follows_the_channels_not_the_messages(
    site, channel, today, django_assert_max_num_queries
):
    for day in range(1, 31):
        sent_on(site, channel, D(2026, 10, day))
    correction_on(site, D(2026, 10, 19))
    calendar = CountingCalendar()
    with django_assert_max_num_queries(4):
        rows = deadlines.summaries(Message.objects.all(), today, calendar)
    # Two walks of the calendar (days left, days overdue) per channel, however many messages.
    assert calendar.walks == 4
    # The same counts as measuring every message.
    for row in rows:
        alike = Message.objects.filter(kind=row.oldest.kind, channel=row.oldest.channel)
        each = [measured(message, today) for message in alike]
        assert row.open_count == len(each)
        assert row.overdue == sum(deadline.overdue for deadline in each)
        assert row.due_soon == sum(deadline.due_soon for deadline in each)
    # Some are due soon on 20 October, none on 26 November.
    assert any(row.due_soon for row in rows) == (today.month == 10)


def test_the_reminders_measure_each_due_date_once(site, channel):
    for day in range(1, 31):
        sent_on(site, channel, D(2026, 10, day))
    due_dates = set(Message.objects.values_list("due_date", flat=True))
    calendar = CountingCalendar()
    reminders.send_due(D(2026, 11, 26), calendar)
    assert calendar.walks == 2 * len(due_dates) < 2 * 30


def test_a_day_staff_add_later_leaves_the_due_dates_of_messages_already_received(site, channel):
    message = sent_on(site, channel, D(2026, 11, 2))
    WorkdayException.objects.create(day=D(2026, 11, 5), is_working_day=False, note="测试")
    message.refresh_from_db()
    assert message.due_date == D(2026, 11, 16)
    assert sent_on(site, channel, D(2026, 11, 2)).due_date == D(2026, 11, 17)


# The dashboard.


def menu_labels(html):
    """The labels of the admin menu, which the page carries as JSON for its script."""
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    labels = []

    def walk(value):
        if isinstance(value, dict):
            labels.extend([value["label"]] if "label" in value else [])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(props.group(1)))
    return labels


def overdue_items(html):
    return [label for label in menu_labels(html) if label.startswith("超期来信")]


def old_message(site, channel, days):
    with clock(timezone.now() - datetime.timedelta(days=days)):
        return send(site, channel, title="四十天前的留言")[0]


def test_the_panel_shows_a_receiver_the_oldest_message_in_red_with_its_age(site, channel, receiver):
    message = old_message(site, channel, 40)
    html = receiver.get(reverse("wagtailadmin_home")).content.decode()
    assert "来信办理时限" in html
    assert message.number in html and "40 天" in html
    assert 'class="w-text-critical-200"' in html and 'data-severity="danger"' in html
    assert "已超过答复期限" in html
    assert overdue_items(html) == ["超期来信（1）"]
    # The writer's details are not the dashboard's business.
    assert "13800000000" not in html


def test_the_panel_says_nothing_waits_and_shows_no_overdue_item_when_nothing_is_late(
    site, channel, receiver
):
    send(site, channel)
    html = receiver.get(reverse("wagtailadmin_home")).content.decode()
    assert "来信办理时限" in html and 'data-severity="normal"' in html
    assert "w-text-critical-200" not in html
    assert not overdue_items(html)


def test_editors_see_neither_the_panel_nor_the_overdue_item(site, channel, editor_client):
    old_message(site, channel, 40)
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "来信办理时限" not in html
    assert not overdue_items(html)


def test_a_unit_sees_only_what_was_forwarded_to_it(
    site, channel, receiver, handler, outsider_handler, unit
):
    mine = old_message(site, channel, 40)
    other = old_message(site, channel, 20)
    workflow.forward(mine, receiver.user, unit)
    html = handler.get(reverse("wagtailadmin_home")).content.decode()
    assert mine.number in html and other.number not in html
    outsider = outsider_handler.get(reverse("wagtailadmin_home")).content.decode()
    assert "目前没有待答复的来信" in outsider and mine.number not in outsider
    assert not overdue_items(outsider)


def test_reviewers_see_the_corrections(site, reviewer_client):
    correction = correction_on(site, timezone.localdate() - datetime.timedelta(days=10))
    html = reviewer_client.get(reverse("wagtailadmin_home")).content.decode()
    assert correction.number in html and "纠错" in html


# 设置 → 工作日调整.


def test_superusers_keep_the_workday_exceptions_and_editors_cannot(
    site, superuser_client, editor_client
):
    index = reverse("workday_exceptions:index")
    response = superuser_client.post(
        reverse("workday_exceptions:add"),
        {"day": "2027-02-20", "is_working_day": "on", "note": "春节调休上班"},
    )
    assert response.status_code == 302
    assert WorkdayException.objects.get(day=D(2027, 2, 20)).is_working_day
    listing = superuser_client.get(index).content.decode()
    assert "春节调休上班" in listing and "<td>上班</td>" in listing.replace(" ", "").replace(
        "\n", ""
    )
    assert editor_client.get(index).status_code in (302, 403)
    response = editor_client.post(
        reverse("workday_exceptions:add"), {"day": "2027-02-21", "note": "x"}
    )
    assert response.status_code in (302, 403)
    assert not WorkdayException.objects.filter(day=D(2027, 2, 21)).exists()
