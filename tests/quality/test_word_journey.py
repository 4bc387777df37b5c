"""内容安全 in Debian's Chromium against a live server with the site's own headers and two-factor
sign-in, as in production: a member of 内容安全管理 opens 规范表述 from the menu, adds a wrong form
and its right one, imports a vendor's TXT list, finds a word by searching, adds an allowed phrase
and downloads the list as XLSX, with no Content-Security-Policy violation, no script error and
no left-over English."""

import io
from base64 import b32encode
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from core.content_gate import BANNED, STANDARD
from news.sitetree import ensure_site_tree
from quality.roles import CONTENT_SAFETY
from quality.word_lists import AllowedPhrase, ListedWord
from security.two_factor import PHONE
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff
from tests.chromium import CHROMIUM

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def keeper_signed_in(live_server, django_user_model, browser, settings):
    settings.ADMIN_2FA_REQUIRED = True
    ensure_site_tree()
    user = django_user_model.objects.create_user("anquan", password=PASSWORD, first_name="周安全")
    user.groups.add(Group.objects.get(name=CONTENT_SAFETY))
    device = TOTPDevice.objects.create(user=user, name=PHONE, confirmed=True)
    phone = Authenticator(b32encode(device.bin_key).decode())
    keeper = Staff(browser, live_server.url, "anquan", code=phone.fresh_code())
    yield keeper
    keeper.close()


def test_a_keeper_adds_imports_finds_and_exports_words(keeper_signed_in, tmp_path):
    keeper = keeper_signed_in
    page = keeper.page
    sidebar = page.locator("#wagtail-sidebar")
    sidebar.get_by_role("button", name="内容安全").click()
    keeper.click_and_wait(sidebar.get_by_role("link", name="规范表述"))

    keeper.click_and_wait(page.get_by_role("link", name="添加 错敏词"))
    assert page.get_by_label("类别").input_value() == STANDARD
    page.get_by_label("词语").fill("党支部书记记")
    page.get_by_label("正确形式").fill("党支部书记")
    keeper.click_and_wait(page.locator("main form [type=submit]").last)
    assert ListedWord.objects.filter(kind=STANDARD, word="党支部书记记").exists()

    keeper.click_and_wait(page.get_by_role("link", name="导入"))
    vendor_list = tmp_path / "供应商词表.txt"
    vendor_list.write_text("中共中央办公厅厅=中共中央办公厅\n示例错误表述\t示例正确表述\n", "utf-8")
    page.get_by_label("导入到词表").select_option(STANDARD)
    page.get_by_label("词表文件").set_input_files(str(vendor_list))
    keeper.click_and_wait(page.get_by_role("button", name="导入"))
    assert "已导入规范表述 2 个" in page.content()
    assert ListedWord.objects.filter(kind=STANDARD).count() == 3

    page.get_by_role("textbox", name="搜索").first.fill("办公厅")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('main').innerText.includes('党支部书记记')"
    )
    assert "中共中央办公厅厅" in page.locator("main").inner_text()
    keeper.look()

    with page.expect_download() as download:
        page.get_by_role("link", name="导出 XLSX").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert next(sheet.iter_rows(values_only=True))[0] == "词语"

    sidebar.get_by_role("button", name="内容安全").click()
    keeper.click_and_wait(sidebar.get_by_role("link", name="允许短语"))
    keeper.click_and_wait(page.get_by_role("link", name="添加 允许短语"))
    page.get_by_label("适用的词表").select_option(BANNED)
    page.get_by_label("短语").fill("示例禁用词典")
    keeper.click_and_wait(page.locator("main form [type=submit]").last)
    assert AllowedPhrase.objects.filter(phrase="示例禁用词典").exists()
    keeper.assert_met_no_obstacle()
