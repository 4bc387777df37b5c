"""The security audit log (security/audit.py and the modules it names): each event is recorded
once, with who, from where, what and how it ended; the database refuses to change or delete a
record; a record changed behind the triggers' back, a missing record and a deleted Wagtail log
entry are named by verify_audit; retention never removes a record younger than 180 days; and
报告 → 审计日志 is for the 审计管理员 and superusers, filtered and exported safely."""

import io
import json
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from security import audit, audit_triggers, audit_verify, daily
from security.administrators import AUDIT_ADMINISTRATORS, SECURITY_ADMINISTRATORS
from security.audit import SecurityEvent
from tests.admin_forms import user_in

LOGIN = reverse("wagtailadmin_login")
LOGOUT = reverse("wagtailadmin_logout")
AUDIT_LOG = reverse("security_audit_log")
PASSWORD = "pw-for-tests"

# On PostgreSQL too: the triggers and the chain's lock are each engine's own.
pytestmark = pytest.mark.engine_dependent


def events(name, **fields):
    return list(SecurityEvent.objects.filter(event=name, **fields).order_by("sequence"))


def events_about(prefix):
    return SecurityEvent.objects.filter(object__startswith=prefix).order_by("sequence")


def refused(response):
    """The admin's refusal: a 403, or Wagtail's redirect to the dashboard with a message."""
    return response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )


def newest():
    return SecurityEvent.objects.order_by("-sequence").first()


@pytest.fixture
def auditor(site, django_user_model):
    return user_in(django_user_model, AUDIT_ADMINISTRATORS, "auditor")[1]


@pytest.fixture
def security_admin(site, django_user_model):
    return user_in(django_user_model, SECURITY_ADMINISTRATORS, "guard")[1]


@pytest.mark.django_db
def test_a_sign_in_a_failed_one_and_a_sign_out_are_each_recorded_once(site, django_user_model):
    django_user_model.objects.create_user("zhang", password=PASSWORD)
    client = Client(REMOTE_ADDR="203.0.113.9")
    client.post(LOGIN, {"username": "zhang", "password": "wrong-Pass-1"})
    client.post(LOGIN, {"username": "zhang", "password": PASSWORD})
    client.post(LOGOUT)

    (failed,) = events("login_failed")
    assert (failed.username, failed.outcome, failed.address) == ("zhang", "失败", "203.0.113.9")
    (signed_in,) = events("login")
    assert (signed_in.username, signed_in.outcome) == ("zhang", "成功")
    assert len(events("logout", username="zhang")) == 1
    every_field = json.dumps([e.content() for e in SecurityEvent.objects.all()], ensure_ascii=False)
    assert "wrong-Pass-1" not in every_field
    assert PASSWORD not in every_field


@pytest.mark.django_db
def test_a_name_that_is_no_account_is_recorded_as_typed(site):
    Client().post(LOGIN, {"username": "=cmd|' /C calc'!A0", "password": "x"})
    (failed,) = events("login_failed")
    assert failed.username == "=cmd|' /C calc'!A0"
    assert failed.user_id is None


@pytest.mark.django_db
def test_a_lockout_is_recorded_with_the_address(site, django_user_model, settings):
    django_user_model.objects.create_user("li", password=PASSWORD)
    client = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "li", "password": "wrong"})
    (locked,) = events("lockout")
    assert (locked.username, locked.outcome) == ("li", "拒绝")
    assert "198.51.100.7" in locked.detail


@pytest.mark.django_db
def test_account_changes_say_what_changed_and_who_did_it(site, superuser_client, django_user_model):
    account = django_user_model.objects.create_user("wang", password=PASSWORD)
    assert len(events("user_created", object="用户 wang")) == 1
    account.is_active = False
    account.email = "wang@example.cn"
    account.save()
    (changed,) = events("user_changed", object="用户 wang")
    assert "有效：是 → 否" in changed.detail
    assert "电子邮件： → wang@example.cn" in changed.detail

    editors = Group.objects.get(name="编辑")
    account.groups.add(editors)
    account.groups.remove(editors)
    details = [e.detail for e in events("role_changed", object="用户 wang")]
    assert details == ["加入：编辑", "移出：编辑"]
    account.delete()
    assert len(events("user_deleted", object="用户 wang")) == 1


