"""The 两步验证 page of the admin, and the 安全管理员's reset of an account's devices.

The page (security_two_factor) does what the account needs: with no phone yet, it shows the QR
code and the key in text for the authenticator app, asks for the first code, and then shows the
ten recovery codes once (in the answer to that POST; they are kept nowhere the page can show them
again); with a phone and a session that has not given a code, it asks for one; with both, it says
so, counts the recovery codes left and makes new ones for a current code. Each success marks the
session verified (`django_otp.login`) under a new session key.

The reset (security_two_factor_reset) deletes an account's phone and recovery codes, so that its
owner enrols a new phone at the next sign-in: for the 安全管理员 and superusers, never on one's own
account, and, for a 安全管理员, never on a superuser's or another 安全管理员's
(security/administrators.py `may_manage_account`).
"""

import django_otp
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from core.admin_pages import AdminPage
from security import two_factor
from security.two_factor_forms import CodeForm
from security.user_views import refused


def verified(request, device):
    request.session.cycle_key()
    django_otp.login(request, device)


class TwoFactorView(AdminPage, TemplateView):
    template_name = "security/two_factor.html"
    page_title = "两步验证"
    header_icon = "key"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CodeForm()))

    def post(self, request, *args, **kwargs):
        user = request.user
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        code = form.cleaned_data["otp_token"]
        if not two_factor.has_two_factor(user):
            done, problem = two_factor.confirm_phone(
                user, two_factor.pending_phone(user), code, request=request
            )
            if done is None:
                form.add_error("otp_token", problem)
                return self.render_to_response(self.get_context_data(form=form))
            device, codes = done
            verified(request, device)
            return self.render_to_response(self.get_context_data(recovery_codes=codes))
        if not request.user.is_verified():
            device, problem = two_factor.check(user, code, request=request)
            if device is None:
                form.add_error("otp_token", problem)
                return self.render_to_response(self.get_context_data(form=form))
            verified(request, device)
            return redirect("wagtailadmin_home")
        # Verified already: a current code from the phone makes new recovery codes.
        device, problem = two_factor.check(user, code, request=request)
        if device is None:
            form.add_error("otp_token", problem)
            return self.render_to_response(self.get_context_data(form=form))
        codes = two_factor.new_recovery_codes(user)
        return self.render_to_response(self.get_context_data(recovery_codes=codes))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        phone = two_factor.confirmed_phone(user)
        context.update(
            required=two_factor.required(),
            enrolled=phone is not None,
            is_verified=user.is_verified(),
            codes_left=two_factor.recovery_codes_left(user),
            issuer=two_factor.issuer(),
            account=user.get_username(),
        )
        if phone is None and "recovery_codes" not in context:
            pending = two_factor.pending_phone(user)
            context.update(qr=two_factor.qr_svg(pending), secret=two_factor.secret(pending))
        return context


class TwoFactorResetView(AdminPage, TemplateView):
    template_name = "security/two_factor_reset.html"
    page_title = "重置两步验证"
    header_icon = "key"

    def dispatch(self, request, pk, *args, **kwargs):
        self.account = get_object_or_404(get_user_model(), pk=pk)
        reason = two_factor.reset_refusal(request.user, self.account)
        if reason is not None:
            return refused(reason)
        return super().dispatch(request, pk, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            account=self.account,
            enrolled=two_factor.has_two_factor(self.account),
            edit_url=reverse("wagtailusers_users:edit", args=(self.account.pk,)),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        two_factor.reset(self.account, request=request)
        messages.success(
            request,
            f"已重置用户 {self.account.get_username()} 的两步验证，其下次登录时须重新绑定手机验证器。",
        )
        return redirect("wagtailusers_users:edit", self.account.pk)
