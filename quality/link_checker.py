"""Whether an external address a page links to still leads somewhere, asked as a reader's
browser would ask it, without letting an address an editor typed reach inside the
organisation's own network.

One address is checked with HEAD, then with GET when the server refuses HEAD (many government
servers answer 405, 403 or 501 to it) or when the answer is a web page whose words must be read:
a page that says "页面不存在" with a 200 is a soft 404, and a firewall's challenge page (安全验证,
cf-chl, _waf …) is neither a working nor a broken link; both are left to a person (需要人工查看).
At most BODY_LIMIT bytes of a page are read. Redirects are followed here, not by a library, at
most MAX_REDIRECTS times, and every hop is checked like the first address.

Every address is resolved before anything is sent, and a host any of whose addresses is private,
loopback, link-local, multicast, reserved or unspecified (IPv4 or IPv6, also written as an
IPv4-mapped IPv6 address) is refused (拒绝检查) without a request. The connection then goes to the
address that was checked, carrying the host's name in the Host header and in TLS's SNI, so a
name cannot resolve to a public address for the check and to a private one for the request.
Intranet hosts an organisation does want checked are named in LINK_CHECK_ALLOWED_HOSTS.

The standard library's http.client is used rather than requests or urllib3 (both installed with
Wagtail): the connection must be opened to an address chosen here, redirects are handled by hand
anyway, and a connection class with its own connect() is the whole of what that takes.

check_many() checks a list of addresses, one request at a time per host with a pause between
(LINK_CHECK_HOST_PAUSE), several hosts at once (LINK_CHECK_WORKERS).
"""

import http.client
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from django.conf import settings

logger = logging.getLogger(__name__)

OK, BROKEN, REVIEW, REFUSED = "ok", "broken", "review", "refused"
OUTCOMES = {OK: "正常", BROKEN: "失效", REVIEW: "需要人工查看", REFUSED: "拒绝检查"}

MAX_REDIRECTS = 5
BODY_LIMIT = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
# What a server that will not answer HEAD says instead, and the answers a challenge page comes
# with: the same address is then asked with GET, whose page can be read.
HEAD_REFUSED = {400, 403, 405, 412, 429, 501, 503}
USER_AGENT = "Mozilla/5.0 (compatible; SiteCMS-LinkCheck/1.0)"
# Characters left as they are when a path or query is percent-encoded: those a URL may hold, and
# the % of an escape already made.
URL_SAFE = "/%:@!$&'()*+,;=-._~?"

# Words of a page that says it is not there while answering 200. "404" counts only in the
# title, where it is not a number in a text.
SOFT_404_TITLE = ("404", "页面不存在", "页面未找到", "找不到", "not found", "已删除", "不存在")
SOFT_404_BODY = (
    "页面不存在",
    "页面未找到",
    "找不到您要",
    "找不到页面",
    "您访问的页面",
    "页面已删除",
    "信息不存在",
    "文章不存在",
    "page not found",
)
# Marks of a web application firewall's challenge or block page (Cloudflare, 阿里云/腾讯云/
# 安全狗/创宇盾 and the like), where a person's browser would pass or be asked to prove itself: the
# technical marks anywhere in the page, the words only in its title or in a page of few words (an
# article may well mention 安全验证).
WAF_CODE_MARKS = ("cf-chl", "challenge-platform", "_waf", "waf_", "__jsl_clearance")
WAF_WORDS = ("安全验证", "人机验证", "滑动验证", "访问验证", "访问被拦截", "just a moment")
SHORT_PAGE = 2000
TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Result:
    outcome: str
    status: int | None
    detail: str

    @property
    def outcome_name(self):
        return OUTCOMES[self.outcome]


class Refused(Exception):
    """The address may not be fetched; the message says why, in Chinese."""


class Unreachable(Exception):
    """The host cannot be reached; the message says why, in Chinese."""


def timeout():
    return float(settings.LINK_CHECK_TIMEOUT)


def allowed_hosts():
    return {host.lower().rstrip(".") for host in settings.LINK_CHECK_ALLOWED_HOSTS}


def ascii_host(host):
    """The host as DNS and the Host header know it: IDN labels (中文.政务) in punycode."""
    host = host.rstrip(".")
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise Refused("域名无效") from error


def normalised(url):
    """The address with an ASCII host and percent-encoded path and query (中文 paths)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:  # a port out of range, a broken [IPv6] host
        raise Refused("地址格式不正确") from error
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Refused("不是网页地址")
    host = ascii_host(parts.hostname)
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port}" if port else host
    return urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path or "/", safe=URL_SAFE),
            quote(parts.query, safe=URL_SAFE),
            "",
        )
    )


def is_public(address):
    address = ipaddress.ip_address(address.split("%")[0])
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address written as IPv6 (::ffff:127.0.0.1, or 6to4 and Teredo tunnels) is
        # judged as the IPv4 address it reaches.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and not is_public(str(embedded)):
            return False
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def checked_address(host, port):
    """(family, socket address) to connect to for `host`: its first, when every address it
    resolves to is a public one (or the host is allowed by name). Raises Refused otherwise."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Unreachable("域名无法解析") from error
    if host not in allowed_hosts():
        refused = [info[4][0] for info in infos if not is_public(info[4][0])]
        if refused:
            raise Refused(f"地址 {refused[0]} 属于内部网络，不予访问")
    family, _, _, _, address = infos[0]
    return family, address


