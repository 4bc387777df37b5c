"""What the audit log records from signals (connected in security/signal_handlers.py): sign-ins,
failed sign-ins (with the name tried, never the password), sign-outs, lockouts, and every change
to accounts, groups, their permissions and the site's settings, with what changed.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db.models import Max
from django.utils import timezone

from security import audit
from security.idle_middleware import IDLE_LOGOUT
from security.lockout import shown_address

# The account fields whose change is recorded, with the words the auditor reads.
ACCOUNT_FIELDS = {
    "username": "用户名",
    "first_name": "名",
    "last_name": "姓",
    "email": "电子邮件",
    "is_active": "有效",
    "is_staff": "职员",
    "is_superuser": "超级管理员",
}
BEFORE = "_audit_before"


def signed_in(sender, request, user, **kwargs):
    audit.record("login", user=user, request=request)


def sign_in_failed(sender, credentials, request=None, **kwargs):
    audit.record(
        "login_failed",
        username=str(credentials.get("username", "")),
        outcome=audit.FAILURE,
        request=request,
    )


def signed_out(sender, request, user, **kwargs):
    # An idle logout is recorded as that, once (security/idle_middleware.py).
    if user is not None and not getattr(request, IDLE_LOGOUT, False):
        audit.record("logout", user=user, request=request)


def locked_out(sender, request, username, ip_address, **kwargs):
    """axes sends this when an account and address reach the limit, and again at each attempt
    refused while they stay locked (which is also a failed sign-in): the lock is recorded when it
    starts, once."""
    detail = f"来自 {shown_address(ip_address)} 的登录失败次数达到上限"
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    recorded = audit.SecurityEvent.objects.filter(
        event="lockout", username=username or "", detail=detail, time__gte=since
    ).aggregate(last=Max("time"))["last"]
    if (
        recorded is not None
        and not audit.SecurityEvent.objects.filter(
            event="unlock", object=f"用户 {username}", time__gte=recorded
        ).exists()
    ):
        return
    audit.record(
        "lockout",
        username=username or "",
        obj=username or "",
        outcome=audit.DENIED,
        detail=detail,
        request=request,
    )


def account_name(account):
    return f"用户 {account.get_username()}"


def _values(instance, fields):
    return {field: getattr(instance, field) for field in fields}


def remember_account(sender, instance, raw=False, **kwargs):
    """pre_save of the user model: the recorded fields as they were, to say what changed."""
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values(*ACCOUNT_FIELDS).first()
    setattr(instance, BEFORE, before)


def _shown(value):
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def account_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    if created:
        audit.record("user_created", obj=account_name(instance))
        return
    before = getattr(instance, BEFORE, None)
    if before is None:
        return
    after = _values(instance, ACCOUNT_FIELDS)
    changes = [
        f"{label}：{_shown(before[field])} → {_shown(after[field])}"
        for field, label in ACCOUNT_FIELDS.items()
        if before[field] != after[field]
    ]
    setattr(instance, BEFORE, after)
    if changes:
        audit.record("user_changed", obj=account_name(instance), detail="；".join(changes))


def account_deleted(sender, instance, **kwargs):
    audit.record("user_deleted", obj=account_name(instance))


def _names(model, pks):
    if model is Permission:
        return sorted(
            f"{app}.{codename}"
            for app, codename in model.objects.filter(pk__in=pks).values_list(
                "content_type__app_label", "codename"
            )
        )
    return sorted(str(item) for item in model.objects.filter(pk__in=pks))


def _m2m_detail(action, model, pk_set):
    verb = {"post_add": "加入", "post_remove": "移出"}.get(action)
    if verb is None or not pk_set:
        return None
    return f"{verb}：{'、'.join(_names(model, pk_set))}"


def account_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed of User.groups, from either side (an account's groups, a group's members)."""
    if action == "post_clear":
        accounts = [instance] if not reverse else []
        for account in accounts:
            audit.record("role_changed", obj=account_name(account), detail="移出全部组")
        return
    detail = None
    if not reverse:
        detail = _m2m_detail(action, model, pk_set)
        if detail:
            audit.record("role_changed", obj=account_name(instance), detail=detail)
        return
    verb = {"post_add": "加入", "post_remove": "移出"}.get(action)
    if verb is None:
        return
    for account in model.objects.filter(pk__in=pk_set or ()):
        audit.record("role_changed", obj=account_name(account), detail=f"{verb}：{instance}")


def account_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed of User.user_permissions."""
    if reverse:
        return
    detail = _m2m_detail(action, model, pk_set) or (
        "清除全部单独权限" if action == "post_clear" else None
    )
    if detail:
        audit.record("user_changed", obj=account_name(instance), detail=f"单独权限{detail}")


def group_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        audit.record("group_created" if created else "group_changed", obj=f"组 {instance.name}")


def group_deleted(sender, instance, **kwargs):
    audit.record("group_deleted", obj=f"组 {instance.name}")


def group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed of Group.permissions."""
    if reverse:
        return
    detail = _m2m_detail(action, model, pk_set) or (
        "清除全部权限" if action == "post_clear" else None
    )
    if detail:
        audit.record("group_changed", obj=f"组 {instance.name}", detail=f"权限{detail}")


def object_permission_changed(sender, instance, raw=False, created=None, **kwargs):
    """post_save and post_delete of Wagtail's page and collection permissions of a group."""
    if raw:
        return
    verb = "删除" if created is None else ("授予" if created else "修改")
    place = getattr(instance, "page", None) or getattr(instance, "collection", None)
    permission = getattr(instance, "permission", None)
    group = Group.objects.filter(pk=instance.group_id).first()
    audit.record(
        "group_changed",
        obj=f"组 {group.name if group else instance.group_id}",
        detail=f"{verb}权限：{permission.codename if permission else ''} @ {place}",
    )


def settings_saved(sender, instance, created, raw=False, **kwargs):
    # A settings row Wagtail makes with its defaults the first time a page reads it (a reader's
    # page, as often as not) is nobody's change.
    if not raw and not created:
        audit.record("settings_changed", obj=str(sender._meta.verbose_name))
