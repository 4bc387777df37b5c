"""The deadlines in Debian's Chromium under the production headers: a receiver meets the red
row of an overdue message, which opens it, and the 超期来信 menu item that lists the overdue
ones; a superuser adds a 工作日调整 day; nothing is refused by the policy and no English shows."""

import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from interaction.message_roles import RECEIVERS
from interaction.models import ChannelPage, WorkdayException
from news.sitetree import ensure_site_tree
from tests.admin_browser import PASSWORD, Staff, wait_for
from tests.admin_forms import user_in
from tests.chromium import CHROMIUM
from tests.interaction.conftest import send

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def live_site(live_server, django_user_model, browser):
    site = ensure_site_tree()
    user = user_in(django_user_model, RECEIVERS, "shouli")[0]
    user.set_password(PASSWORD)
    user.save()
    django_user_model.objects.create_superuser("boss", password=PASSWORD)
    channel = ChannelPage.objects.descendant_of(site.root_page).first()
    forty_days_ago = timezone.now() - datetime.timedelta(days=40)
    with mock.patch("django.utils.timezone.now", return_value=forty_days_ago):
        send(site, channel, title="四十天未答复的留言")
    yield live_server.url
    for context in browser.contexts:
        context.close()


def test_a_receiver_is_led_from_the_menu_to_the_red_row_of_the_overdue_message(browser, live_site):
    receiver = Staff(browser, live_site, "shouli")
    page = receiver.page
    row = page.locator("#interaction-deadlines tbody tr").first
    assert "四十天未答复的留言" in row.inner_text() and "40 天" in row.inner_text()
    # Red by the admin's own stylesheet: the policy allows no style of the page's own.
    red, green, blue = map(
        int,
        row.evaluate("element => getComputedStyle(element).color")
        .removeprefix("rgb(")
        .removesuffix(")")
        .split(", ")[:3],
    )
    assert red > 150 and green < 100 and blue < 100
    # The row opens the message; the menu item lists the overdue ones.
    receiver.click_and_wait(row.get_by_role("link"))
    assert "四十天未答复的留言" in page.locator("main").inner_text()
    receiver.click_and_wait(page.locator("nav").get_by_text("超期来信（1）"))
    assert page.url.endswith(f"{reverse('interaction_messages:index')}?overdue=yes")
    assert "四十天未答复的留言" in page.locator("main").inner_text()
    receiver.look()
    receiver.assert_met_no_obstacle()
    receiver.close()


def test_a_superuser_adds_a_working_saturday(browser, live_site):
    boss = Staff(browser, live_site, "boss")
    page = boss.page
    boss.goto(reverse("workday_exceptions:add"))
    assert "只影响此后收到的来信" in page.locator("main").inner_text()
    page.fill("#id_day", "2027-02-20")
    page.locator("#id_is_working_day").check()
    page.fill("#id_note", "春节调休上班")
    boss.click_and_wait(page.locator("main form [type=submit]").first)
    made = wait_for(lambda: WorkdayException.objects.filter(note="春节调休上班").first())
    assert made is not None and made.is_working_day
    assert "春节调休上班" in page.locator("main").inner_text()
    boss.assert_met_no_obstacle()
    boss.close()
