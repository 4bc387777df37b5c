"""The 安全管理员 in Debian's Chromium under the production headers: the new-account form offers
no "管理员" box, one added by hand to the page is ignored by the server, and a superuser's account
answers with the reason in Chinese."""

from pathlib import Path

import pytest
from django.urls import reverse

from news.sitetree import ensure_site_tree
from security.administrators import SECURITY_ADMINISTRATORS, SYSTEM_ADMINISTRATORS
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.admin_forms import user_in
from tests.chromium import CHROMIUM

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def live_site(live_server, django_user_model, browser):
    ensure_site_tree()
    user = user_in(django_user_model, SECURITY_ADMINISTRATORS, "anquan")[0]
    user.set_password(PASSWORD)
    user.save()
    yield live_server.url
    for context in browser.contexts:
        context.close()


def test_the_security_administrator_cannot_make_a_superuser_even_by_editing_the_page(
    browser, live_site, django_user_model
):
    boss = django_user_model.objects.create_superuser("boss", password=PASSWORD)
    security = Staff(browser, live_site, "anquan")
    page = security.page
    security.goto(reverse("wagtailusers_users:add"))
    page.fill("#id_username", "zhangsan")
    page.fill("#id_email", "zhangsan@example.cn")
    page.fill("#id_last_name", "张")
    page.fill("#id_first_name", "三")
    page.fill("#id_password1", "a-long-pass-phrase-42")
    page.fill("#id_password2", "a-long-pass-phrase-42")
    page.locator("#tab-label-roles").click()
    assert page.locator("input[name=is_superuser]").count() == 0
    assert page.locator("main").get_by_text(SECURITY_ADMINISTRATORS).count() == 0
    page.locator("main").get_by_label(SYSTEM_ADMINISTRATORS).check()
    # As someone who knows Wagtail's form would: the box put back into the page by hand.
    page.evaluate(
        """() => {
        const box = document.createElement('input');
        box.type = 'hidden'; box.name = 'is_superuser'; box.value = 'on';
        document.querySelector('main form[method=post]').append(box);
    }"""
    )
    security.click_and_wait(page.locator("main form [type=submit]").last)
    made = wait_for(lambda: django_user_model.objects.filter(username="zhangsan").first())
    assert made is not None and not made.is_superuser
    assert list(made.groups.values_list("name", flat=True)) == [SYSTEM_ADMINISTRATORS]
    security.assert_met_no_obstacle()

    # The browser notes the refusal as a failed load: that one is what is tried here.
    response = security.goto(reverse("wagtailusers_users:edit", args=(boss.pk,)))
    assert response.status == 403
    assert "只有超级管理员可以修改或删除超级管理员" in page.locator("body").inner_text()
    security.close()
