"""The content quality tests' fixtures: a second site, and a checker whose words each test sets
(tests/quality/gate_checker.py)."""

import pytest
from wagtail.models import Page, Site

from news.models import HomePage
from news.sitetree import add_published

# The 互动交流 staff and their unit, for the check of replies.
from tests.interaction.conftest import handler, receiver, unit  # noqa: F401
from tests.quality import gate_checker


@pytest.fixture
def other_site(site):
    root = Page.objects.get(depth=1)
    home = add_published(root, HomePage(title="区委党建网", slug="district"))
    return Site.objects.create(hostname="district.example.cn", root_page=home)


@pytest.fixture
def words(settings):
    """set_words(banned=[...], standard={wrong: right}, typo={wrong: right}), with the test
    checker named as the site's."""
    settings.CONTENT_CHECKER = gate_checker.PATH
    gate_checker.set_words()
    yield gate_checker.set_words
    gate_checker.set_words()
