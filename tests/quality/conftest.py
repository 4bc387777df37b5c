"""The content quality tests' second site."""

import pytest
from wagtail.models import Page, Site

from news.models import HomePage
from news.sitetree import add_published


@pytest.fixture
def other_site(site):
    root = Page.objects.get(depth=1)
    home = add_published(root, HomePage(title="区委党建网", slug="district"))
    return Site.objects.create(hostname="district.example.cn", root_page=home)
