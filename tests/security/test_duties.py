"""The three administrators (三权分立), tried as someone who holds one of the roles and wants more:
the superuser box posted by hand, groups not offered, a superuser's account by URL, the bulk
actions of the account list, and the menus each role sees."""

import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupApprovalTask, GroupPagePermission

from security.administrators import (
    ADMINISTRATOR_ROLES,
    AUDIT_ADMINISTRATORS,
    SECURITY_ADMINISTRATORS,
    SYSTEM_ADMINISTRATORS,
    ensure_administrator_roles,
)
from tests.admin_forms import user_in

PASSWORD = "a-long-pass-phrase-42"


@pytest.fixture
def roles(site):
    ensure_administrator_roles()


@pytest.fixture
def security_client(roles, django_user_model):
    return user_in(django_user_model, SECURITY_ADMINISTRATORS, "anquan", email="aq@example.cn")[1]


@pytest.fixture
def system_client(roles, django_user_model):
    return user_in(django_user_model, SYSTEM_ADMINISTRATORS, "xitong", email="xt@example.cn")[1]


@pytest.fixture
def audit_client(roles, django_user_model):
    return user_in(django_user_model, AUDIT_ADMINISTRATORS, "shenji", email="sj@example.cn")[1]


def account_form(username="zhangsan", **fields):
    return {
        "username": username,
        "email": f"{username}@example.cn",
        "last_name": "张",
        "first_name": "三",
        "is_active": "on",
        **fields,
    }


def group_pk(name):
    return str(Group.objects.get(name=name).pk)


def refused(response):
    """The site's 403 page, saying why (only a superuser may; one role per account)."""
    html = response.content.decode()
    return response.status_code == 403 and ("只有超级管理员" in html or "只能担任" in html)


def test_the_roles_are_made_by_the_migration_and_again_idempotently(roles):
    ensure_administrator_roles()
    groups = Group.objects.filter(name__in=ADMINISTRATOR_ROLES)
    assert groups.count() == 3
    for group in groups:
        assert group.permissions.filter(codename="access_admin").exists()
    audit_rights = Group.objects.get(name=AUDIT_ADMINISTRATORS).permissions
    assert sorted(audit_rights.values_list("codename", flat=True)) == [
        "access_admin",
        "view_audit_log",
    ]
    assert audit_rights.get(codename="view_audit_log").name == "查看和导出审计日志"


def test_setup_site_makes_the_roles_of_an_emptied_database(site):
    Group.objects.filter(name__in=ADMINISTRATOR_ROLES).delete()
    call_command("setup_site", stdout=io.StringIO())
    system = Group.objects.get(name=SYSTEM_ADMINISTRATORS)
    assert system.permissions.filter(codename="change_site").exists()
    assert system.collection_permissions.filter(permission__codename="add_collection").exists()
    assert not GroupPagePermission.objects.filter(group__name__in=ADMINISTRATOR_ROLES).exists()


def test_the_security_administrator_is_not_offered_the_superuser_box(security_client):
    for url in (reverse("wagtailusers_users:add"), reverse("wagtailusers_users:index")):
        assert security_client.get(url).status_code == 200
    html = security_client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="is_superuser"' not in html
    assert 'name="username"' in html


