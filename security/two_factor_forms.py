"""The admin's login form with the second factor (WAGTAILADMIN_USER_LOGIN_FORM), and the form of
one code on the 两步验证 page (security/two_factor_views.py).

The login page asks for the code beside the password: an account with a confirmed phone signs in
only with a code that security/two_factor.py accepts, and its session is then marked verified
the way django-otp's own forms do it (the device set on the user as `otp_device`, which
django-otp's `user_logged_in` receiver passes to `django_otp.login`). An account without one signs
in with the password alone, and meets the enrolment page next if ADMIN_2FA_REQUIRED
(security/two_factor_middleware.py).
"""

from django import forms

from core.accounts import LoginForm as PasswordLoginForm
from security import two_factor

CODE_HELP = "已绑定手机验证器的账号须填写：验证器上显示的 6 位数字，或一个恢复码。"


def code_field(required, help_text=CODE_HELP):
    return forms.CharField(
        label="动态验证码",
        required=required,
        max_length=20,
        strip=True,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}
        ),
    )


class LoginForm(PasswordLoginForm):
    """User name, password and, for an account that has enrolled, the 动态验证码."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"] = code_field(required=False)

    def clean(self):
        cleaned = super().clean()
        user = self.user_cache
        if user is not None and two_factor.has_two_factor(user):
            device, problem = two_factor.check(
                user, cleaned.get("otp_token", ""), request=self.request
            )
            if device is None:
                raise forms.ValidationError(problem, code="otp")
            user.otp_device = device
        return cleaned


class CodeForm(forms.Form):
    otp_token = code_field(required=True, help_text="")

    def __init__(self, *args, label="动态验证码", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].label = label
        self.fields["otp_token"].error_messages["required"] = "请填写动态验证码。"
