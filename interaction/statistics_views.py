"""The public statistics page of a channel (/hudong/tongji/<channel>/), linked from its page."""

from django.http import Http404
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from wagtail.models import Site

from interaction.models import ChannelPage
from interaction.statistics import channel_statistics


def statistics(request, channel_id):
    site = Site.find_for_request(request)
    channels = ChannelPage.objects.live().public().filter(pk=int(channel_id))
    channel = channels.descendant_of(site.root_page).first() if site is not None else None
    if channel is None:
        raise Http404("没有这个留言渠道")
    response = render(
        request,
        "interaction/statistics.html",
        {"page": channel, "channel": channel, "rows": channel_statistics(channel)},
    )
    # Every message received or answered moves the figures: never kept by a cache.
    add_never_cache_headers(response)
    return response
