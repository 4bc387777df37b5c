"""The idle logout in Debian's Chromium under the production headers, with a short
ADMIN_IDLE_MINUTES: an editor leaves an article's edit form open mid-edit while it keeps pinging the
server; the warning comes, nobody answers it, the session is signed out on time all the same and
the page goes to the login screen; signed in again, the editor finds the edit kept as a draft by
autosave. And 继续保持登录 keeps the session past the limit; the editor reads their own sign-ins
and the 安全管理员 lifts a lock. No Content-Security-Policy violation
and no script error on the way, beyond the browser's own line for each request refused after the
sign-out."""

import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from news.roles import EDITORS
from security.administrators import SECURITY_ADMINISTRATORS, ensure_administrator_roles
from security.audit import SecurityEvent
from security.idle_middleware import LAST_ACTIVITY
from security.sessions import session_store
from tests.admin_browser import PASSWORD, Staff
from tests.chromium import CHROMIUM
from tests.factories import ArticlePageFactory

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

# Thirty seconds: the warning shows for the last fifteen (security/idle_middleware.py,
# static/js/admin/idle-warning.js); the edit form pings every ten.
IDLE_MINUTES = 0.5
EDITED = "闲置前改过的标题"
REFUSED = "the server responded with a status of 401"


@pytest.fixture
def live_site(live_server, django_user_model, browser, column, settings):
    settings.ADMIN_IDLE_MINUTES = IDLE_MINUTES
    user = django_user_model.objects.create_user("editor", password=PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))
    yield live_server.url
    for context in browser.contexts:
        context.close()


def events(name):
    return list(SecurityEvent.objects.filter(event=name).order_by("sequence"))


class Watched(Staff):
    """A member of staff whose background requests are counted, and whose requests refused
    after the sign-out explain the browser's console line for each."""

    def __init__(self, *args, **kwargs):
        self.pings, self.refused, self.autosaves = [], [], []
        super().__init__(*args, **kwargs)
        self.page.on("response", self._watch)

    def _watch(self, response):
        if "/editing-sessions/ping/" in response.url:
            self.pings.append((time.monotonic(), response.status))
        request = response.request
        if (
            request.method == "POST"
            and request.resource_type == "fetch"
            and "/edit/" in request.url
        ):
            self.autosaves.append((time.monotonic(), response.status))
        if response.status == 401:
            self.refused.append(response.url)

    def assert_met_no_obstacle(self):
        unexplained = [error for error in self.errors if REFUSED not in error]
        explained = len(self.errors) - len(unexplained)
        assert explained <= len(self.refused), (self.errors, self.refused)
        self.errors = unexplained
        super().assert_met_no_obstacle()


def last_activity(staff):
    """The server's record of the session's last real activity (security/idle_middleware.py)."""
    (cookie,) = [c for c in staff.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME]
    return session_store()(cookie["value"])[LAST_ACTIVITY]


def open_edit_form(editor, article):
    edit = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    editor.goto(edit)
    return edit


def test_an_idle_edit_form_is_signed_out_on_time_and_the_edit_survives(live_site, browser, column):
    article = ArticlePageFactory(parent=column, title="原来的标题")
    editor = Watched(browser, live_site, "editor")
    page = editor.page
    edit = open_edit_form(editor, article)
    opened, opened_at = time.monotonic(), time.time()
    # Wagtail notes the form as it was two seconds after it loads, and saves changes from it.
    page.wait_for_timeout(2500)
    page.fill("#id_title", EDITED)
    page.locator("#w-autosave-indicator .w-autosave-indicator__state--saved").wait_for(
        timeout=20_000
    )
    assert editor.autosaves
    assert all(status == 200 for _at, status in editor.autosaves)
    assert last_activity(editor) <= opened_at

    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=30_000)
    assert "即将自动退出登录" in warning.inner_text()
    assert "剩余时间" in warning.inner_text()
    assert warning.get_by_role("button", name="继续保持登录").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "继续保持登录"
    # The session's last activity is still the opening of the form, after the autosave and pings.
    assert any(status == 200 for _at, status in editor.pings)
    assert last_activity(editor) <= opened_at

    page.wait_for_url(f"**{reverse('wagtailadmin_login')}?next=**", timeout=40_000)
    signed_out = time.monotonic()
    page.wait_for_load_state("load")
    assert "为安全起见已自动退出" in page.locator("body").inner_text()
    # Not before the limit, and not much after: pings went on all the while and did not count.
    assert signed_out - opened >= IDLE_MINUTES * 60 - 2
    assert signed_out - opened <= IDLE_MINUTES * 60 + 15
    assert len([at for at, status in editor.pings if at < signed_out and status == 200]) >= 2
    (idle,) = events("idle_logout")
    assert idle.username == "editor"
    assert events("logout") == []

    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    editor.settle()
    assert page.url == live_site + edit
    assert page.input_value("#id_title") == EDITED
    assert len(events("idle_logout")) == 1
    editor.assert_met_no_obstacle()
    editor.close()


def test_keep_signed_in_keeps_the_session_past_the_limit(live_site, browser, column):
    article = ArticlePageFactory(parent=column, title="保持登录的文章")
    editor = Watched(browser, live_site, "editor")
    page = editor.page
    edit = open_edit_form(editor, article)
    opened = time.monotonic()
    warning = page.get_by_role("alertdialog")
    warning.wait_for(timeout=30_000)
    warning.get_by_role("button", name="继续保持登录").click()
    warning.wait_for(state="hidden", timeout=5_000)
    kept = time.monotonic()
    # Past the first limit, short of the second.
    time.sleep(max(0, opened + IDLE_MINUTES * 60 + 3 - time.monotonic()))
    assert time.monotonic() - kept < IDLE_MINUTES * 60 - 3
    assert page.url == live_site + edit
    status = page.evaluate(
        """url => fetch(url, {headers: {Accept: 'application/json'}}).then(r => r.json())""",
        reverse("security_session_status"),
    )
    assert status["success"] is True
    assert status["remaining"] > 0
    assert events("idle_logout") == []
    # 帐号 → 更多动作 → 登录记录: the editor's own sign-in, in Chinese.
    editor.goto(reverse("wagtailadmin_account"))
    page.get_by_role("tab", name="更多动作").click()
    editor.click_and_wait(page.get_by_role("link", name="登录记录"))
    assert "登录" in page.locator("main table").inner_text()
    editor.assert_met_no_obstacle()
    editor.close()


def test_the_security_administrator_lifts_a_lock_in_the_browser(
    live_site, browser, django_user_model
):
    ensure_administrator_roles()
    guard = django_user_model.objects.create_user("anquan", password=PASSWORD)
    guard.groups.add(Group.objects.get(name=SECURITY_ADMINISTRATORS))
    stranger = Client(REMOTE_ADDR="198.51.100.23")
    for _ in range(5):
        stranger.post(reverse("wagtailadmin_login"), {"username": "editor", "password": "x"})
    security = Watched(browser, live_site, "anquan")
    page = security.page
    security.goto(reverse("security_lockouts"))
    row = page.locator("main tr", has_text="editor")
    assert "198.51.100.23" in row.inner_text()
    security.click_and_wait(row.get_by_role("button", name="解除锁定"))
    assert "已解除账号“editor”的登录锁定" in page.locator(".messages").inner_text()
    assert "目前没有被锁定的账号" in page.locator("main").inner_text()
    assert len(events("unlock")) == 1
    security.assert_met_no_obstacle()
    security.close()
