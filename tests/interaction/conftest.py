"""The 互动交流 tests' site: its first channel, a handling unit with one member, the staff of
each role, and messages sent as the public form sends them (interaction/workflow.py)."""

import pytest
from django.contrib.auth.models import Group

from interaction import workflow
from interaction.message_roles import HANDLERS, RECEIVERS
from interaction.models import ChannelPage, HandlingUnit, Kind
from tests.admin_forms import user_in


@pytest.fixture
def channel(site):
    return ChannelPage.objects.descendant_of(site.root_page).first()


@pytest.fixture
def unit(site):
    group = Group.objects.create(name="组织部办理组")
    return HandlingUnit.objects.create(site=site, name="组织部", group=group)


@pytest.fixture
def receiver(site, django_user_model):
    """A member of 留言受理, signed in (.user)."""
    return user_in(django_user_model, RECEIVERS, "shouli", first_name="赵受理")[1]


@pytest.fixture
def handler(unit, django_user_model):
    """A member of 留言办理 and of the unit's group, signed in (.user)."""
    user, client = user_in(django_user_model, HANDLERS, "banli", first_name="钱办理")
    user.groups.add(unit.group)
    return client


@pytest.fixture
def outsider_handler(site, django_user_model):
    """A member of 留言办理 in no unit's group."""
    return user_in(django_user_model, HANDLERS, "waibu", first_name="孙外部")[1]


def send(site, channel, **fields):
    """A message as the public form sends it; returns (message, 查询码)."""
    values = {
        "category": "question",
        "title": "社区党群服务中心开放时间",
        "content": "请问周末是否开放？",
        "name": "张三",
        "phone": "13800000000",
        "consent_public": True,
        **fields,
    }
    return workflow.receive(
        site=site, channel=channel, kind=Kind.MESSAGE, fields=values, address="203.0.113.9"
    )


@pytest.fixture
def sent(site, channel):
    return send(site, channel)
