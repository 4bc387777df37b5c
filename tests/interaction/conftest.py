"""The 互动交流 tests' site: its first channel, a handling unit with one member, the staff of
each role, a second site with a receiver tied to the first, and messages sent as the public form
sends them (interaction/workflow.py)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Site

from interaction import workflow
from interaction.channels import ensure_channel
from interaction.message_roles import HANDLERS, RECEIVERS
from interaction.models import ChannelPage, HandlingUnit, Kind
from news.models import HomePage
from news.sitetree import add_published
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


@pytest.fixture
def tied(site, receiver):
    """The receiver tied to the first site: with two sites, a user acts on the sites whose root
    one of their groups has a page permission on (interaction/staff_access.py)."""
    tie = Group.objects.create(name="本站人员")
    GroupPagePermission.objects.create(
        group=tie, page=site.root_page, permission=Permission.objects.get(codename="change_page")
    )
    receiver.user.groups.add(tie)
    return receiver


@pytest.fixture
def other_site(site):
    root = Page.objects.get(depth=1)
    home = add_published(root, HomePage(title="区委党建网", slug="district"))
    other = Site.objects.create(hostname="district.example.cn", root_page=home)
    ensure_channel(other)
    return other


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
