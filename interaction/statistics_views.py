"""The public statistics page of a channel (/hudong/tongji/<channel>/), linked from its page."""

from django.http import Http404
from django.shortcuts import render

from interaction.models import ChannelPage
from interaction.statistics import channel_statistics


def statistics(request, channel_id):
    channel = ChannelPage.objects.live().public().filter(pk=channel_id).first()
    if channel is None:
        raise Http404("没有这个留言渠道")
    return render(
        request,
        "interaction/statistics.html",
        {"page": channel, "channel": channel, "rows": channel_statistics(channel)},
    )
