"""Sessions (等保2.0 会话管理): the idle logout decided on the server, which the admin's background
requests (editing-session pings, autosave, fragments) do not put off and a page opened or a form
saved does; no 记住我; one session per account; each user's own sign-in history; an account the
daily job disabled, enabled again by the 安全管理员. Each event is recorded once."""

import time

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from news.roles import EDITORS
from security import daily
from security.administrators import SECURITY_ADMINISTRATORS, ensure_administrator_roles
from security.audit import SecurityEvent
from security.idle_middleware import LAST_ACTIVITY
from security.sessions import AdminSession

pytestmark = pytest.mark.django_db

LOGIN = reverse("wagtailadmin_login")
LOGOUT = reverse("wagtailadmin_logout")
HOME = reverse("wagtailadmin_home")
STATUS = reverse("security_session_status")
KEEP_ALIVE = reverse("security_keep_alive")
SIGN_INS = reverse("security_sign_ins")
PASSWORD = "Sessions-pw-2024"
NAVIGATION = {"HTTP_SEC_FETCH_MODE": "navigate", "HTTP_SEC_FETCH_DEST": "document"}
FETCH = {"HTTP_SEC_FETCH_MODE": "cors", "HTTP_SEC_FETCH_DEST": "empty"}


def events(name, **fields):
    return list(SecurityEvent.objects.filter(event=name, **fields).order_by("sequence"))


