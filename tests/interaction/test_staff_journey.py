"""The admin's other ways of 互动交流, in Debian's Chromium against a live server with the site's
own headers and two-factor sign-in required, as in production (a message's whole way is in
tests/interaction/test_message_journey.py): an administrator adds a 办理单位 through its admin
form, and a reviewer opens a 纠错, finds the link to the page in question and accepts it, each
ending with no Content-Security-Policy violation, no script error and no left-over English."""

from base64 import b32encode
from pathlib import Path

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from interaction import workflow
from interaction.models import HandlingUnit, Kind, Message, Status
from security.two_factor import PHONE
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff
from tests.chromium import CHROMIUM
from tests.interaction.conftest import sign_in

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_an_administrator_adds_a_unit_and_a_reviewer_opens_a_correction_page(
    browser, staff_site, django_user_model
):
    url, _phones = staff_site
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
    reviewer = sign_in(browser, staff_site, "shenhe")
    reviewer.goto(reverse("interaction_messages:index"))
    page = reviewer.page
    reviewer.click_and_wait(page.get_by_role("link", name=correction.number))
    link = page.get_by_role("link", name="打开出错页面")
    assert link.get_attribute("href") == site.root_url + "/news/"
    reviewer.click_and_wait(page.get_by_role("button", name="受理", exact=True))
    assert Message.objects.get(pk=correction.pk).status == Status.ACCEPTED
    reviewer.assert_met_no_obstacle()
    reviewer.close()
