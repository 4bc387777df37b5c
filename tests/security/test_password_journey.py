"""A password set by an administrator, in Debian's Chromium against a live server with the site's
own headers: the administrator makes an account in the user form, its owner signs in, is kept on
the 帐号 page whatever address is typed, changes the password there, and then uses the admin; with
no Content-Security-Policy violation, no script error and no left-over English on the way."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from news.roles import EDITORS
from tests.admin_browser import PASSWORD, Staff
from tests.chromium import CHROMIUM

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

FIRST = "Temp-pass-2024"
OWN = "Mine-only-7788"
ACCOUNT = reverse("wagtailadmin_account")


@pytest.fixture
def live_site(live_server, django_user_model, browser, site):
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    yield live_server.url
    for context in browser.contexts:
        context.close()


def test_a_colleague_made_by_the_administrator_changes_the_password_before_anything_else(
    live_site, browser, django_user_model
):
    boss = Staff(browser, live_site, "boss")
    boss.goto(reverse("wagtailusers_users:add"))
    for field, value in [
        ("username", "lisi"),
        ("email", "lisi@example.cn"),
        ("last_name", "李"),
        ("first_name", "四"),
        ("password1", FIRST),
        ("password2", FIRST),
    ]:
        boss.page.fill(f"#id_{field}", value)
    boss.click_and_wait(boss.page.locator("main form [type=submit]").last)
    assert boss.page.url == live_site + reverse("wagtailusers_users:index")
    boss.assert_met_no_obstacle()
    boss.close()
    # Choosing groups in the form is tested elsewhere (tests/site/test_admin_journeys.py).
    django_user_model.objects.get(username="lisi").groups.add(Group.objects.get(name=EDITORS))

    lisi = Staff(browser, live_site, "lisi", password=FIRST, lands_on=ACCOUNT)
    assert "您的密码由他人设置" in lisi.page.locator("main").inner_text()
    lisi.goto(reverse("wagtailadmin_explore_root"))
    assert lisi.page.url == live_site + ACCOUNT

    lisi.page.fill("#id_password-old_password", FIRST)
    lisi.page.fill("#id_password-new_password1", OWN)
    lisi.page.fill("#id_password-new_password2", OWN)
    lisi.click_and_wait(lisi.page.locator("main form [type=submit]").last)
    assert "您的密码由他人设置" not in lisi.page.locator("main").inner_text()
    lisi.goto(reverse("wagtailadmin_home"))
    assert lisi.page.url == live_site + reverse("wagtailadmin_home")
    lisi.assert_met_no_obstacle()
    lisi.close()