@pytest.fixture
def editor(site, django_user_model):
    user = django_user_model.objects.create_user("zhang", password=PASSWORD)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def signed_in(address="203.0.113.9", username="zhang"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def idle_for(client, seconds):
    session = client.session
    session[LAST_ACTIVITY] = time.time() - seconds
    session.save()


def last_activity(client):
    return client.session[LAST_ACTIVITY]


def ping_url(home):
    return reverse(
        "wagtailadmin_editing_sessions:ping", args=("wagtailcore", "page", str(home.pk), 0)
    )


def test_a_session_idle_past_the_limit_is_signed_out_at_its_next_page(editor, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    idle_for(client, 31 * 60)
    response = client.get(reverse("wagtailadmin_explore_root"), **NAVIGATION)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/admin/pages/"
    page = client.get(response.url)
    assert "您已超过 30 分钟未操作，为安全起见已自动退出" in page.content.decode()
    assert client.get(HOME).status_code == 302
    (idle,) = events("idle_logout")
    assert (idle.username, idle.outcome, idle.address) == ("zhang", "成功", "203.0.113.9")
    assert events("logout") == []
    assert not AdminSession.objects.exists()


def test_the_login_page_or_a_sign_out_after_the_limit_leads_to_a_plain_login(editor, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    idle_for(client, 31 * 60)
    response = client.get(LOGIN, **NAVIGATION)
    assert response.status_code == 200
    assert "为安全起见已自动退出" in response.content.decode()
    client = signed_in()
    idle_for(client, 31 * 60)
    response = client.post(LOGOUT, **NAVIGATION)
    assert response.status_code == 302
    assert response.url == LOGIN
    assert len(events("idle_logout")) == 2
    assert events("logout") == []


def test_within_the_limit_nothing_happens(editor, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    idle_for(client, 29 * 60)
    assert client.get(HOME, **NAVIGATION).status_code == 200
    assert events("idle_logout") == []


def test_a_background_request_after_the_limit_gets_a_401_in_json(editor, home, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    idle_for(client, 31 * 60)
    response = client.post(ping_url(home), HTTP_X_REQUESTED_WITH="XMLHttpRequest", **FETCH)
    assert response.status_code == 401
    body = response.json()
    assert body["success"] is False
    assert body["error_code"] == "session_expired"
    assert "自动退出" in body["error_message"]
    assert len(events("idle_logout")) == 1
    assert client.get(STATUS).status_code == 302  # signed out: the admin sends it to log in


@pytest.mark.parametrize(
    "how",
    [
        "editing session ping",
        "autosave",
        "fragment",
        "fetch",
        "preview frame",
        "preview by a browser that names no fetch mode",
        "status check",
    ],
)
def test_what_scripts_send_does_not_count_as_activity(editor, home, how, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    idle_for(client, 20 * 60)
    before = last_activity(client)
    edit = reverse("wagtailadmin_pages:edit", args=(home.pk,))
    if how == "editing session ping":
        client.post(ping_url(home), HTTP_X_REQUESTED_WITH="XMLHttpRequest", **FETCH)
    elif how == "autosave":
        # Wagtail 8's autosave: a fetch POST of the edit form asking for JSON.
        client.post(edit, {"title": "x"}, HTTP_ACCEPT="application/json", **FETCH)
    elif how == "fragment":
        client.get(HOME, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    elif how == "fetch":
        client.get(HOME, **FETCH)
    elif how == "preview frame":
        client.get(HOME, HTTP_SEC_FETCH_MODE="navigate", HTTP_SEC_FETCH_DEST="iframe")
    elif how == "preview by a browser that names no fetch mode":
        client.get(reverse("wagtailadmin_pages:preview_on_edit", args=(home.pk,)))
    else:
        assert client.get(STATUS, **FETCH).json()["remaining"] == pytest.approx(600, abs=5)
    assert last_activity(client) == before


def test_a_page_opened_a_form_saved_and_keep_alive_count_as_activity(editor, home, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    for request in (
        lambda: client.get(HOME, **NAVIGATION),
        lambda: client.get(HOME),  # a client that names no fetch mode
        lambda: client.post(
            reverse("wagtailadmin_account"), {"name_email-first_name": "三"}, **NAVIGATION
        ),
        lambda: client.post(KEEP_ALIVE, **FETCH),
    ):
        idle_for(client, 20 * 60)
        before = last_activity(client)
        request()
        assert last_activity(client) > before + 19 * 60
    assert client.post(KEEP_ALIVE, **FETCH).json()["remaining"] == pytest.approx(1800, abs=5)


def test_a_public_page_after_the_limit_is_served_signed_out(editor, home, settings):
    settings.ADMIN_IDLE_MINUTES = 30
    client = signed_in()
    idle_for(client, 31 * 60)
    assert client.get("/").status_code == 200
    assert len(events("idle_logout")) == 1
    assert client.get(HOME).status_code == 302


def test_the_warning_script_is_on_every_admin_screen_with_the_limit(editor, settings):
    settings.ADMIN_IDLE_MINUTES = 0.2
    client = signed_in()
    html = client.get(HOME).content.decode()
    assert "js/admin/idle-warning.js" in html
    assert 'data-idle-seconds="12.0"' in html
    assert f'data-keep-alive-url="{KEEP_ALIVE}"' in html


def test_there_is_no_remember_me_and_the_session_ends_with_the_browser(editor):
    assert 'name="remember"' not in Client().get(LOGIN).content.decode()
    client = Client()
    response = client.post(LOGIN, {"username": "zhang", "password": PASSWORD, "remember": "on"})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()


def test_a_sign_in_ends_the_accounts_other_sessions_recorded_once(editor, django_user_model):
    django_user_model.objects.create_user("li", password=PASSWORD)
    office = signed_in("203.0.113.9")
    other_user = signed_in("203.0.113.50", username="li")
    home_pc = signed_in("198.51.100.7")
    assert office.get(HOME).status_code == 302
    assert home_pc.get(HOME).status_code == 200
    assert other_user.get(HOME).status_code in (200, 302)
    (ended,) = events("session_ended")
    assert ended.username == "zhang"
    assert ended.address == "198.51.100.7"
    assert "203.0.113.9" in ended.detail
    assert AdminSession.objects.filter(user__username="zhang").count() == 1
    assert AdminSession.objects.filter(user__username="li").count() == 1


def test_with_single_session_off_both_stay(editor, settings):
    settings.ADMIN_SINGLE_SESSION = False
    office = signed_in("203.0.113.9")
    home_pc = signed_in("198.51.100.7")
    assert office.get(HOME).status_code == 200
    assert home_pc.get(HOME).status_code == 200
    assert events("session_ended") == []


def test_a_sign_out_forgets_the_session_and_is_recorded_once(editor):
    client = signed_in()
    assert AdminSession.objects.count() == 1
    client.post(LOGOUT)
    assert not AdminSession.objects.exists()
    assert len(events("logout")) == 1
    signed_in()
    assert events("session_ended") == []


def test_each_user_sees_their_own_sign_in_history_only(editor, django_user_model):
    django_user_model.objects.create_user("li", password=PASSWORD).groups.add(
        Group.objects.get(name=EDITORS)
    )
    Client(REMOTE_ADDR="192.0.2.66").post(LOGIN, {"username": "zhang", "password": "wrong-1"})
    signed_in("203.0.113.50", username="li")
    client = signed_in("203.0.113.9")
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert SIGN_INS in account and "登录记录" in account
    html = client.get(SIGN_INS).content.decode()
    assert "192.0.2.66" in html and "登录失败" in html and "失败" in html
    assert "203.0.113.9" in html
    assert "203.0.113.50" not in html


def test_an_account_the_daily_job_disabled_is_enabled_again_by_the_security_administrator(
    site, django_user_model
):
    ensure_administrator_roles()
    guard = django_user_model.objects.create_user("guard", password=PASSWORD)
    guard.groups.add(Group.objects.get(name=SECURITY_ADMINISTRATORS))
    unused = django_user_model.objects.create_user(
        "old", password=PASSWORD, email="old@example.cn", first_name="旧", last_name="号"
    )
    django_user_model.objects.filter(pk=unused.pk).update(
        date_joined=unused.date_joined.replace(year=unused.date_joined.year - 1)
    )
    assert daily.disable_inactive_accounts() == 1
    unused.refresh_from_db()
    assert not unused.is_active
    assert len(events("user_disabled")) == 1
    assert Client().post(LOGIN, {"username": "old", "password": PASSWORD}).status_code == 200

    client = signed_in(username="guard")
    response = client.post(
        reverse("wagtailusers_users:edit", args=(unused.pk,)),
        {
            "username": "old",
            "email": "old@example.cn",
            "first_name": "旧",
            "last_name": "号",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unused.refresh_from_db()
    assert unused.is_active
    (enabled,) = events("user_changed", object="用户 old", username="guard")
    assert enabled.username == "guard"
    assert "有效：否 → 是" in enabled.detail
    signed_in(username="old")
    assert len(events("login", username="old")) == 1
