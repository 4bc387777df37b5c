"""The shortest Chinese error pages, for when even the templates cannot be rendered, and for
gunicorn's answers to requests it cannot parse (gunicorn.conf.py). No Django imports here."""

PLAIN_500 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>服务器暂时出错</title></head>'
    "<body><h1>抱歉，服务器暂时出错</h1><p>请稍后刷新页面重试。</p></body></html>"
)
PLAIN_400 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求有误</title></head>'
    "<body><h1>抱歉，无法处理这个请求</h1></body></html>"
)
PLAIN_503 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>网站正在维护</title></head>'
    "<body><h1>抱歉，网站暂时无法访问</h1><p>请稍后刷新页面重试。</p></body></html>"
)
PLAIN_405 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>不支持的请求方式</title></head>'
    "<body><h1>抱歉，这个网址不支持这种请求方式</h1></body></html>"
)
PLAIN_403 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>无权访问</title></head>'
    "<body><h1>抱歉，您无权进行此操作</h1></body></html>"
)

PLAIN_429 = (
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>访问过于频繁</title></head>'
    "<body><h1>访问过于频繁</h1><p>请稍候一分钟再试。</p></body></html>"
)


def page_for(status):
    """The plain page for an HTTP status, by its class when there is no page of its own."""
    pages = {
        400: PLAIN_400,
        403: PLAIN_403,
        405: PLAIN_405,
        429: PLAIN_429,
        500: PLAIN_500,
        503: PLAIN_503,
    }
    return pages.get(status) or (PLAIN_500 if status >= 500 else PLAIN_400)
