"""The password rules for staff accounts (等保2.0 7.1.4.1 a): how a password is made, the
history of the last ones kept hashed, its age, and whether its owner must change it now.

The rules are Django password validators (AUTH_PASSWORD_VALIDATORS in sitecms/settings/base.py),
so every form that sets a password checks them: the admin's user forms, the account page's
change form, `manage.py createsuperuser` and `changepassword`. The history keeps the hashes the
user had, recorded when a user is saved with a hash the history does not have yet (post_save,
connected in security/signal_handlers.py): whoever set it and however (those forms, both commands,
`ensure_admin`, `create_user`, which hashes without `set_password`). A password set by someone
else while signed in to the admin (a new account, a reset) must be changed by its owner at the
next sign-in; security/passwords_middleware.py tells this module who is acting.
"""

import contextvars
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from security import audit

# The primary key of the user signed in to the admin request being answered, if any.
acting_user = contextvars.ContextVar("acting_user", default=None)


def history_length():
    return getattr(settings, "PASSWORD_HISTORY_COUNT", 5)


def max_age_days():
    """0 means a password never expires."""
    return getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90)


def warning_days():
    return getattr(settings, "PASSWORD_WARNING_DAYS", 7)


class PasswordHistory(models.Model):
    """A password a user has had, hashed like the user's own; the newest one is the current
    password and says when it was set and whether its owner must change it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField("密码（散列）", max_length=128)
    changed_at = models.DateTimeField("设置时间", default=timezone.now)
    must_change = models.BooleanField("须由本人修改", default=False)

    class Meta:
        app_label = "security"
        ordering = ["-changed_at", "-pk"]
        verbose_name = "密码历史"
        verbose_name_plural = "密码历史"

    def __str__(self):
        return f"{self.user} {self.changed_at:%Y-%m-%d %H:%M}"

    def expires_at(self):
        days = max_age_days()
        return self.changed_at + timedelta(days=days) if days else None

    def is_expired(self, now=None):
        expires = self.expires_at()
        return expires is not None and (now or timezone.now()) >= expires

    def days_left(self, now=None):
        """Whole days until the password expires (rounded up), or None if it never does."""
        expires = self.expires_at()
        if expires is None:
            return None
        return -((now or timezone.now()) - expires).days


def current_password(user):
    """The user's newest history entry. A user the history has not seen yet (an account older
    than the history, or one whose hash was loaded as is) is recorded now, with the hash it
    has: its password's age counts from today."""
    if not user.has_usable_password():
        return None
    entry = PasswordHistory.objects.filter(user=user).first()
    if entry is None:
        entry = PasswordHistory.objects.create(user=user, password=user.password)
    return entry


def record(sender, instance, raw=False, **kwargs):
    """After a user is saved (post_save): a new hash is a new password, recorded with who set
    it; the history beyond its length is forgotten. A new hash of the same password (Django
    hashes it again at sign-in when the hasher's work factor has grown) replaces the newest
    entry's hash and leaves its date, so an upgrade does not make an old password new."""
    user = instance
    if raw or not user.has_usable_password():
        return
    newest = PasswordHistory.objects.filter(user=user).first()
    if newest is not None and newest.password == user.password:
        return
    typed = getattr(user, "_password", None)
    if newest is not None and typed is not None and check_password(typed, newest.password):
        newest.password = user.password
        newest.save(update_fields=["password"])
        return
    actor = acting_user.get()
    set_by_someone_else = actor is not None and actor != user.pk
    PasswordHistory.objects.create(
        user=user, password=user.password, must_change=set_by_someone_else
    )
    audit.record(
        "password_reset" if set_by_someone_else else "password_changed",
        obj=f"用户 {user.get_username()}",
    )
    kept = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)
    PasswordHistory.objects.filter(user=user).exclude(
        pk__in=list(kept[: max(history_length(), 1)])
    ).delete()


class CharacterClassesValidator:
    """At least three of the four kinds of character: small letters, capitals, digits, others."""

    required = 3

    def validate(self, password, user=None):
        kinds = [
            any("a" <= c <= "z" for c in password),
            any("A" <= c <= "Z" for c in password),
            any("0" <= c <= "9" for c in password),
            any(not c.isascii() or not c.isalnum() for c in password),
        ]
        if sum(kinds) < self.required:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return "密码须包含小写字母、大写字母、数字、其他符号四类中的至少三类。"


class UsernameValidator:
    """Not the username, nor containing it in any case (Django's similarity check lets a
    username followed by enough digits and signs through)."""

    def validate(self, password, user=None):
        username = (getattr(user, "get_username", lambda: "")() or "").lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含用户名。"


class HistoryValidator:
    """None of the user's last PASSWORD_HISTORY_COUNT passwords."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : history_length()
            ]
        )
        if user.password and user.password not in hashes:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.message(), code="password_reused")

    def message(self):
        return f"新密码不能与最近 {history_length()} 次使用过的密码相同。"

    def get_help_text(self):
        return self.message()