def test_posting_the_superuser_box_on_a_new_account_makes_no_superuser(
    security_client, django_user_model
):
    response = security_client.post(
        reverse("wagtailusers_users:add"),
        account_form(is_superuser="on", password1=PASSWORD, password2=PASSWORD),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not django_user_model.objects.get(username="zhangsan").is_superuser


def test_posting_the_superuser_box_on_an_account_makes_no_superuser(
    security_client, django_user_model
):
    account = django_user_model.objects.create_user("lisi", password=PASSWORD)
    response = security_client.post(
        reverse("wagtailusers_users:edit", args=(account.pk,)),
        account_form("lisi", is_superuser="on"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    account.refresh_from_db()
    assert not account.is_superuser
    html = security_client.get(reverse("wagtailusers_users:edit", args=(account.pk,)))
    assert 'name="is_superuser"' not in html.content.decode()


def test_nor_on_their_own_account(security_client):
    me = security_client.user
    response = security_client.post(
        reverse("wagtailusers_users:edit", args=(me.pk,)),
        account_form("anquan", is_superuser="on", groups=[group_pk(SYSTEM_ADMINISTRATORS)]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    me.refresh_from_db()
    assert not me.is_superuser
    assert list(me.groups.values_list("name", flat=True)) == [SECURITY_ADMINISTRATORS]


def test_a_group_not_offered_is_refused(security_client, django_user_model):
    account = django_user_model.objects.create_user("lisi", password=PASSWORD)
    url = reverse("wagtailusers_users:edit", args=(account.pk,))
    html = security_client.get(url).content.decode()
    assert f'value="{group_pk(SECURITY_ADMINISTRATORS)}"' not in html
    assert f'value="{group_pk(SYSTEM_ADMINISTRATORS)}"' in html
    response = security_client.post(
        url, account_form("lisi", groups=[group_pk(SECURITY_ADMINISTRATORS)])
    )
    assert response.status_code == 200
    assert not account.groups.exists()
    response = security_client.post(
        reverse("wagtailusers_users:add"),
        account_form(
            "wangwu",
            password1=PASSWORD,
            password2=PASSWORD,
            groups=[group_pk(SECURITY_ADMINISTRATORS)],
        ),
    )
    assert response.status_code == 200
    assert not django_user_model.objects.filter(username="wangwu").exists()


def test_one_account_holds_one_administrators_role(
    security_client, superuser_client, django_user_model
):
    account = django_user_model.objects.create_user("lisi", password=PASSWORD)
    two = [group_pk(SYSTEM_ADMINISTRATORS), group_pk(AUDIT_ADMINISTRATORS)]
    for client in (security_client, superuser_client):
        url = reverse("wagtailusers_users:edit", args=(account.pk,))
        response = client.post(url, account_form("lisi", groups=two))
        assert response.status_code == 200
        assert "只能担任" in response.content.decode()
        assert not account.groups.exists()
    response = security_client.post(
        reverse("wagtailusers_users:edit", args=(account.pk,)),
        account_form("lisi", groups=[group_pk(SYSTEM_ADMINISTRATORS)]),
    )
    assert response.status_code == 302
    assert list(account.groups.values_list("name", flat=True)) == [SYSTEM_ADMINISTRATORS]


def test_a_superusers_account_cannot_be_opened_changed_or_deleted(
    security_client, django_user_model
):
    boss = django_user_model.objects.create_superuser("boss2", password=PASSWORD)
    edit = reverse("wagtailusers_users:edit", args=(boss.pk,))
    delete = reverse("wagtailusers_users:delete", args=(boss.pk,))
    assert refused(security_client.get(edit))
    assert refused(security_client.post(edit, account_form("boss2", password1="x-new-pass-9")))
    assert refused(security_client.get(delete))
    assert refused(security_client.post(delete))
    boss.refresh_from_db()
    assert boss.check_password(PASSWORD) and boss.is_active and boss.username == "boss2"


def test_another_security_administrators_account_is_left_alone(security_client, django_user_model):
    other = user_in(django_user_model, SECURITY_ADMINISTRATORS, "anquan2")[0]
    edit = reverse("wagtailusers_users:edit", args=(other.pk,))
    assert refused(security_client.get(edit))
    assert refused(security_client.post(edit, account_form("anquan2")))
    assert refused(security_client.post(reverse("wagtailusers_users:delete", args=(other.pk,))))
    assert django_user_model.objects.filter(pk=other.pk, is_active=True).exists()


def test_the_roles_own_groups_are_changed_by_a_superuser_only(security_client, superuser_client):
    for name in ADMINISTRATOR_ROLES:
        pk = group_pk(name)
        assert refused(security_client.get(reverse("wagtailusers_groups:edit", args=(pk,))))
        assert refused(
            security_client.post(reverse("wagtailusers_groups:edit", args=(pk,)), {"name": "随便"})
        )
        assert refused(security_client.post(reverse("wagtailusers_groups:delete", args=(pk,))))
        assert Group.objects.filter(name=name).exists()
        url = reverse("wagtailusers_groups:edit", args=(pk,))
        assert superuser_client.get(url).status_code == 200
    editors = Group.objects.get(name="编辑")
    url = reverse("wagtailusers_groups:edit", args=(editors.pk,))
    assert security_client.get(url).status_code == 200


def bulk(client, action, accounts, data):
    query = "&".join(f"id={account.pk}" for account in accounts)
    url = reverse("wagtail_bulk_action", args=("auth", "user", action)) + "?" + query
    return client.post(url, data)


def test_the_bulk_actions_spare_superusers(security_client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss2", password=PASSWORD)
    # Wagtail itself leaves a superuser out of a deletion by anyone else.
    bulk(security_client, "delete", [boss], {})
    assert django_user_model.objects.filter(pk=boss.pk).exists()
    other = user_in(django_user_model, SECURITY_ADMINISTRATORS, "anquan2")[0]
    assert refused(bulk(security_client, "delete", [other], {}))
    assert refused(bulk(security_client, "set_active_state", [other], {"mark_as_active": "False"}))
    assert refused(bulk(security_client, "set_active_state", [boss], {"mark_as_active": "False"}))
    role = group_pk("编辑")
    assert refused(bulk(security_client, "assign_role", [boss], {"role": role}))
    boss.refresh_from_db()
    other.refresh_from_db()
    assert boss.is_active and not boss.groups.exists() and other.is_active


def test_the_bulk_role_cannot_raise_anyone(security_client, django_user_model):
    account = django_user_model.objects.create_user("lisi", password=PASSWORD)
    me = security_client.user
    secure = group_pk(SECURITY_ADMINISTRATORS)
    assert refused(bulk(security_client, "assign_role", [account], {"role": secure}))
    system = group_pk(SYSTEM_ADMINISTRATORS)
    assert refused(bulk(security_client, "assign_role", [me], {"role": system}))
    assert refused(bulk(security_client, "assign_role", [me], {"role": group_pk("编辑")}))
    auditor = user_in(django_user_model, AUDIT_ADMINISTRATORS, "shenji")[0]
    assert refused(bulk(security_client, "assign_role", [auditor], {"role": system}))
    assert not account.groups.exists()
    assert list(me.groups.values_list("name", flat=True)) == [SECURITY_ADMINISTRATORS]
    assert list(auditor.groups.values_list("name", flat=True)) == [AUDIT_ADMINISTRATORS]
    response = bulk(security_client, "assign_role", [account], {"role": system})
    assert response.status_code == 302
    assert list(account.groups.values_list("name", flat=True)) == [SYSTEM_ADMINISTRATORS]


def test_the_bulk_actions_still_work_on_ordinary_accounts(security_client, django_user_model):
    account = django_user_model.objects.create_user("lisi", password=PASSWORD)
    response = bulk(security_client, "set_active_state", [account], {"mark_as_active": "False"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    assert bulk(security_client, "delete", [account], {}).status_code == 302
    assert not django_user_model.objects.filter(pk=account.pk).exists()


def test_a_superuser_still_does_everything(superuser_client, roles, django_user_model):
    other = django_user_model.objects.create_superuser("boss2", password=PASSWORD)
    url = reverse("wagtailusers_users:edit", args=(other.pk,))
    html = superuser_client.get(url).content.decode()
    assert 'name="is_superuser"' in html
    response = superuser_client.post(
        reverse("wagtailusers_users:add"),
        account_form(
            "dashi",
            is_superuser="on",
            password1=PASSWORD,
            password2=PASSWORD,
            groups=[group_pk(SECURITY_ADMINISTRATORS)],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = django_user_model.objects.get(username="dashi")
    assert made.is_superuser and made.groups.get().name == SECURITY_ADMINISTRATORS
    assert bulk(superuser_client, "delete", [other], {}).status_code == 302
    assert not django_user_model.objects.filter(pk=other.pk).exists()


def menu(client):
    return client.get(reverse("wagtailadmin_home")).content.decode()


def test_the_system_administrator_sees_the_sites_settings_collections_and_workflows(
    system_client, site
):
    html = menu(system_client)
    for name in ("sites", "collections", "workflows"):
        assert f'"name": "{name}"' in html, name
    assert reverse("wagtailsettings:edit", args=("contact", "footersettings")) in html
    for name in ("users", "groups"):
        assert f'"name": "{name}"' not in html, name
    for url in (
        reverse("wagtailsites:index"),
        reverse("wagtailadmin_collections:add"),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailsettings:edit", args=("contact", "footersettings", site.pk)),
    ):
        assert system_client.get(url).status_code == 200, url
    for url in (reverse("wagtailusers_users:index"), reverse("wagtailusers_groups:index")):
        assert system_client.get(url).status_code in (302, 403), url


def test_the_system_administrator_touches_no_page(system_client, home, column):
    for url in (
        reverse("wagtailadmin_pages:add", args=("news", "newsindexpage", home.pk)),
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk)),
        reverse("wagtailadmin_pages:edit", args=(column.pk,)),
        reverse("wagtailadmin_pages:unpublish", args=(column.pk,)),
    ):
        assert system_client.get(url).status_code in (302, 403), url


def test_the_security_administrator_sees_accounts_and_groups_only(security_client):
    html = menu(security_client)
    for name in ("users", "groups"):
        assert f'"name": "{name}"' in html, name
    for name in ("sites", "collections", "workflows", "images", "documents"):
        assert f'"name": "{name}"' not in html, name
    assert "footersettings" not in html
    for url in (
        reverse("wagtailsites:index"),
        reverse("wagtailimages:index"),
        reverse("wagtailsettings:edit", args=("contact", "footersettings")),
    ):
        assert security_client.get(url).status_code in (302, 403), url


def test_the_audit_administrator_sees_almost_nothing(audit_client):
    html = menu(audit_client)
    for name in ("users", "groups", "sites", "collections", "workflows", "images"):
        assert f'"name": "{name}"' not in html, name
    assert audit_client.get(reverse("wagtailusers_users:index")).status_code in (302, 403)


def test_the_roles_permissions_read_in_chinese_in_the_group_editor(superuser_client, roles):
    call_command("setup_site", stdout=io.StringIO())
    for name in ADMINISTRATOR_ROLES:
        url = reverse("wagtailusers_groups:edit", args=(group_pk(name),))
        html = superuser_client.get(url).content.decode()
        assert name in html
        assert re.findall(r"\bCan \w+ \w+", html) == [], name


def test_the_system_administrator_cannot_make_their_group_the_reviewers(system_client):
    url = reverse("wagtailadmin_workflows:add_task", args=("wagtailcore", "groupapprovaltask"))
    html = system_client.get(url).content.decode()
    assert f'value="{group_pk("审核")}"' in html
    for name in ADMINISTRATOR_ROLES:
        assert f'value="{group_pk(name)}"' not in html, name
    response = system_client.post(
        url, {"name": "系统审核", "groups": [group_pk(SYSTEM_ADMINISTRATORS)]}
    )
    assert response.status_code == 200
    assert not GroupApprovalTask.objects.filter(name="系统审核").exists()
    response = system_client.post(url, {"name": "系统审核", "groups": [group_pk("审核")]})
    assert response.status_code == 302
    assert GroupApprovalTask.objects.get(name="系统审核").groups.get().name == "审核"
