"""Error pages (400, 403, CSRF failure, 500) in Chinese, rendered without asking the database,
which may be the thing that failed; the footer's contact card comes from the cache."""

import logging

from django.core.cache import cache
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

PLAIN_500 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务器暂时出错</title></head>'
    "<body><h1>抱歉,服务器暂时出错</h1><p>请稍后刷新页面重试。</p></body></html>"
)
PLAIN_400 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求有误</title></head>'
    "<body><h1>抱歉,无法处理这个请求</h1></body></html>"
)
PLAIN_403 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问</title></head>'
    "<body><h1>抱歉,您无权进行此操作</h1></body></html>"
)


def render_error(template, response_class, plain, **context):
    from contact.live import LAST_CARD_KEY

    try:
        context["contact"] = cache.get(LAST_CARD_KEY) or None
    except Exception:
        context["contact"] = None  # the cache may be down too
    try:
        html = loader.render_to_string(template, context)
    except Exception:
        logger.exception("The error page %s could not be rendered", template)
        html = plain
    return response_class(html)


def server_error(request, *args, **kwargs):
    return render_error("500.html", HttpResponseServerError, PLAIN_500)


def bad_request(request, exception=None, *args, **kwargs):
    return render_error("400.html", HttpResponseBadRequest, PLAIN_400)


def permission_denied(request, exception=None, *args, **kwargs):
    return render_error("403.html", HttpResponseForbidden, PLAIN_403)


def csrf_failure(request, reason=""):
    """A form sent without its security token (an old tab, cookies off, or a forged request)."""
    return render_error(
        "403.html",
        HttpResponseForbidden,
        PLAIN_403,
        reason="表单已过期或缺少安全验证信息,请返回上一页刷新后重新提交。",
    )
