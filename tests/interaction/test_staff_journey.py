"""A message's way through the admin as its staff make it, in Debian's Chromium against a live
server with the site's own headers and two-factor sign-in required, as in production: the 受理
staff find it from the 互动交流 menu, search and filter for it, accept it and forward it to a
unit; the unit's handler drafts the reply and submits it; a reviewer sends it back once with a
comment and, after the handler's second draft, approves it as publishable. Every widget used is
the one a person uses (the sidebar's submenu, the listing's search box and filter drawer, the
selects, the checkbox, the buttons), and each member of staff ends with no Content-Security-Policy
violation, no script error and no left-over English. An administrator adds a 办理单位 through its
admin form, and a reviewer opens a 纠错, finds the link to the page in question and accepts it."""

from base64 import b32encode
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from interaction import workflow
from interaction.message_roles import HANDLERS, RECEIVERS
from interaction.models import ChannelPage, HandlingUnit, Kind, Message, Status
from news.roles import REVIEWERS
from news.sitetree import ensure_site_tree
from security.two_factor import PHONE
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.chromium import CHROMIUM
from tests.interaction.conftest import send

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

TITLE = "小区停车难问题"


@pytest.fixture
def live_site(live_server, django_user_model, browser, settings):
    """The site with a unit and one member of staff of each role, each with a phone enrolled;
    the two-factor sign-in required as in production."""
    settings.ADMIN_2FA_REQUIRED = True
    site = ensure_site_tree()
    unit_group = Group.objects.create(name="组织部办理组")
    HandlingUnit.objects.create(site=site, name="组织部", group=unit_group)
    phones = {}
    for username, name, groups in [
        ("shouli", "赵受理", [RECEIVERS]),
        ("banli", "钱办理", [HANDLERS, unit_group.name]),
        ("shenhe", "李审核", [REVIEWERS]),
    ]:
        user = django_user_model.objects.create_user(username, password=PASSWORD, first_name=name)
        user.groups.add(*Group.objects.filter(name__in=groups))
        device = TOTPDevice.objects.create(user=user, name=PHONE, confirmed=True)
        phones[username] = Authenticator(b32encode(device.bin_key).decode())
    channel = ChannelPage.objects.descendant_of(site.root_page).first()
    send(site, channel, title="党费缴纳标准", content="退休党员怎么交党费？")
    message = send(site, channel, title=TITLE, content="晚上小区里没有车位，能否协调？")[0]
    yield live_server.url, phones, message
    for context in browser.contexts:
        context.close()


def sign_in(browser, live_site, username):
    url, phones, _message = live_site
    return Staff(browser, url, username, code=phones[username].fresh_code())


def open_from_listing(staff, message):
    """互动交流 → 来信 in the sidebar, the search box, and the message's number."""
    page = staff.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="互动交流").click()
    staff.look()
    staff.click_and_wait(sidebar.get_by_role("link", name="来信"))
    search = page.locator("header input[name=q]")
    search.fill("停车")
    row = page.locator("main table tbody tr")
    assert wait_for(lambda: row.count() == 1 and TITLE in row.first.inner_text()), page.locator(
        "main"
    ).inner_text()
    staff.look()
    staff.click_and_wait(row.first.get_by_role("link", name=message.number))
    assert TITLE in page.locator("main").inner_text()


def status_of(message):
    return Message.objects.get(pk=message.pk).status