@pytest.mark.django_db
def test_a_sign_in_updates_no_account_record_of_its_own(site, django_user_model):
    django_user_model.objects.create_user("zhao", password=PASSWORD)
    Client().post(LOGIN, {"username": "zhao", "password": PASSWORD})
    assert events("user_changed") == []


@pytest.mark.django_db
def test_group_changes_and_their_permissions_are_recorded(site):
    group = Group.objects.create(name="通讯员")
    from django.contrib.auth.models import Permission

    permission = Permission.objects.get(codename="access_admin")
    group.permissions.add(permission)
    group.name = "特约通讯员"
    group.save()
    group.delete()
    kinds = [e.event for e in events_about("组 通讯员")] + [
        e.event for e in events_about("组 特约通讯员")
    ]
    assert kinds[0] == "group_created"
    assert kinds[-1] == "group_deleted"
    assert "group_changed" in kinds
    assert any("wagtailadmin.access_admin" in e.detail for e in events("group_changed"))


@pytest.mark.django_db
def test_a_password_set_by_another_is_a_reset_and_ones_own_a_change(
    site, security_admin, django_user_model
):
    account = django_user_model.objects.create_user("sun", password=PASSWORD)
    url = reverse("wagtailusers_users:edit", args=[account.pk])
    form = security_admin.get(url).context["form"]
    data = {
        "username": "sun",
        "email": "sun@example.cn",
        "first_name": "孙",
        "last_name": "晓",
        "password1": "Qingxi-2025x",
        "password2": "Qingxi-2025x",
        "is_active": "on",
    }
    assert form is not None
    response = security_admin.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    (reset,) = events("password_reset", object="用户 sun")
    assert reset.username == "guard"


@pytest.mark.django_db
def test_a_refusal_in_the_admin_is_recorded(site, editor_client):
    assert refused(editor_client.get(AUDIT_LOG))
    (denied,) = events("permission_denied")
    assert (denied.username, denied.object, denied.outcome) == ("editor", AUDIT_LOG, "拒绝")


@pytest.mark.django_db
def test_settings_changes_are_recorded_and_their_first_defaults_are_not(site):
    from wagtail.contrib.settings.models import BaseSiteSetting

    from security.signal_handlers import setting_models

    for model in setting_models():
        if issubclass(model, BaseSiteSetting):
            made = model.for_site(site)
            assert not events("settings_changed", object=str(model._meta.verbose_name))
            made.save()
            assert events("settings_changed", object=str(model._meta.verbose_name))


@pytest.mark.django_db
def test_a_page_action_in_wagtails_log_joins_the_chain(site, home, django_user_model):
    editor = django_user_model.objects.create_user("editor2", password=PASSWORD)
    entry = PageLogEntry.objects.log_action(home, "wagtail.edit", user=editor)
    joined = newest()
    assert joined.event == "content_action"
    assert joined.username == "editor2"
    assert json.loads(joined.detail)["id"] == entry.pk
    # The auditor reads the action in the words of the page's history, its code beside them.
    assert joined.shown_detail().startswith(f"编辑（wagtail.edit，Wagtail 日志 page #{entry.pk}）")


@pytest.mark.django_db
def test_a_content_quality_decision_reads_as_its_words_in_the_audit_log(site, home):
    PageLogEntry.objects.log_action(home, "quality.let_through", data={"reason": "引用原文"})
    assert newest().shown_detail().startswith("放行规范表述（quality.let_through")


# The database's refusal.


@pytest.mark.django_db
def test_the_database_refuses_to_change_or_delete_a_record(site):
    record = audit.record("login", username="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=record.pk).update(outcome="失败")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=record.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE security_securityevent SET username = 'y'")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_securityevent")
    assert SecurityEvent.objects.get(pk=record.pk).username == "x"


@pytest.mark.django_db
def test_the_database_lets_only_records_older_than_180_days_go(site, monkeypatch):
    now = timezone.now()
    monkeypatch.setattr(audit.timezone, "now", lambda: now - timedelta(days=181))
    old = audit.record("login", username="old")
    monkeypatch.setattr(audit.timezone, "now", lambda: now - timedelta(days=179))
    young = audit.record("login", username="young")
    monkeypatch.undo()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_securityevent WHERE id = %s", [old.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM security_securityevent WHERE id = %s", [young.pk])
    names = set(SecurityEvent.objects.values_list("username", flat=True))
    assert "young" in names
    assert "old" not in names


