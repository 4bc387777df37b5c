"""The 互动交流 tests' site: its first channel, a handling unit with one member, the staff of
each role, a second site with a receiver tied to the first, and messages sent as the public form
sends them (interaction/workflow.py); and for the browser journeys, a live site whose staff sign
in with their phones."""

import datetime
from base64 import b32encode
from contextlib import contextmanager
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import GroupPagePermission, Page, Site

from core.beijing_time import BEIJING
from interaction import workflow
from interaction.channels import ensure_channel
from interaction.message_roles import HANDLERS, RECEIVERS
from interaction.models import ChannelPage, HandlingUnit, Kind
from news.models import HomePage
from news.roles import REVIEWERS
from news.sitetree import add_published, ensure_site_tree
from security.two_factor import PHONE
from stack.authenticator import Authenticator
from tests.admin_browser import PASSWORD, Staff
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


@pytest.fixture
def staff_site(live_server, django_user_model, browser, settings):
    """For the browser journeys: a live site with the unit 组织部 and one member of staff of each
    role (shouli 受理, banli 办理 in 组织部, shenhe 审核), each with a phone enrolled, and the
    two-factor sign-in required as in production. (address, {username: authenticator})."""
    settings.ADMIN_2FA_REQUIRED = True
    site = ensure_site_tree()
    unit_group = Group.objects.create(name="组织部办理组")
    HandlingUnit.objects.create(site=site, name="组织部", group=unit_group)
    phones = {}
    for username, name, groups in [
        ("shouli", "赵受理", [RECEIVERS]),
        ("banli", "钱办理", [HANDLERS, unit_group.name]),
        ("shenhe", "李审核", [REVIEWERS]),
    ]:
        user = django_user_model.objects.create_user(username, password=PASSWORD, first_name=name)
        user.groups.add(*Group.objects.filter(name__in=groups))
        device = TOTPDevice.objects.create(user=user, name=PHONE, confirmed=True)
        phones[username] = Authenticator(b32encode(device.bin_key).decode())
    yield live_server.url, phones
    for context in browser.contexts:
        context.close()


def sign_in(browser, staff_site, username):
    """One of staff_site's staff, signed in with a code from their phone."""
    url, phones = staff_site
    return Staff(browser, url, username, code=phones[username].fresh_code())


@contextmanager
def clock(when):
    """The site's clock stopped at `when` (deadlines, reminders and the daily job read it)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def at(day, hour=10):
    """`day` at `hour` o'clock, Beijing time."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BEIJING)
