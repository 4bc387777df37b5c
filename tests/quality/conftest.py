"""The content quality tests' fixtures: a checker whose words each test sets
(tests/quality/gate_checker.py)."""

import pytest

# The 互动交流 staff and their unit, for the check of replies.
from tests.interaction.conftest import handler, receiver, unit  # noqa: F401
from tests.quality import gate_checker


@pytest.fixture
def words(settings):
    """set_words(banned=[...], standard={wrong: right}, typo={wrong: right}), with the test
    checker named as the site's."""
    settings.CONTENT_CHECKER = gate_checker.PATH
    gate_checker.set_words()
    yield gate_checker.set_words
    gate_checker.set_words()
