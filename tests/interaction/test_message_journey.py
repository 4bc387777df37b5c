"""One message's whole way, as the people it passes meet it, in Debian's Chromium under the site's
own headers (the admin's two-factor sign-in required, as in production): a reader on a phone
sends it and gets the 受理编号 and 查询码; the receiver filters the 来信 listing, accepts it and
forwards it; the unit's handler drafts a reply, saves it and submits it; the reviewer sends it back
once with a comment, the handler answers the comment and the reviewer approves the reply as one
the public may read; the reader looks it up with the 查询码, reads the reply and rates it, and finds
it on the channel's page, since both the writer and the reviewer let it out. Nobody meets a
refused script or style, a script error or left-over English on the way."""

from pathlib import Path

import pytest
from django.urls import reverse

from interaction.models import ChannelPage, Message, Status
from news.sitetree import ensure_site_tree
from tests.admin_browser import wait_for
from tests.chromium import CHROMIUM
from tests.interaction.conftest import send, sign_in
from tests.interaction.test_reader_journey import (
    PHONE,
    answer_the_question,
    fits,
    open_page,
    problems_on,
    sent_receipt,
)
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

TITLE = "小区夜间停车难问题"
REPLY = "已协调物业于下月起增设夜间车位20个，咨询电话：12345。"


@pytest.fixture
def live_site(staff_site, settings):
    """The staff's site, with another message waiting beside the reader's."""
    settings.INTERACTION_MIN_FILL_SECONDS = 0
    site = ensure_site_tree()
    channel = ChannelPage.objects.descendant_of(site.root_page).first()
    send(site, channel, title="党费缴纳标准", content="退休党员怎么交党费？")
    return (*staff_site, channel)


def status_of(message):
    return Message.objects.get(pk=message.pk).status


def reader_sends(browser, url, channel):
    """The reader's phone: the channel's form filled in and sent; (number, code)."""
    context, page, errors = open_page(browser, viewport=PHONE)
    page.goto(url + channel.url)
    page.get_by_label("咨询", exact=True).check()
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_content").fill("晚上小区里没有车位，能否协调物业增加车位？")
    page.locator("#id_name").fill("王五")
    page.locator("#id_phone").fill("13700000000")
    page.locator("#id_consent_public").check()
    page.locator("#id_agree_privacy").check()
    page.locator("#id_captcha_answer").fill(answer_the_question(page))
    screenshot(page, "interaction-channel-phone", page.locator("#id_title"))
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_selector("#receipt-code")
    assert fits(page, PHONE["width"])
    screenshot(page, "interaction-sent-phone")
    receipt = sent_receipt(page)
    assert problems_on(page, errors) == []
    context.close()
    return receipt


def reader_looks_up(browser, url, number, code):
    """The reader's phone again: the 查询 page with the number and code; the page's text."""
    context, page, errors = open_page(browser, viewport=PHONE)
    page.goto(url + reverse("interaction_lookup"))
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询", exact=True).click()
    page.wait_for_selector(".lookup-result")
    return context, page, errors


def test_a_readers_message_is_answered_through_every_step_and_read_with_its_code(
    browser, live_site
):
    url, _phones, channel = live_site
    number, code = reader_sends(browser, url, channel)
    message = Message.objects.get(number=number)
    main_of = lambda staff: staff.page.locator("main")  # noqa: E731

    # 受理: the receiver filters the listing to what waits, finds the message by a word, accepts
    # it and forwards it.
    receiver = sign_in(browser, live_site[:2], "shouli")
    page = receiver.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="互动交流").click()
    receiver.click_and_wait(sidebar.get_by_role("link", name="来信"))
    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="状态", exact=True).click()
    page.get_by_label("状态").select_option(label="待受理")
    rows = page.locator("main table tbody tr")
    assert wait_for(lambda: rows.count() == 2)
    page.locator("header input[name=q]").fill("停车")
    assert wait_for(lambda: rows.count() == 1 and TITLE in rows.first.inner_text())
    receiver.look()
    receiver.click_and_wait(rows.first.get_by_role("link", name=number))
    assert "王五" in main_of(receiver).inner_text()  # the writer's details, for staff only
    receiver.click_and_wait(main_of(receiver).get_by_role("button", name="受理", exact=True))
    assert status_of(message) == Status.ACCEPTED
    page.get_by_label("办理单位").select_option(label="组织部")
    page.get_by_label("转办说明").fill("请组织部会同物业答复")
    receiver.click_and_wait(main_of(receiver).get_by_role("button", name="转办", exact=True))
    assert status_of(message) == Status.FORWARDED
    receiver.assert_met_no_obstacle()
    receiver.close()

    # 办理: the unit's handler saves a draft, then submits it.
    handler = sign_in(browser, live_site[:2], "banli")
    handler.goto(reverse("interaction_messages:detail", args=(message.pk,)))
    page = handler.page
    page.get_by_label("答复内容").fill("已协调物业。")
    handler.click_and_wait(main_of(handler).get_by_role("button", name="保存草稿"))
    assert Message.objects.get(pk=message.pk).reply == "已协调物业。"
    page.get_by_label("答复内容").fill("已协调物业增设夜间车位。")
    handler.click_and_wait(main_of(handler).get_by_role("button", name="提交审核"))
    assert status_of(message) == Status.IN_REVIEW

    # 审核: sent back once with a comment, which the handler reads in the history.
    reviewer = sign_in(browser, live_site[:2], "shenhe")
    reviewer.goto(reverse("interaction_messages:detail", args=(message.pk,)))
    page = reviewer.page
    page.get_by_label("退回意见").fill("请写明增设车位的数量和咨询电话")
    reviewer.click_and_wait(main_of(reviewer).get_by_role("button", name="退回修改"))
    assert status_of(message) == Status.FORWARDED
    handler.goto(reverse("interaction_messages:detail", args=(message.pk,)))
    assert "请写明增设车位的数量和咨询电话" in main_of(handler).inner_text()
    handler.page.get_by_label("答复内容").fill(REPLY)
    handler.click_and_wait(main_of(handler).get_by_role("button", name="提交审核"))
    handler.assert_met_no_obstacle()
    handler.close()

    reviewer.goto(reverse("interaction_messages:detail", args=(message.pk,)))
    screenshot(
        reviewer.page, "admin-interaction-review", main_of(reviewer).get_by_label("可以公开")
    )
    reviewer.page.get_by_label("可以公开").check()
    reviewer.click_and_wait(main_of(reviewer).get_by_role("button", name="审核通过"))
    reviewer.assert_met_no_obstacle()
    reviewer.close()
    assert status_of(message) == Status.REPLIED

    # The reader reads the reply with the code, rates it, and finds it on the channel's page.
    context, page, errors = reader_looks_up(browser, url, number, code)
    result = page.locator(".lookup-result").inner_text()
    assert "已答复" in result and REPLY in result and "组织部" in result
    screenshot(page, "interaction-lookup-reply-phone", page.locator(".lookup-result"))
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector(".lookup-result")
    assert Message.objects.get(pk=message.pk).satisfaction == "satisfied"
    page.goto(url + channel.url)
    replies = page.locator(".published-replies").inner_text()
    assert TITLE in replies and REPLY in replies and "王五" not in replies
    assert fits(page, PHONE["width"])
    assert problems_on(page, errors) == []
    context.close()