def pinned_socket(address, timeout):
    """A socket connected to the resolved address itself: no second lookup of the name (nor of
    the address, which socket.create_connection would make) between the check and the
    connection."""
    family, address = address
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.settimeout(timeout)
        sock.connect(address)
    except BaseException:
        sock.close()
        raise
    return sock


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name would resolve to now."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = pinned_socket(self.address, self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = pinned_socket(self.address, self.timeout)
        # The certificate is checked against the name, as a browser checks it.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Answer:
    status: int
    location: str
    content_type: str
    body: str


def fetch(method, url, deadline):
    """One request to `url` (normalised), read to at most BODY_LIMIT bytes by `deadline`."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    address = checked_address(parts.hostname, port)
    connection_class = PinnedHTTPSConnection if https else PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout())
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            method,
            target,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9",
            },
        )
        response = connection.getresponse()
        body = b""
        if method == "GET":
            # A server that trickles its page is cut off at the deadline, not read for ever.
            while len(body) < BODY_LIMIT and time.monotonic() < deadline:
                chunk = response.read1(BODY_LIMIT - len(body))
                if not chunk:
                    break
                body += chunk
        content_type = response.getheader("Content-Type", "")
        return Answer(
            response.status,
            response.getheader("Location", ""),
            content_type,
            decode(body, content_type),
        )
    finally:
        connection.close()


def decode(body, content_type):
    charset = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    for encoding in (charset.group(1) if charset else "utf-8", "gb18030"):
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return body.decode("utf-8", "replace")


def title_and_words(answer):
    title = TITLE.search(answer.body)
    title = title.group(1).strip().lower() if title else ""
    return title, " ".join(TAGS.sub(" ", answer.body.lower()).split())


def is_challenge(answer):
    if any(mark in answer.body.lower() for mark in WAF_CODE_MARKS):
        return True
    title, words = title_and_words(answer)
    if len(words) > SHORT_PAGE:
        words = ""
    return any(word in title or word in words for word in WAF_WORDS)


def is_soft_404(answer):
    title, words = title_and_words(answer)
    return any(mark in title for mark in SOFT_404_TITLE) or any(
        mark in words for mark in SOFT_404_BODY
    )


CHALLENGE = "疑似防火墙验证页面，请人工打开查看"
SOFT_404 = "页面可以打开，但内容像是“页面不存在”，请人工查看"


def check(url):
    """The Result for one address: 正常, 失效, 需要人工查看 or 拒绝检查."""
    try:
        url = normalised(url)
    except Refused as error:
        return Result(REFUSED, None, str(error))
    seen = {url}
    method = "HEAD"
    deadline = time.monotonic() + timeout() * 2 * (MAX_REDIRECTS + 1)
    while True:
        try:
            answer = fetch(method, url, deadline)
        except Refused as error:
            return Result(REFUSED, None, str(error))
        except TimeoutError:
            return Result(BROKEN, None, f"{timeout():g} 秒内没有应答")
        except ssl.SSLCertVerificationError:
            return Result(REVIEW, None, "网站证书无效，浏览器会提示不安全")
        except Unreachable as error:
            return Result(BROKEN, None, str(error))
        except ConnectionRefusedError:
            return Result(BROKEN, None, "网站拒绝连接")
        except (OSError, http.client.HTTPException) as error:
            return Result(BROKEN, None, f"无法连接（{type(error).__name__}）")
        if method == "HEAD" and answer.status in HEAD_REFUSED:
            method = "GET"
            continue
        if answer.status in REDIRECTS and answer.location:
            try:
                url = normalised(urljoin(url, answer.location))
            except Refused as error:
                return Result(REFUSED, answer.status, f"重定向目标{error}")
            if url in seen:
                return Result(BROKEN, answer.status, "重定向循环")
            if len(seen) > MAX_REDIRECTS:
                return Result(BROKEN, answer.status, f"重定向超过 {MAX_REDIRECTS} 次")
            seen.add(url)
            method = "HEAD"
            continue
        if 200 <= answer.status < 300:
            if method == "HEAD" and answer.content_type.startswith("text/html"):
                method = "GET"  # a web page's words say whether it is a soft 404
                continue
            if is_challenge(answer):
                return Result(REVIEW, answer.status, CHALLENGE)
            if is_soft_404(answer):
                return Result(REVIEW, answer.status, SOFT_404)
            return Result(OK, answer.status, "")
        if is_challenge(answer):
            return Result(REVIEW, answer.status, CHALLENGE)
        if answer.status == 429:
            return Result(REVIEW, answer.status, "网站限制了访问频率，请稍后再查")
        return Result(BROKEN, answer.status, f"HTTP {answer.status}")


def host_of(url):
    try:
        return ascii_host(urlsplit(url.strip()).hostname or "")
    except Refused:
        return ""


def check_many(urls, pause=None, workers=None):
    """{url: Result} for every address: one request at a time per host, `pause` seconds between
    two of the same host, several hosts at once."""
    pause = settings.LINK_CHECK_HOST_PAUSE if pause is None else pause
    workers = settings.LINK_CHECK_WORKERS if workers is None else workers
    by_host = defaultdict(list)
    for url in urls:
        by_host[host_of(url)].append(url)
    results = {}
    lock = threading.Lock()

    def check_host(host_urls):
        for number, url in enumerate(host_urls):
            if number:
                time.sleep(pause)
            try:
                result = check(url)
            except Exception:
                # One address's surprise is that address's, not the run's.
                logger.exception("Checking %s failed", url)
                result = Result(REVIEW, None, "检查时出错，请人工查看")
            with lock:
                results[url] = result

    with ThreadPoolExecutor(max(1, workers)) as pool:
        list(pool.map(check_host, by_host.values()))
    return results
