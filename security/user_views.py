"""Wagtail's account and group views, holding to the three roles (security/administrators.py).

Wagtail 8.0 lets anyone who may change accounts tick "管理员" (is_superuser) on another account,
and so take over everything (wagtail/wagtail#14100). Here only a superuser is offered the box, and
a posted value from anyone else is ignored: the field is not in their form at all. Someone who is
not a superuser cannot open a superuser's account or another 安全管理员's, change their own
groups, grant 安全管理员, put one account into two of the three roles, or change what the three
roles may do. The bulk actions on the account list keep to the same rules
(security/wagtail_hooks.py). The edit page offers the 安全管理员 the reset of the account's
two-factor devices (security/two_factor_views.py).
"""

from django import forms
from django.http import HttpResponseForbidden
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.widgets.button import Button
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import groups, users

from core.errors import PLAIN_403, render_error
from core.protected_delete import RefuseProtectedDeleteMixin
from security import two_factor
from security.administrators import (
    grantable_groups,
    may_change_group,
    may_manage_account,
    more_than_one_role,
)

PROTECTED_ACCOUNT = "只有超级管理员可以修改或删除超级管理员和其他安全管理员的账号。"
PROTECTED_GROUP = "只有超级管理员可以修改或删除系统管理员、安全管理员和审计管理员这三个角色。"
ONE_ROLE = "一个账号只能担任系统管理员、安全管理员、审计管理员中的一种角色。"


def refused(reason):
    """The site's 403 page, saying why."""
    return render_error("403.html", HttpResponseForbidden, PLAIN_403, reason=reason)


class AccountRightsMixin:
    """The rights an account form offers the user filling it in (for_user)."""

    def __init__(self, *args, for_user, **kwargs):
        super().__init__(*args, **kwargs)
        if not for_user.is_superuser:
            self.fields.pop("is_superuser", None)
            field = self.fields["groups"]
            if self.instance.pk is not None and self.instance.pk == for_user.pk:
                # Shown, never taken from the post: nobody raises their own rights.
                field.disabled = True
            else:
                field.queryset = grantable_groups(for_user)

    def clean_groups(self):
        chosen = self.cleaned_data["groups"]
        if more_than_one_role(chosen):
            raise forms.ValidationError(ONE_ROLE, code="one_role")
        return chosen


class AccountCreationForm(AccountRightsMixin, UserCreationForm):
    pass


class AccountEditForm(AccountRightsMixin, UserEditForm):
    pass


class WithTheEditor:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "for_user": self.request.user}


class CreateView(WithTheEditor, users.CreateView):
    pass


class EditView(WithTheEditor, users.EditView):
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_account(request.user, self.object):
            return refused(PROTECTED_ACCOUNT)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def header_more_buttons(self):
        """重置两步验证 beside Wagtail's own, for whoever may (security/two_factor_views.py)."""
        buttons = list(super().header_more_buttons)
        if two_factor.reset_refusal(self.request.user, self.object) is None:
            url = reverse("security_two_factor_reset", args=(self.object.pk,))
            buttons.append(Button("重置两步验证", url=url, icon_name="key", priority=30))
        return buttons


class DeleteView(users.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not may_manage_account(request.user, self.get_object()):
            return refused(PROTECTED_ACCOUNT)
        return super().dispatch(request, *args, **kwargs)


class UserViewSet(users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return AccountEditForm if for_update else AccountCreationForm


class GroupEditView(groups.EditView):
    def dispatch(self, request, *args, **kwargs):
        if not may_change_group(request.user, self.get_object()):
            return refused(PROTECTED_GROUP)
        return super().dispatch(request, *args, **kwargs)


class GroupDeleteView(RefuseProtectedDeleteMixin, groups.DeleteView):
    """A group that a 办理单位 (or anything else) still needs is refused in Chinese, not a 500."""

    def dispatch(self, request, *args, **kwargs):
        if not may_change_group(request.user, self.get_object()):
            return refused(PROTECTED_GROUP)
        return super().dispatch(request, *args, **kwargs)


class GroupViewSet(groups.GroupViewSet):
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
