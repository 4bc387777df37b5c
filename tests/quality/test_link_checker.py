"""The external link check (quality/link_checker.py) against a server on this machine: working,
missing and HEAD-refusing pages, redirect loops and chains, slow answers, soft 404s and firewall
pages; addresses inside the network refused without a request; one request at a time per host.
No test reaches outside the machine."""

import socket
import time

import pytest

from quality import link_checker
from quality.link_checker import BROKEN, OK, REFUSED, REVIEW, check, check_many, normalised


def test_a_working_page_is_ok(server):
    result = check(f"{server.base}/ok")
    assert (result.outcome, result.status) == (OK, 200)
    # HEAD first; a web page is then read, to see whether it says it is not there.
    assert [method for method, *_ in server.requests] == ["HEAD", "GET"]


def test_a_file_is_ok_on_head_alone(server):
    assert check(f"{server.base}/file.pdf").outcome == OK
    assert [method for method, *_ in server.requests] == ["HEAD"]


def test_a_missing_page_is_broken(server):
    result = check(f"{server.base}/missing")
    assert (result.outcome, result.status, result.detail) == (BROKEN, 404, "HTTP 404")


def test_a_server_refusing_head_is_asked_with_get(server):
    result = check(f"{server.base}/no-head")
    assert (result.outcome, result.status) == (OK, 200)
    assert [method for method, *_ in server.requests] == ["HEAD", "GET"]


def test_a_redirect_loop_is_broken(server):
    result = check(f"{server.base}/loop-a")
    assert (result.outcome, result.detail) == (BROKEN, "重定向循环")
    assert len(server.requests) == 2


def test_five_redirects_are_followed_and_a_sixth_is_not(server):
    assert check(f"{server.base}/hop/5").outcome == OK
    server.requests.clear()
    result = check(f"{server.base}/hop/6")
    assert (result.outcome, result.detail) == (BROKEN, "重定向超过 5 次")
    assert len(server.requests) == 6


def test_a_redirect_into_the_intranet_is_refused_at_that_hop(server, monkeypatch):
    result = check(f"{server.base}/to-intranet")
    assert result.outcome == REFUSED and "10.1.2.3" in result.detail
    assert [path for _, path, _ in server.requests] == ["/to-intranet"]


def test_a_slow_answer_times_out(server):
    started = time.monotonic()
    result = check(f"{server.base}/slow")
    assert (result.outcome, result.detail) == (BROKEN, "0.5 秒内没有应答")
    assert time.monotonic() - started < 1.4


def test_a_page_saying_it_is_not_there_needs_a_look(server):
    result = check(f"{server.base}/soft-404")
    assert (result.outcome, result.status) == (REVIEW, 200)
    assert "页面不存在" in result.detail


def test_a_firewall_challenge_needs_a_look(server):
    for path in ("/waf", "/waf-200"):
        result = check(f"{server.base}{path}")
        assert result.outcome == REVIEW and "防火墙" in result.detail, path


def test_an_article_mentioning_a_check_is_an_ordinary_page(server):
    assert check(f"{server.base}/news-about-checks").outcome == OK


def test_the_loopback_server_is_refused_unless_allowed_and_never_asked(server, settings):
    settings.LINK_CHECK_ALLOWED_HOSTS = []
    result = check(f"{server.base}/ok")
    assert result.outcome == REFUSED and "127.0.0.1" in result.detail
    assert check(f"http://localhost:{server.server_address[1]}/ok").outcome == REFUSED
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.8/",
        "http://192.168.1.1/login",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "https://[fc00::1]/",
    ],
)
def test_internal_addresses_are_refused_without_a_connection(url, monkeypatch):
    def no_connection(*args, **kwargs):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(link_checker, "pinned_socket", no_connection)
    assert check(url).outcome == REFUSED


def test_a_name_resolving_to_an_internal_address_is_refused(server, monkeypatch):
    real = socket.getaddrinfo
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, *args, **kwargs: (
            real("127.0.0.1", *args, **kwargs)
            if host == "intranet.example.cn"
            else real(host, *args, **kwargs)
        ),
    )
    port = server.server_address[1]
    assert check(f"http://intranet.example.cn:{port}/ok").outcome == REFUSED
    assert server.requests == []


def test_the_request_goes_to_the_address_checked_naming_the_host(server, settings, monkeypatch):
    """Resolved once: a name cannot answer the check with one address and the connection with
    another."""
    settings.LINK_CHECK_ALLOWED_HOSTS = ["intranet.example.cn"]
    real, lookups = socket.getaddrinfo, []

    def resolve_once(host, *args, **kwargs):
        lookups.append(host)
        if len(lookups) > 1:
            return real("10.9.9.9", *args, **kwargs)
        return real("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve_once)
    port = server.server_address[1]
    assert check(f"http://intranet.example.cn:{port}/file.pdf").outcome == OK
    assert lookups == ["intranet.example.cn"]
    assert server.requests == [("HEAD", "/file.pdf", f"intranet.example.cn:{port}")]


def test_chinese_hosts_and_paths_are_encoded():
    url = normalised("http://中国政府网.政务/政策 文件/?q=通知")
    assert url.startswith("http://xn--")
    assert ".xn--" in url
    assert "/%E6%94%BF%E7%AD%96%20%E6%96%87%E4%BB%B6/?q=%E9%80%9A%E7%9F%A5" in url


def test_addresses_that_are_not_web_pages_are_refused():
    assert check("mailto:dangban@example.cn").outcome == REFUSED
    assert check("javascript:alert(1)").outcome == REFUSED
    assert check("http://example.cn:99999/").detail == "地址格式不正确"
    assert check("http://[::1/").outcome == REFUSED


def test_one_request_at_a_time_per_host_with_a_pause(server):
    urls = [f"{server.base}/polite/{number}" for number in range(4)]
    started = time.monotonic()
    results = check_many(urls, pause=0.2, workers=4)
    assert {result.outcome for result in results.values()} == {OK}
    assert server.most_at_once == 1
    assert time.monotonic() - started >= 3 * 0.2 + 4 * 0.1


def test_an_unknown_name_is_broken(monkeypatch):
    def unknown(*args, **kwargs):
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    result = check("http://no-such-host.example.cn/")
    assert (result.outcome, result.detail) == (BROKEN, "域名无法解析")
    assert link_checker.OUTCOMES[result.outcome] == "失效"