@pytest.mark.django_db
def test_retention_never_removes_a_record_younger_than_180_days(site, monkeypatch, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    now = timezone.now()
    for days in (200, 170, 40, 1):
        monkeypatch.setattr(audit.timezone, "now", lambda days=days: now - timedelta(days=days))
        audit.record("login", username=f"{days} days")
    monkeypatch.undo()
    call_command("prune_audit", stdout=io.StringIO())
    kept = set(SecurityEvent.objects.values_list("username", flat=True))
    assert {"170 days", "40 days", "1 days"} <= kept
    assert "200 days" not in kept
    assert events("audit_pruned")


# The chain.


def tampered(sql, params=()):
    """Run SQL on the audit table as someone who dropped the triggers first."""
    audit_triggers.drop(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        audit_triggers.create(connection)


def verify_audit_says():
    try:
        call_command("verify_audit", stdout=io.StringIO())
    except CommandError as broken:
        return str(broken)
    return None


@pytest.mark.django_db
def test_an_untouched_chain_verifies(site):
    for name in ("a", "b", "c"):
        audit.record("login", username=name)
    assert verify_audit_says() is None
    assert audit_verify.first_break() is None


@pytest.mark.django_db
def test_a_record_altered_behind_the_triggers_is_named(site):
    records = [audit.record("login", username=name) for name in ("a", "b", "c")]
    tampered(
        "UPDATE security_securityevent SET username = 'mallory' WHERE id = %s", [records[1].pk]
    )
    said = verify_audit_says()
    assert f"第 {records[1].sequence} 条" in said
    assert "已被修改" in said


@pytest.mark.django_db
def test_a_record_deleted_behind_the_triggers_is_named(site):
    records = [audit.record("login", username=name) for name in ("a", "b", "c")]
    tampered("DELETE FROM security_securityevent WHERE id = %s", [records[1].pk])
    said = verify_audit_says()
    assert f"第 {records[1].sequence} 条" in said
    assert "缺失" in said


@pytest.mark.django_db
def test_a_record_relinked_after_a_change_still_fails_without_the_key(site):
    records = [audit.record("login", username=name) for name in ("a", "b")]
    forged = SecurityEvent.objects.get(pk=records[1].pk)
    forged.username = "mallory"
    forged_digest = forged.expected_digest(b"a guessed key")
    tampered(
        "UPDATE security_securityevent SET username = 'mallory', digest = %s WHERE id = %s",
        [forged_digest, records[1].pk],
    )
    assert "已被修改" in verify_audit_says()


@pytest.mark.django_db
def test_the_newest_records_deleted_are_found_by_the_chain_head(site):
    records = [audit.record("login", username=name) for name in ("a", "b", "c")]
    tampered("DELETE FROM security_securityevent WHERE id = %s", [records[2].pk])
    assert "末尾记录缺失" in verify_audit_says()


@pytest.mark.django_db
def test_a_deleted_or_altered_wagtail_log_entry_is_named(site, home):
    entry = PageLogEntry.objects.log_action(home, "wagtail.edit")
    assert verify_audit_says() is None
    PageLogEntry.objects.filter(pk=entry.pk).update(label="另一个标题")
    assert "已被修改" in verify_audit_says()
    PageLogEntry.objects.filter(pk=entry.pk).delete()
    assert "已被删除" in verify_audit_says()


@pytest.mark.django_db
def test_wagtail_marking_a_deleted_pages_entries_is_no_tampering(site, home):
    entry = PageLogEntry.objects.log_action(home, "wagtail.edit")
    PageLogEntry.objects.filter(pk=entry.pk).update(deleted=True)
    assert verify_audit_says() is None


def test_the_links_are_sm3_where_openssl_offers_it():
    import hashlib

    assert audit.algorithm() == "sm3"
    standard_vector = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert hashlib.new("sm3", b"abc").hexdigest() == standard_vector


# 报告 → 审计日志.


@pytest.mark.django_db
def test_the_auditor_reads_and_filters_the_log(site, auditor):
    audit.record("login_failed", username="intruder", outcome=audit.FAILURE)
    audit.record("login", username="colleague")
    page = auditor.get(AUDIT_LOG, {"outcome": "失败"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "intruder" in text
    assert "colleague" not in text
    assert auditor.get(AUDIT_LOG, {"username": "colle"}).content.decode().count("colleague") >= 1


@pytest.mark.django_db
def test_nobody_else_reads_the_log_not_even_the_security_administrator(
    site, security_admin, editor_client
):
    assert refused(security_admin.get(AUDIT_LOG))
    assert refused(editor_client.get(AUDIT_LOG))


@pytest.mark.django_db
def test_the_export_opens_in_excel_with_formulas_neutralised_and_is_itself_recorded(site, auditor):
    audit.record("login_failed", username='=HYPERLINK("http://x")', outcome=audit.FAILURE)
    response = auditor.get(AUDIT_LOG, {"export": "xlsx"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "时间", "用户")
    assert '\'=HYPERLINK("http://x")' in [row[2] for row in rows]
    csv = auditor.get(AUDIT_LOG, {"export": "csv"})
    text = body(csv).decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    exports = events("export", username="auditor")
    assert len(exports) == 2


@pytest.mark.django_db
def test_the_log_has_no_way_to_change_a_record(site, superuser_client):
    record = audit.record("login", username="x")
    for method in ("post", "put", "delete"):
        response = getattr(superuser_client, method)(AUDIT_LOG, {"id": record.pk})
        assert response.status_code in {403, 405}
    assert SecurityEvent.objects.get(pk=record.pk).username == "x"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


# The daily job.


@pytest.mark.django_db
def test_the_daily_job_verifies_exports_yesterday_and_runs_once_a_day(site, settings, tmp_path):
    settings.AUDIT_EXPORT_DIR = str(tmp_path)
    settings.SECURITY_DAILY_AT = "00:00"
    yesterday = timezone.now() - timedelta(days=1)
    from unittest import mock

    with mock.patch.object(audit.timezone, "now", return_value=yesterday):
        audit.record("login", username="yesterday")
    assert daily.run_if_due() is True
    assert daily.run_if_due() is False
    day = timezone.localdate(yesterday)
    lines = (tmp_path / f"audit-{day:%Y-%m-%d}.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["user"] for line in lines] == ["yesterday"]
    (verified,) = events("audit_verified")
    assert verified.outcome == "成功"


@pytest.mark.django_db
def test_the_daily_job_disables_accounts_unused_for_ninety_days(site, django_user_model):
    now = timezone.now()
    old = django_user_model.objects.create_user("old", last_login=now - timedelta(days=91))
    never = django_user_model.objects.create_user("never", password=PASSWORD)
    django_user_model.objects.filter(pk=never.pk).update(date_joined=now - timedelta(days=100))
    recent = django_user_model.objects.create_user("recent", last_login=now - timedelta(days=10))
    assert daily.disable_inactive_accounts() == 2
    old.refresh_from_db(), never.refresh_from_db(), recent.refresh_from_db()
    assert (old.is_active, never.is_active, recent.is_active) == (False, False, True)
    assert {e.object for e in events("user_disabled")} == {"用户 old", "用户 never"}


@pytest.mark.django_db
def test_the_days_records_also_go_to_syslog_when_asked(site, settings, tmp_path):
    import socket

    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(5)
    settings.AUDIT_EXPORT_DIR = str(tmp_path)
    settings.AUDIT_SYSLOG = f"127.0.0.1:{listener.getsockname()[1]}"
    audit.record("login_failed", username="intruder", outcome=audit.FAILURE)
    try:
        daily.export_day(timezone.localdate())
        count = SecurityEvent.objects.count()
        received = [listener.recv(65536).decode().rstrip("\x00") for _ in range(count)]
    finally:
        listener.close()
    # Facility authpriv (10), level info (6): priority 86.
    assert all(message.startswith("<86>sitecms-audit: ") for message in received), received[:1]
    lines = [json.loads(message.split("sitecms-audit: ", 1)[1]) for message in received]
    assert "intruder" in [line["user"] for line in lines]
