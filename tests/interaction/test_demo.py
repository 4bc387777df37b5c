"""The demo site's 互动交流: answered messages on the public list, one waiting, one rejected and a
纠错, each with the history the workflow writes; loading twice adds nothing."""

import pytest

from interaction.demo_messages import load_demo_interaction
from interaction.models import Kind, Message, Status

pytestmark = pytest.mark.django_db


def test_the_demo_has_public_replies_an_open_message_a_rejection_and_a_correction(
    site, column, reader
):
    from tests.factories import ArticlePageFactory

    ArticlePageFactory(parent=column, title="示例文章")
    load_demo_interaction(site)
    load_demo_interaction(site)
    assert Message.objects.published().count() == 3
    assert Message.objects.filter(status=Status.RECEIVED, kind=Kind.MESSAGE).count() == 1
    assert Message.objects.filter(status=Status.REJECTED).count() == 1
    correction = Message.objects.get(kind=Kind.CORRECTION)
    assert correction.page_url.endswith("/") and correction.channel is None
    assert all(message.steps.exists() for message in Message.objects.all())
    channel = Message.objects.published().first().channel
    assert "流动党员如何参加组织生活" in reader.get(channel.url).content.decode()
