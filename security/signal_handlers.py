"""The security app's receivers, each connected with its sender when Django starts
(SecurityConfig.ready): `manage.py setup_site` makes the three administrators' roles too; a user
saved with a new password hash has it recorded in the password history (security/passwords.py);
sign-ins, accounts, groups, permissions, settings and Wagtail's own log entries are written to
the audit log (security/audit_events.py, security/content_log.py); and each sign-in's session is
kept, ending the account's other sessions (security/sessions.py)."""

from axes.signals import user_locked_out
from django.apps import apps
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    ModelLogEntry,
    PageLogEntry,
    Site,
)

from core.signal_handlers import site_set_up
from security import audit_events, content_log, passwords, sessions
from security.administrators import ensure_administrator_roles


def administrator_roles_made(sender, **kwargs):
    ensure_administrator_roles()


def setting_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, (BaseSiteSetting, BaseGenericSetting))
    ]


def register_signal_handlers():
    User = get_user_model()
    site_set_up.connect(administrator_roles_made, sender=Site, dispatch_uid="administrator_roles")
    post_save.connect(passwords.record, sender=User, dispatch_uid="password_history")

    user_logged_in.connect(audit_events.signed_in, sender=User, dispatch_uid="audit_login")
    user_logged_out.connect(audit_events.signed_out, sender=User, dispatch_uid="audit_logout")
    # After the sign-in is recorded: the session's row, its idle clock, the account's other
    # sessions ended (security/sessions.py).
    user_logged_in.connect(sessions.signed_in, sender=User, dispatch_uid="admin_session_in")
    user_logged_out.connect(sessions.signed_out, sender=User, dispatch_uid="admin_session_out")
    # Django sends a failed sign-in with its module's name as the sender, and a signal matches a
    # string sender by identity: this is that very string.
    user_login_failed.connect(
        audit_events.sign_in_failed, sender=auth.__name__, dispatch_uid="audit_failed"
    )
    # axes sends the literal "axes", interned like this one.
    user_locked_out.connect(audit_events.locked_out, sender="axes", dispatch_uid="audit_lockout")

    pre_save.connect(audit_events.remember_account, sender=User, dispatch_uid="audit_user_before")
    post_save.connect(audit_events.account_saved, sender=User, dispatch_uid="audit_user_saved")
    post_delete.connect(audit_events.account_deleted, sender=User, dispatch_uid="audit_user_gone")
    m2m_changed.connect(
        audit_events.account_groups_changed, sender=User.groups.through, dispatch_uid="audit_roles"
    )
    m2m_changed.connect(
        audit_events.account_permissions_changed,
        sender=User.user_permissions.through,
        dispatch_uid="audit_user_permissions",
    )
    post_save.connect(audit_events.group_saved, sender=Group, dispatch_uid="audit_group_saved")
    post_delete.connect(audit_events.group_deleted, sender=Group, dispatch_uid="audit_group_gone")
    m2m_changed.connect(
        audit_events.group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="audit_group_permissions",
    )
    for model in (GroupPagePermission, GroupCollectionPermission):
        for signal in (post_save, post_delete):
            signal.connect(
                audit_events.object_permission_changed,
                sender=model,
                dispatch_uid=f"audit_{model.__name__}_{signal is post_save}",
            )
    for model in setting_models():
        post_save.connect(
            audit_events.settings_saved, sender=model, dispatch_uid=f"audit_{model._meta.label}"
        )
    for log in (PageLogEntry, ModelLogEntry):
        post_save.connect(content_log.logged, sender=log, dispatch_uid=f"audit_{log.__name__}")
