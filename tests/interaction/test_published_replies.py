"""What the public sees of the answered messages: on the channel's page only the replies both
the writer and the reviewer let out, never the writer's details, searchable in Chinese, twenty to
a page; and the channel's monthly statistics."""

import datetime

import pytest
from django.utils import timezone

from interaction import workflow
from interaction.models import Message, Status
from interaction.statistics import channel_statistics
from tests.interaction.conftest import send

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]


def answered(site, channel, receiver, unit, handler, reviewer, publishable=True, **fields):
    message, _ = send(site, channel, **fields)
    workflow.forward(message, receiver.user, unit)
    workflow.submit_reply(message, handler.user, fields.get("reply", "已经答复，请知悉。"))
    return workflow.approve(message, reviewer.user, publishable=publishable)


@pytest.fixture
def staff(receiver, unit, handler, reviewer_client):
    return {"receiver": receiver, "unit": unit, "handler": handler, "reviewer": reviewer_client}


def test_only_replies_both_sides_let_out_are_listed_without_the_writers_details(
    site, channel, staff, reader
):
    answered(site, channel, **staff, title="关于党员活动室开放的咨询", name="王秘密")
    answered(site, channel, **staff, title="不同意公开的来信", consent_public=False)
    answered(site, channel, **staff, title="审核不公开的来信", publishable=False)
    send(site, channel, title="尚未答复的来信")
    html = reader.get(channel.url).content.decode()
    assert "关于党员活动室开放的咨询" in html and "组织部" in html
    for hidden in (
        "不同意公开的来信",
        "审核不公开的来信",
        "尚未答复的来信",
        "王秘密",
        "13800000000",
    ):
        assert hidden not in html


def test_a_writers_markup_is_shown_as_text(site, channel, staff, reader):
    answered(site, channel, **staff, title="<b>标题</b>", content="<script>alert(1)</script>内容")
    html = reader.get(channel.url).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "&lt;b&gt;标题&lt;/b&gt;" in html


def test_the_replies_are_searched_by_chinese_words_and_paged_by_twenty(
    site, channel, staff, reader
):
    answered(site, channel, **staff, title="党员组织关系转接", content="如何转接组织关系？")
    for number in range(21):
        answered(site, channel, **staff, title=f"活动室第{number}问")
    found = reader.get(channel.url, {"q": "组织关系"}).content.decode()
    assert "党员组织关系转接" in found and "活动室第" not in found
    first = reader.get(channel.url).content.decode()
    assert first.count('class="reply-item"') == 20 and "第 1 页 / 共 2 页" in first
    second = reader.get(channel.url, {"page": "2"}).content.decode()
    assert second.count('class="reply-item"') == 2
    nothing = reader.get(channel.url, {"q": "不存在的词语"}).content.decode()
    assert "没有找到" in nothing


def test_a_huge_or_strange_search_is_answered_not_failed(channel, reader):
    for query in ("党" * 100_000, "\x00", "😀😀", "' OR 1=1 --"):
        assert reader.get(channel.url, {"q": query, "page": "abc"}).status_code == 200


def test_the_statistics_count_each_month_with_working_days_and_overdue(site, channel, staff):
    today = datetime.date(2026, 12, 7)
    november = timezone.make_aware(datetime.datetime(2026, 11, 2, 9))
    quick = answered(site, channel, **staff)
    Message.objects.filter(pk=quick.pk).update(
        received_at=november,
        due_date=datetime.date(2026, 11, 16),
        replied_at=timezone.make_aware(datetime.datetime(2026, 11, 6, 15)),
    )
    late = answered(site, channel, **staff, consent_public=False)
    Message.objects.filter(pk=late.pk).update(
        received_at=november,
        due_date=datetime.date(2026, 11, 16),
        replied_at=timezone.make_aware(datetime.datetime(2026, 11, 20, 15)),
    )
    waiting, _ = send(site, channel)
    Message.objects.filter(pk=waiting.pk).update(
        received_at=november, due_date=datetime.date(2026, 11, 16)
    )
    rejected, _ = send(site, channel)
    workflow.reject(rejected, staff["receiver"].user, "duplicate")
    Message.objects.filter(pk=rejected.pk).update(received_at=november)
    rows = {row["month"]: row for row in channel_statistics(channel, today=today)}
    row = rows[datetime.date(2026, 11, 1)]
    assert row["received"] == 4 and row["accepted"] == 2 and row["rejected"] == 1
    assert row["answered"] == 2 and row["published"] == 1
    # 2 → 6 November: 4 working days; 2 → 20 November: 14; on average 9.
    assert row["average_days"] == 9
    # One answer after its deadline, one message still waiting past it.
    assert row["overdue"] == 2
    assert Message.objects.get(pk=waiting.pk).status == Status.RECEIVED


def test_the_statistics_page_is_public_and_a_wrong_channel_is_not_found(channel, reader):
    response = reader.get(f"/hudong/tongji/{channel.pk}/")
    assert response.status_code == 200 and "办理情况统计" in response.content.decode()
    for wrong in ("999999", "99999999999999999999999", "-1", "1e3"):
        assert reader.get(f"/hudong/tongji/{wrong}/").status_code == 404


def test_the_statistics_of_another_sites_channel_are_not_served_on_ours(site, reader):
    from wagtail.models import Page, Site

    from interaction.channels import ensure_channel
    from interaction.models import ChannelPage
    from news.models import HomePage
    from news.sitetree import add_published

    home = add_published(Page.objects.get(depth=1), HomePage(title="区委党建网", slug="district"))
    other = Site.objects.create(hostname="district.example.cn", root_page=home)
    theirs = ensure_channel(other) or ChannelPage.objects.descendant_of(home).first()
    assert reader.get(f"/hudong/tongji/{theirs.pk}/").status_code == 404


def test_an_approved_reply_shows_at_once_on_the_kept_channel_page(
    site, channel, staff, reader, settings
):
    settings.PAGE_CACHE = "django"
    message, _ = send(site, channel, title="缓存之后才答复的来信")
    workflow.forward(message, staff["receiver"].user, staff["unit"])
    workflow.submit_reply(message, staff["handler"].user, "已经答复。")
    assert "缓存之后才答复的来信" not in reader.get(channel.url).content.decode()
    reader.get(channel.url)
    workflow.approve(message, staff["reviewer"].user, publishable=True)
    assert "缓存之后才答复的来信" in reader.get(channel.url).content.decode()


def test_the_statistics_follow_each_new_message_with_the_page_cache_on(
    site, channel, reader, settings
):
    settings.PAGE_CACHE = "django"
    url = f"/hudong/tongji/{channel.pk}/"
    first = reader.get(url).content.decode()
    reader.get(url)
    send(site, channel)
    assert reader.get(url).content.decode() != first
