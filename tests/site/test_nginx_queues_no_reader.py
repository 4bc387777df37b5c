"""deploy/nginx.conf makes no reader wait in line for a page it may not keep: a few readers at once
are answered through nginx about as fast as by gunicorn directly, measured in the same test (the
machine is shared, so only the ratio means something).

With proxy_cache_lock, every request for a page nginx then found it could not cache waited for
the one before it, in 500 ms polls: with PAGE_CACHE=django an article's p99 went from 129 ms to
1.10 s, and with PAGE_CACHE=cdn a password-protected article was served one request at a time.
The stacks are the production one (gunicorn, production settings, SQLite) behind Debian's nginx.
"""

import re
import shutil

import pytest

from stack.load import readers, taking_turns
from stack.nginx import sqlite_site_behind_nginx
from stack.raw_http import TOOL_UA, AdminSession
from stack.site import ADMIN_PASSWORD

pytestmark = pytest.mark.engine_independent

READERS = 8
SECONDS = 2.0
# The lock's polls alone put a waiting reader 500 ms behind; nginx's own work (TLS, a cache
# lookup) is a few milliseconds, which the small allowance absorbs when gunicorn's p99 is tiny.
RATIO = 2.0
ALLOWANCE = 0.010
# A tool's User-Agent: these readers are not counted, so no count is written while measuring.
LOOK = {"User-Agent": TOOL_UA}


def front(tmp_path_factory, name, **env):
    if not shutil.which("nginx"):
        pytest.skip("needs Debian's nginx (apt-get install nginx-light)")
    return sqlite_site_behind_nginx(tmp_path_factory.mktemp(name), **env)


@pytest.fixture(scope="module")
def django_mode(tmp_path_factory):
    with front(tmp_path_factory, "nginx-django-mode", PAGE_CACHE="django") as nginx:
        yield nginx


@pytest.fixture(scope="module")
def cdn_mode(tmp_path_factory):
    with front(tmp_path_factory, "nginx-cdn-mode", PAGE_CACHE="cdn") as nginx:
        yield nginx


def articles(gunicorn):
    """The addresses and page ids of the articles listed in the first column, newest first."""
    html = gunicorn.request("GET", "/news/", headers=LOOK).text
    return list(dict.fromkeys(re.findall(r'href="(/news/\d{4}/\d{4}/(\d+)/)"', html)))


def through_nginx_and_directly(nginx, path):
    """The same readers for `path`, through nginx and straight to gunicorn, taking turns, once
    every thread of gunicorn has served (and opened its database connection)."""
    gunicorn = nginx.stacks[0]

    def direct_reader():
        return lambda: gunicorn.request("GET", path, headers=LOOK)

    readers(direct_reader, READERS, 0.5)
    loads = taking_turns(
        {"nginx": lambda: nginx.reader(path, headers=LOOK), "gunicorn": direct_reader},
        READERS,
        SECONDS,
    )
    return loads["nginx"], loads["gunicorn"]


def test_a_page_cached_article_is_as_quick_through_nginx_as_from_gunicorn(django_mode):
    path, _ = articles(django_mode.stacks[0])[0]
    assert django_mode.request("GET", path, headers=LOOK).status == 200  # now in the page cache

    fronted, direct = through_nginx_and_directly(django_mode, path)

    assert fronted.statuses == direct.statuses == {200}
    assert fronted.p99 < RATIO * direct.p99 + ALLOWANCE, f"nginx: {fronted}; gunicorn: {direct}"


def test_a_password_protected_article_is_not_served_one_request_at_a_time(cdn_mode):
    gunicorn = cdn_mode.stacks[0]
    (public, _), (protected, page_id) = articles(gunicorn)[:2]
    admin = AdminSession(gunicorn, ADMIN_PASSWORD)
    answer = admin.post_form(
        f"/admin/pages/{page_id}/privacy/",
        {"restriction_type": "password", "password": "kouling-2026"},
    )
    assert answer.status == 200, answer.text[:500]
    form = cdn_mode.request("GET", protected, headers=LOOK)
    assert form.status == 200
    assert 'name="password"' in form.text
    assert "public" not in form.headers.get("cache-control", "")

    fronted, direct = through_nginx_and_directly(cdn_mode, protected)

    assert fronted.statuses == direct.statuses == {200}
    assert fronted.p99 < RATIO * direct.p99 + ALLOWANCE, f"nginx: {fronted}; gunicorn: {direct}"
    # The micro-cache still keeps what the site marks public, and tells only the log.
    cdn_mode.request("GET", public, headers=LOOK)
    again = cdn_mode.request("GET", public, headers=LOOK)
    assert cdn_mode.cache_statuses(public, 2) == ["MISS", "HIT"]
    assert "x-cache-status" not in again.headers
