"""The password rules (security/passwords.py, security/passwords_middleware.py): each rule refuses
in Chinese, the last five passwords cannot come back, an expired password or one set by someone
else allows the change form and nothing else in the admin, a warning comes from seven days
before, the public site does not care, and the e-mail reset waits to be turned on."""

import re
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from security.passwords import PasswordHistory

GOOD = "Qingxi-2024"
ACCOUNT = reverse("wagtailadmin_account")


def refusal(password, user=None):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return "\n".join(refused.value.messages)


class FormValues(HTMLParser):
    """The values a browser would send from a page's forms, as they are shown."""

    def __init__(self):
        super().__init__()
        self.values, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file"}:
            if attrs.get("type") not in {"checkbox", "radio"}:
                self.values[name] = attrs.get("value", "")
            elif "checked" in attrs:
                self.values[name] = attrs.get("value", "on")
        elif tag == "select":
            self.select = name
        elif (
            tag == "option"
            and self.select
            and ("selected" in attrs or self.select not in self.values)
        ):
            self.values[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def change_password(client, old, new):
    """The account page sent as shown, with the password fields filled in."""
    parser = FormValues()
    parser.feed(client.get(ACCOUNT).content.decode())
    values = {k: v for k, v in parser.values.items() if k != "csrfmiddlewaretoken"}
    values.update(
        {
            "password-old_password": old,
            "password-new_password1": new,
            "password-new_password2": new,
        }
    )
    return client.post(ACCOUNT, values)


@pytest.fixture
def editor(db, django_user_model):
    """A user who may use the admin."""
    user = django_user_model.objects.create_user(
        "zhangsan", password="Old-pass-01", email="zs@example.cn", first_name="三", last_name="张"
    )
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def sign_in(username, password):
    client = Client()
    response = client.post(
        reverse("wagtailadmin_login"), {"username": username, "password": password}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


@pytest.fixture
def editor_in(editor):
    client = Client()
    client.force_login(editor)
    return client


def age(user, days):
    """Makes the user's current password as old as given."""
    entry = PasswordHistory.objects.filter(user=user).first()
    entry.changed_at = timezone.now() - timedelta(days=days)
    entry.save()


# The rules, each in Chinese


def test_a_password_under_eight_characters_is_refused(db):
    message = refusal("Ab-1234")
    assert "密码太短" in message
    assert "8" in message


@pytest.mark.parametrize("password", ["qingxidangjian", "qingxi2024x", "QINGXI-DANGJIAN"])
def test_a_password_of_fewer_than_three_kinds_is_refused(db, password):
    assert refusal(password) == "密码须包含小写字母、大写字母、数字、其他符号四类中的至少三类。"


@pytest.mark.parametrize("password", ["Qingxi2024", "qingxi-2024", "QINGXI-2024", "Qing-xi-dang"])
def test_three_kinds_of_four_are_enough(db, password):
    validate_password(password)


def test_a_password_like_the_username_is_refused(editor):
    assert "密码不能包含用户名。" in refusal("Zhangsan123", editor)
    assert "密码不能包含用户名。" in refusal("2024#ZHANGSAN", editor)


def test_the_username_with_few_changes_is_refused_as_too_similar(django_user_model, db):
    user = django_user_model(username="wangxiaoming")
    assert "太相似" in refusal("Wangxiaomin9", user)


def test_the_messages_use_chinese_punctuation(editor):
    for password in ["Ab-1234", "qingxidangjian", "Zhangsan123", "Old-pass-01", "12345678"]:
        for message in refusal(password, editor).split("\n"):
            assert not re.search(r"[.,;:!?]", message), message
            assert message.endswith("。"), message


# The history of five


def test_none_of_the_last_five_passwords_may_come_back(editor):
    passwords = ["Old-pass-01", "Old-pass-02", "Old-pass-03", "Old-pass-04", "Old-pass-05"]
    for password in passwords[1:]:
        editor.set_password(password)
        editor.save()
    for password in passwords:
        assert refusal(password, editor) == "新密码不能与最近 5 次使用过的密码相同。"


def test_the_sixth_password_back_is_allowed(editor):
    for password in ["Old-pass-02", "Old-pass-03", "Old-pass-04", "Old-pass-05", "Old-pass-06"]:
        editor.set_password(password)
        editor.save()
    validate_password("Old-pass-01", editor)
    assert refusal("Old-pass-02", editor)
    assert PasswordHistory.objects.filter(user=editor).count() == 5


def test_the_history_is_kept_hashed(editor):
    (entry,) = PasswordHistory.objects.filter(user=editor)
    assert "Old-pass-01" not in entry.password
    assert entry.password == editor.password


def test_the_account_page_refuses_the_current_password_in_chinese(editor_in):
    response = change_password(editor_in, "Old-pass-01", "Old-pass-01")
    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()


def test_the_commands_record_the_password_too(db, django_user_model, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Super-pass-1")
    call_command("createsuperuser", "--noinput", username="root", email="root@example.cn")
    root = django_user_model.objects.get(username="root")
    assert refusal("Super-pass-1", root)
    assert not PasswordHistory.objects.get(user=root).must_change


def test_an_account_older_than_the_history_counts_its_age_from_when_first_seen(editor, editor_in):
    PasswordHistory.objects.all().delete()
    assert editor_in.get(reverse("wagtailadmin_home")).status_code == 200
    (entry,) = PasswordHistory.objects.filter(user=editor)
    assert entry.password == editor.password
    assert timezone.now() - entry.changed_at < timedelta(minutes=1)
    assert refusal("Old-pass-01", editor)


# Expiry


def test_an_expired_password_leads_every_admin_page_to_the_change_form(editor, editor_in):
    age(editor, 91)
    for url in ["/admin/", "/admin/pages/", "/admin/users/", "/admin/images/", "/admin/nowhere/"]:
        response = editor_in.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ACCOUNT
    page = editor_in.get(ACCOUNT)
    assert page.status_code == 200
    assert "您的密码已超过 90 天未修改，已经过期。请先修改密码，再继续使用管理后台。" in (
        page.content.decode()
    )


def test_an_expired_password_refuses_every_other_admin_form(editor, editor_in, django_user_model):
    editor.is_superuser = True
    editor.save()
    age(editor, 100)
    response = editor_in.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "intruder",
            "email": "x@example.cn",
            "first_name": "某",
            "last_name": "人",
            "password1": "Intruder-01",
            "password2": "Intruder-01",
            "is_superuser": "on",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == ACCOUNT
    assert not django_user_model.objects.filter(username="intruder").exists()
    # The account page's other settings are not a way round either.
    response = editor_in.post(ACCOUNT, {"name_email-email": "new@example.cn"})
    assert response["Location"] == ACCOUNT
    editor.refresh_from_db()
    assert editor.email != "new@example.cn"


def test_signing_out_and_the_pages_scripts_stay_allowed(editor, editor_in):
    age(editor, 100)
    assert editor_in.get(reverse("wagtailadmin_javascript_catalog")).status_code == 200
    assert editor_in.get(reverse("wagtailadmin_sprite")).status_code == 200
    response = editor_in.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert editor_in.get("/admin/").headers["Location"].startswith("/admin/login/")


def test_changing_the_expired_password_opens_the_admin_again(editor, editor_in):
    age(editor, 100)
    response = change_password(editor_in, "Old-pass-01", GOOD)
    assert response.status_code == 302
    assert editor_in.get("/admin/").status_code == 200


def test_a_warning_comes_seven_days_before_expiry_once_a_day(editor, editor_in):
    age(editor, 83)
    response = editor_in.get("/admin/")
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "您的密码将在 7 天后过期，请尽快在“帐号”页修改密码。"
    ]
    again = editor_in.get("/admin/")
    assert list(get_messages(again.wsgi_request)) == []


def test_no_warning_eight_days_before(editor, editor_in):
    age(editor, 82)
    response = editor_in.get("/admin/")
    assert list(get_messages(response.wsgi_request)) == []


def test_a_max_age_of_zero_never_expires(editor, editor_in, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    age(editor, 1000)
    assert editor_in.get("/admin/").status_code == 200


def test_the_public_site_ignores_an_expired_password(editor, editor_in, site, home):
    age(editor, 1000)
    assert editor_in.get(home.url).status_code == 200


# Forced change after someone else set the password


def new_user_form(**fields):
    return {
        "username": "lisi",
        "email": "lisi@example.cn",
        "first_name": "四",
        "last_name": "李",
        "password1": "First-pass-1",
        "password2": "First-pass-1",
        **fields,
    }


def test_an_account_made_by_an_administrator_changes_its_password_at_first_sign_in(
    superuser_client, django_user_model
):
    response = superuser_client.post(reverse("wagtailusers_users:add"), new_user_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    django_user_model.objects.get(username="lisi").user_permissions.add(
        Permission.objects.get(codename="access_admin")
    )
    lisi = sign_in("lisi", "First-pass-1")
    response = lisi.get("/admin/")
    assert response["Location"] == ACCOUNT
    assert "您的密码由他人设置" in lisi.get(ACCOUNT).content.decode()
    assert change_password(lisi, "First-pass-1", "Own-pass-22").status_code == 302
    assert lisi.get("/admin/").status_code == 200


def test_a_reset_by_an_administrator_forces_a_change(superuser_client, editor, editor_in):
    assert editor_in.get("/admin/").status_code == 200
    form = new_user_form(
        username="zhangsan", password1="Reset-pass-9", password2="Reset-pass-9", is_active="on"
    )
    response = superuser_client.post(reverse("wagtailusers_users:edit", args=(editor.pk,)), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    editor_in = sign_in("zhangsan", "Reset-pass-9")
    assert editor_in.get("/admin/pages/")["Location"] == ACCOUNT


def test_a_password_changed_by_its_owner_is_not_forced(editor, editor_in):
    assert change_password(editor_in, "Old-pass-01", GOOD).status_code == 302
    assert not PasswordHistory.objects.filter(user=editor).first().must_change
    assert editor_in.get("/admin/").status_code == 200


# The e-mail reset


def test_the_email_reset_is_off_unless_turned_on(client, db, settings):
    assert client.get(reverse("wagtailadmin_password_reset")).status_code == 404
    assert (
        reverse("wagtailadmin_password_reset") not in client.get("/admin/login/").content.decode()
    )
    settings.WAGTAIL_PASSWORD_RESET_ENABLED = True
    assert client.get(reverse("wagtailadmin_password_reset")).status_code == 200


def test_a_forced_user_cannot_clear_the_flag_through_the_user_form(
    superuser_client, django_user_model
):
    superuser_client.post(reverse("wagtailusers_users:add"), new_user_form(is_superuser="on"))
    lisi = django_user_model.objects.get(username="lisi")
    lisi.is_superuser = True
    lisi.save()
    client = sign_in("lisi", "First-pass-1")
    form = new_user_form(password1="Own-pass-22", password2="Own-pass-22", is_active="on")
    response = client.post(reverse("wagtailusers_users:edit", args=(lisi.pk,)), form)
    assert response["Location"] == ACCOUNT
    lisi.refresh_from_db()
    assert lisi.check_password("First-pass-1")
    assert PasswordHistory.objects.filter(user=lisi).first().must_change


def test_the_first_admin_made_on_the_server_is_not_forced(db, site, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Admin-pass-1")
    call_command("ensure_admin", stdout=StringIO())
    assert sign_in("admin", "Admin-pass-1").get("/admin/").status_code == 200
