"""Two-factor sign-in to the admin (等保2.0 身份鉴别, 8.1.4.1 d: two factors, one of them
cryptographic): a TOTP authenticator on the user's phone (RFC 6238, HMAC-SHA1, the codes of
微信/企业微信 authenticator mini-programs, Google/Microsoft Authenticator and 阿里云 App alike) and
ten one-time recovery codes, kept in django-otp's own tables (`otp_totp`, `otp_static`).

A code is checked against the one device of its kind: six digits against the confirmed TOTP
device, anything else against the recovery codes, so a recovery code never counts as a wrong TOTP
code in django-otp's throttling, which doubles the wait after each wrong code of a device. A TOTP
code is taken once (django-otp keeps the time step last used, `last_t`), a recovery code is
deleted when used. Every outcome is written to the audit log: enrolment, a wrong or missing code,
a recovery code used, and a reset by the 安全管理员 (security/two_factor_views.py).

With ADMIN_2FA_REQUIRED every admin account must enrol before anything else
(security/two_factor_middleware.py); without it an account may enrol of its own accord. Either
way an account that has enrolled gives a code at every sign-in (security/two_factor_forms.py).
"""

import math
import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from security import audit
from security.administrators import is_security_administrator, may_manage_account

RECOVERY_CODES = 10
PHONE = "手机验证器"
RECOVERY = "恢复码"
TOTP_CODE = re.compile(r"\d{6}")
MISSING = "此账号已启用两步验证，请填写手机验证器上的 6 位动态验证码（或一个恢复码）。"
WRONG = "动态验证码不正确或已使用过。"
NOT_YOURS = "只有安全管理员可以重置他人的两步验证。"
NOT_YOUR_OWN = "不能重置自己的两步验证，请联系另一位安全管理员。"
PROTECTED = "只有超级管理员可以重置超级管理员和其他安全管理员的两步验证。"


def required():
    return getattr(settings, "ADMIN_2FA_REQUIRED", False)


def confirmed_phone(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_two_factor(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_phone(user):
    """The phone being enrolled: one unconfirmed device kept until it is confirmed, so the QR
    code stays the same when the page is loaded again."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=PHONE, confirmed=False)
    return device


def secret(device):
    """The key as an authenticator app takes it typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def issuer():
    return getattr(settings, "OTP_TOTP_ISSUER", "") or settings.WAGTAIL_SITE_NAME


def qr_svg(device):
    """The otpauth:// address as a QR code, inline SVG (no picture from elsewhere, nothing the
    admin's Content-Security-Policy refuses), named for screen readers."""
    code = segno.make(device.config_url, error="m")
    svg = code.svg_inline(border=4, scale=5, dark="#000", light="#fff", svgclass="two-factor-qr")
    label = "用手机验证器扫描此二维码"
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308 - segno's own markup, the label escaped


def normalise(code):
    """What was typed, without spaces and dashes, in small letters (recovery codes are shown in
    two groups of four)."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def _wait_message(info):
    seconds = max(1, math.ceil((info["locked_until"] - timezone.now()).total_seconds()))
    return f"动态验证码错误次数过多，请等待 {seconds} 秒后再试。"


def _candidate(user, code, confirmed=True):
    if TOTP_CODE.fullmatch(code):
        devices = TOTPDevice.objects.filter(user=user, confirmed=confirmed)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=confirmed)
    return devices.select_for_update().order_by("pk").first()


def _failed(user, detail, request):
    audit.record(
        "otp_failed",
        user=user,
        obj=f"用户 {user.get_username()}",
        outcome=audit.FAILURE,
        detail=detail,
        request=request,
    )


def check(user, code, request=None):
    """(device, None) if `code` is one of the user's, else (None, the reason in Chinese). Locked
    devices (django-otp's throttling) say how long to wait and are not tried."""
    code = normalise(code)
    if not code:
        _failed(user, "未填写动态验证码", request)
        return None, MISSING
    with transaction.atomic():
        device = _candidate(user, code)
        if device is not None:
            allowed, info = device.verify_is_allowed()
            if not allowed:
                _failed(user, "尝试过于频繁，未予验证", request)
                return None, _wait_message(info)
            if device.verify_token(code):
                if isinstance(device, StaticDevice):
                    audit.record(
                        "recovery_code_used",
                        user=user,
                        obj=f"用户 {user.get_username()}",
                        detail=f"剩余 {device.token_set.count()} 个恢复码",
                        request=request,
                    )
                return device, None
        _failed(user, "恢复码错误" if isinstance(device, StaticDevice) else "验证码错误", request)
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return None, f"{WRONG}{_wait_message(info)}"
    return None, f"{WRONG}请重新输入。"


def confirm_phone(user, device, code, request=None):
    """Enrolment: the first code of the pending phone confirms it; the recovery codes are made
    anew (a list shown once, never again). Returns (the phone, the codes) and None, or None and
    the reason."""
    code = normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return None, _wait_message(info)
        if not TOTP_CODE.fullmatch(code) or not device.verify_token(code):
            _failed(user, "绑定手机验证器时验证码错误", request)
            return None, f"{WRONG}请输入手机验证器当前显示的 6 位数字。"
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
        audit.record(
            "otp_enrolled",
            user=user,
            obj=f"用户 {user.get_username()}",
            detail=f"绑定手机验证器，生成 {len(codes)} 个恢复码",
            request=request,
        )
    return (device, codes), None


def new_recovery_codes(user):
    """Ten new recovery codes, the old ones gone."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


def reset_refusal(user, account):
    """Why `user` may not reset the account's devices, or None: the 安全管理员's duty (and a
    superuser's), on others' accounts only, and on the accounts `may_manage_account` leaves
    them."""
    if not (user.is_superuser or is_security_administrator(user)):
        return NOT_YOURS
    if account.pk == user.pk:
        return NOT_YOUR_OWN
    if not may_manage_account(user, account):
        return PROTECTED
    return None


def reset(account, request=None, by_command=False):
    """The 安全管理员's reset (or, on the server, `manage.py reset_two_factor`'s): every device
    of the account gone; it enrols again at its next sign-in. Returns how many phones it had."""
    detail = "已删除手机验证器和恢复码，下次登录时须重新绑定"
    with transaction.atomic():
        phones = TOTPDevice.objects.filter(user=account, confirmed=True).count()
        TOTPDevice.objects.filter(user=account).delete()
        StaticDevice.objects.filter(user=account).delete()
        audit.record(
            "otp_reset",
            obj=f"用户 {account.get_username()}",
            detail=f"在服务器上用 manage.py reset_two_factor 重置：{detail}"
            if by_command
            else detail,
            request=request,
        )
    return phones
