"""The role 内容安全管理, and the reviewers' share of the quality reports, hold every permission
quality/safety_roles.py names: none left out by a migration or misspelt."""

import pytest
from django.contrib.auth.models import Group

from quality.safety_roles import ROLE_PERMISSIONS, ensure_roles

pytestmark = pytest.mark.django_db


def held(group):
    return set(group.permissions.values_list("content_type__app_label", "codename"))


@pytest.mark.parametrize("name", list(ROLE_PERMISSIONS))
def test_the_migrated_role_holds_every_permission_it_names(name):
    assert set(ROLE_PERMISSIONS[name]) <= held(Group.objects.get(name=name))


def test_setting_up_again_grants_the_same(site):
    Group.objects.filter(name__in=ROLE_PERMISSIONS).delete()
    ensure_roles()
    for name, permissions in ROLE_PERMISSIONS.items():
        assert set(permissions) <= held(Group.objects.get(name=name))
