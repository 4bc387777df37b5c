"""The 500 page: rendered without asking the database, which may be the thing that failed."""

import logging

from django.core.cache import cache
from django.http import HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

PLAIN_500 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务器暂时出错</title></head>'
    "<body><h1>抱歉,服务器暂时出错</h1><p>请稍后刷新页面重试。</p></body></html>"
)


def server_error(request, *args, **kwargs):
    from contact.live import LAST_CARD_KEY

    try:
        contact = cache.get(LAST_CARD_KEY) or None
    except Exception:
        contact = None  # the cache may be down too
    try:
        html = loader.render_to_string("500.html", {"contact": contact})
    except Exception:
        logger.exception("The 500 page could not be rendered")
        html = PLAIN_500
    return HttpResponseServerError(html)