def test_a_message_is_accepted_forwarded_drafted_sent_back_once_and_approved(browser, live_site):
    _url, _phones, message = live_site
    main_of = lambda staff: staff.page.locator("main")  # noqa: E731

    # 受理: the receiver filters the listing to what waits for them, accepts and forwards.
    receiver = sign_in(browser, live_site, "shouli")
    page = receiver.page
    receiver.goto(reverse("interaction_messages:index"))
    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="状态", exact=True).click()
    page.get_by_label("状态").select_option(label="待受理")
    assert wait_for(lambda: page.locator("main table tbody tr").count() == 2)
    receiver.look()
    open_from_listing(receiver, message)
    assert "张三" in main_of(receiver).inner_text()  # the writer's details, for staff
    receiver.click_and_wait(main_of(receiver).get_by_role("button", name="受理", exact=True))
    assert status_of(message) == Status.ACCEPTED
    assert "已受理" in main_of(receiver).inner_text()
    page.get_by_label("办理单位").select_option(label="组织部")
    page.get_by_label("转办说明").fill("请组织部会同物业答复")
    receiver.click_and_wait(main_of(receiver).get_by_role("button", name="转办", exact=True))
    assert status_of(message) == Status.FORWARDED
    assert "请组织部会同物业答复" in main_of(receiver).inner_text()
    receiver.assert_met_no_obstacle()
    receiver.close()

    # 办理: the unit's handler drafts, saves, then submits for review.
    handler = sign_in(browser, live_site, "banli")
    open_from_listing(handler, message)
    page = handler.page
    page.get_by_label("答复内容").fill("已协调物业。")
    handler.click_and_wait(main_of(handler).get_by_role("button", name="保存草稿"))
    assert Message.objects.get(pk=message.pk).reply == "已协调物业。"
    page.get_by_label("答复内容").fill("已协调物业增设夜间车位。")
    handler.click_and_wait(main_of(handler).get_by_role("button", name="提交审核"))
    assert status_of(message) == Status.IN_REVIEW
    handler.assert_met_no_obstacle()

    # 审核: sent back once with a comment.
    reviewer = sign_in(browser, live_site, "shenhe")
    open_from_listing(reviewer, message)
    page = reviewer.page
    assert "已协调物业增设夜间车位。" in main_of(reviewer).inner_text()
    page.get_by_label("退回意见").fill("请写明增设车位的数量和时间")
    reviewer.click_and_wait(main_of(reviewer).get_by_role("button", name="退回修改"))
    assert status_of(message) == Status.FORWARDED
    assert page.url.endswith(reverse("interaction_messages:index"))

    # The handler reads the comment in the history and submits again.
    handler.goto(reverse("interaction_messages:detail", args=(message.pk,)))
    page = handler.page
    assert "请写明增设车位的数量和时间" in main_of(handler).inner_text()
    page.get_by_label("答复内容").fill("已协调物业于下月起增设夜间车位20个。")
    handler.click_and_wait(main_of(handler).get_by_role("button", name="提交审核"))
    assert status_of(message) == Status.IN_REVIEW
    handler.assert_met_no_obstacle()
    handler.close()

    # The reviewer approves it as publishable.
    reviewer.goto(reverse("interaction_messages:detail", args=(message.pk,)))
    page = reviewer.page
    page.get_by_label("可以公开").check()
    reviewer.click_and_wait(main_of(reviewer).get_by_role("button", name="审核通过"))
    reviewer.assert_met_no_obstacle()
    reviewer.close()

    replied = Message.objects.get(pk=message.pk)
    assert replied.status == Status.REPLIED and replied.reply_publishable
    assert replied.reply == "已协调物业于下月起增设夜间车位20个。"
    assert replied.reply_unit_name == "组织部"
    assert list(replied.steps.values_list("action", flat=True)) == [
        "interaction.receive",
        "interaction.accept",
        "interaction.forward",
        "interaction.draft",
        "interaction.draft",
        "interaction.submit",
        "interaction.send_back",
        "interaction.draft",
        "interaction.submit",
        "interaction.approve",
    ]


def test_an_administrator_adds_a_unit_and_a_reviewer_opens_a_correction_page(
    browser, live_site, django_user_model
):
    url, _phones, _message = live_site
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    device = TOTPDevice.objects.create(user=boss, name=PHONE, confirmed=True)
    phone = Authenticator(b32encode(device.bin_key).decode())
    admin = Staff(browser, url, "boss", code=phone.fresh_code())
    page = admin.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="互动交流").click()
    admin.click_and_wait(sidebar.get_by_role("link", name="办理单位"))
    admin.click_and_wait(page.get_by_role("link", name="添加 办理单位"))
    page.get_by_label("站点").select_option(index=1)
    page.get_by_label("单位名称").fill("宣传部")
    page.get_by_label("办理人员组").select_option(label="组织部办理组")
    admin.click_and_wait(page.locator("main form [type=submit]").last)
    assert HandlingUnit.objects.filter(name="宣传部").exists()
    assert "宣传部" in page.locator("main").inner_text()
    admin.assert_met_no_obstacle()
    admin.close()

    site = HandlingUnit.objects.get(name="宣传部").site
    correction, _ = workflow.receive(
        site=site,
        channel=None,
        kind=Kind.CORRECTION,
        fields={"title": "页面上有错别字", "content": "“党见”应为“党建”", "page_url": "/news/"},
        address="203.0.113.5",
    )
    reviewer = sign_in(browser, live_site, "shenhe")
    reviewer.goto(reverse("interaction_messages:index"))
    page = reviewer.page
    reviewer.click_and_wait(page.get_by_role("link", name=correction.number))
    link = page.get_by_role("link", name="打开出错页面")
    assert link.get_attribute("href") == site.root_url + "/news/"
    reviewer.click_and_wait(page.get_by_role("button", name="受理", exact=True))
    assert Message.objects.get(pk=correction.pk).status == Status.ACCEPTED
    reviewer.assert_met_no_obstacle()
    reviewer.close()
