"""Every worker of every instance sees a change on its next request, and a reader is counted once
whichever worker answers: the production stack with three gunicorn workers and no Redis (SQLite,
and PostgreSQL), with Redis, and two instances sharing PostgreSQL and Redis behind Debian's nginx
with deploy/nginx.conf (its ports, certificate and folders changed, nothing else).

Each change is made as staff make it (the admin over HTTP, or the command line); then the pages
are asked for 30 times, through every worker, and every answer must show the change. And the
workers, forked from a master that loaded the site, publish a scheduled article by themselves."""

import html
import json
import re
import shutil
import uuid
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stack.nginx import Nginx
from stack.raw_http import CHROME_UA, TOOL_UA, AdminSession
from stack.services import PrivateRedis, create_database, drop_database, postgres_answers, wait_for
from stack.site import (
    ADMIN_PASSWORD,
    Gunicorn,
    manage,
    prepared_postgres_site,
    prepared_sqlite_site,
)
from tests.samples import VALID

# Its stacks run on databases of their own, SQLite and PostgreSQL alike, whatever DATABASE_URL says.
pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 3
REQUESTS = 30


# Forms as the browser sends them ---------------------------------------------------------------


class EditForm(HTMLParser):
    """The fields of a page's edit form (the one marked data-edit-form), with the values the
    browser would send: inputs, checked boxes, selected options, text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.action, self._inside, self._textarea, self._select = (
            {},
            None,
            False,
            None,
            None,
        )

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "data-edit-form" in attrs:
            self._inside, self.action = True, attrs.get("action")
        if not self._inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file"}:
                self.fields.setdefault(attrs["name"], []).append(
                    attrs.get("value", "on" if kind == "checkbox" else "")
                )
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields.setdefault(self._textarea, []).append("")
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.setdefault(self._select, []).append(attrs.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._inside:
            self._inside = False


def edit_form(session, path):
    answer = session.get(path)
    assert answer.status == 200, (path, answer.status)
    form = EditForm()
    form.feed(answer.text)
    assert form.fields, f"no edit form at {path}"
    return form.action or path, form.fields


def submit(session, path, changes, action="action-publish"):
    """Fill in the edit form at `path` as a person would, and press its button."""
    url, fields = edit_form(session, path)
    fields.update({name: [value] for name, value in changes.items()})
    if action:
        fields[action] = [action]
    answer = session.post_form(url, fields)
    assert answer.status == 302, (url, answer.status, answer.text[:2000])
    return answer


# The stacks ------------------------------------------------------------------------------------


def admin_session(stack):
    return AdminSession(stack, ADMIN_PASSWORD)


def look(stack, path):
    return stack.request("GET", path, headers={"User-Agent": TOOL_UA})


def first_article(stack):
    found = re.search(r'href="(/news/\d{4}/\d{4}/(\d+)/)"', look(stack, "/news/").text)
    return found.group(1), int(found.group(2))


def every_answer(front, path, check, count=REQUESTS):
    """`count` answers for `path`; the ones that fail `check`, with their status."""
    failures = []
    for _ in range(count):
        answer = front.look(path)
        if not check(answer):
            failures.append(answer.status)
    return failures


def shown_count(front, path):
    """The 点击数 a reader sees on the article."""
    return front.shown_count(path)


class Direct:
    """Requests straight to one instance's gunicorn."""

    def __init__(self, stack):
        self.stacks = [stack]
        self.stack = stack

    def look(self, path, **headers):
        return self.stack.request("GET", path, headers={"User-Agent": TOOL_UA, **headers})

    def read(self, path, user_agent=CHROME_UA):
        """A reader's visit: the page, as their browser asks for it."""
        return self.stack.request("GET", path, headers={"User-Agent": user_agent})

    def shown_count(self, path):
        return int(re.search(r"<span data-hit-count>(\d+)</span>", self.look(path).text).group(1))


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("every-process-sqlite")
    return prepared_sqlite_site(folder, SCHEDULER_ENABLED=0), folder


@pytest.fixture(scope="module")
def postgres_database():
    if not postgres_answers():
        pytest.skip("PostgreSQL is not answering on 127.0.0.1:5432")
    name = f"sitecms_every_process_{uuid.uuid4().hex[:8]}"
    yield create_database(name)
    drop_database(name)


@pytest.fixture(scope="module")
def postgres_site(postgres_database, tmp_path_factory):
    folder = tmp_path_factory.mktemp("every-process-postgres")
    return prepared_postgres_site(postgres_database, folder, SCHEDULER_ENABLED=0), folder


@pytest.fixture(scope="module")
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server")
    server = PrivateRedis()
    yield server
    server.close()


# The changes -----------------------------------------------------------------------------------


def changes(front, session, environment, folder):
    """(what, how to make it, path, check) for each change staff make, in an order in which each
    one's effect can be told apart from the last's."""
    article, article_id = first_article(front.stacks[0])
    # A column's title is in the menu of every page. (An article's body is a StreamField, whose
    # inputs only exist once the admin's script has drawn them.)
    editing = session.get(f"/admin/pages/{article_id}/edit/").text
    column_id = [
        n for n in re.findall(r'href="/admin/pages/(\d+)/"', editing) if n != str(article_id)
    ][-1]
    marker = uuid.uuid4().hex[:6]
    title = f"新栏目名{marker}"
    phone = f"0599-{marker[:3].translate(str.maketrans('abcdef', '123456'))}8888"
    copyright_line = f"版权所有 © 测试{marker}"
    import_file = folder / f"import-{marker}.txt"
    imported_title = f"命令行导入的文章{marker}"
    imported_phone = "0599-6666555"
    import_file.write_text(
        VALID.replace("测试导入的文章标题", imported_title).replace("0599-7654321", imported_phone),
        encoding="utf-8",
    )
    contact_pk = re.search(
        r"/admin/snippets/contact/contactdetails/edit/(\d+)/",
        session.get("/admin/snippets/contact/contactdetails/").text,
    ).group(1)

    def publish_title():
        submit(session, f"/admin/pages/{column_id}/edit/", {"title": title})

    def import_with_contact():
        manage(environment, "import_articles", str(import_file), "--parent", "/news/", "--contact")

    def publish_contact():
        submit(
            session,
            f"/admin/snippets/contact/contactdetails/edit/{contact_pk}/",
            {"phones-0-number": phone},
        )

    def change_footer_settings():
        submit(
            session,
            "/admin/settings/contact/footersettings/1/",
            {"copyright": copyright_line},
            action=None,
        )

    def replace_picture():
        # A picture of the home page's 图片新闻, given a new file in the image library.
        shown = re.search(r"/media/images/demo-(\d+)\.", look(front.stacks[0], "/").text)
        image_id = next(
            image_id
            for image_id in re.findall(
                r'href="/admin/images/(\d+)/\?', session.get("/admin/images/").text
            )
            if f'value="示例图片 {shown.group(1)}"'
            in session.get(f"/admin/images/{image_id}/").text
        )
        answer = session.upload(
            f"/admin/images/{image_id}/",
            {"title": f"示例图片 {shown.group(1)}"},
            f"replaced-{marker}.jpg",
            new_picture(),
            "image/jpeg",
        )
        assert answer.status == 302, answer.text[:2000]

    def revert_title():
        # Another title is published, and the one before it restored from 历史.
        submit(session, f"/admin/pages/{column_id}/edit/", {"title": f"临时栏目名{marker}"})
        history = session.get(f"/admin/pages/{column_id}/history/").text
        pattern = rf"/admin/pages/{column_id}/revisions/(\d+)/revert/"
        previous = max(map(int, re.findall(pattern, history)))
        submit(session, f"/admin/pages/{column_id}/revisions/{previous}/revert/", {})

    def restrict():
        answer = session.post_form(
            f"/admin/pages/{article_id}/privacy/", {"restriction_type": "login"}
        )
        assert answer.status == 200, answer.text[:500]

    def unpublish():
        answer = session.post_form(f"/admin/pages/{article_id}/unpublish/", {})
        assert answer.status == 302, answer.text[:500]

    return [
        ("a publish through the admin", publish_title, article, lambda a: title in a.text),
        (
            "an import with --contact",
            import_with_contact,
            "/news/",
            lambda a: imported_title in a.text and imported_phone in a.text,
        ),
        ("a contact publish", publish_contact, "/", lambda a: phone in a.text),
        (
            "a footer-settings change",
            change_footer_settings,
            "/contact/",
            lambda a: html.escape(copyright_line) in a.text or copyright_line in a.text,
        ),
        (
            "a picture replaced in the library",
            replace_picture,
            "/",
            lambda a: f"/media/images/replaced-{marker}." in a.text,
        ),
        (
            "a revert",
            revert_title,
            article,
            lambda a: title in a.text and f"临时栏目名{marker}" not in a.text,
        ),
        (
            "a view restriction",
            restrict,
            article,
            lambda a: a.status == 302 and "login" in a.headers.get("location", ""),
        ),
        ("an unpublish", unpublish, "/news/", lambda a: f"/{article_id}/" not in a.text),
    ]


def new_picture():
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (1200, 675), (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def assert_every_process_sees_every_change(front, environment, folder, within=0.0):
    session = admin_session(front.stacks[0])
    for what, make, path, check in changes(front, session, environment, folder):
        every_answer(front, path, lambda answer: True)  # every worker has the page in memory
        make()
        if within:
            wait_for(
                lambda path=path, check=check: not every_answer(front, path, check, count=3),
                seconds=within,
            )
        failures = every_answer(front, path, check)
        assert not failures, f"after {what}: {len(failures)} of {REQUESTS} stale answers {failures}"


def assert_readers_counted_once_each(front, read):
    article, _ = first_article(front.stacks[0])
    before = shown_count(front, article)
    for _ in range(REQUESTS):
        read(article, CHROME_UA)
    assert shown_count(front, article) == before + 1
    for number in range(REQUESTS):
        read(article, f"{CHROME_UA} reader/{number}")
    assert shown_count(front, article) == before + 1 + REQUESTS


# The tests -------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_cache", ["off", "django"])
def test_three_workers_on_sqlite_see_every_change_and_count_each_reader_once(
    sqlite_site, page_cache, tmp_path
):
    environment, folder = sqlite_site
    stack = Gunicorn({**environment, "PAGE_CACHE": page_cache}, tmp_path / "gunicorn.log", WORKERS)
    try:
        front = Direct(stack)
        assert_readers_counted_once_each(front, front.read)
        assert_every_process_sees_every_change(front, environment, folder)
    finally:
        stack.close()


@pytest.mark.parametrize("with_redis", [False, True])
def test_three_workers_on_postgresql_see_every_change_and_count_each_reader_once(
    postgres_site, with_redis, request, tmp_path
):
    environment, folder = postgres_site
    environment = {**environment, "PAGE_CACHE": "django"}
    if with_redis:
        environment["REDIS_URL"] = request.getfixturevalue("redis_server").url
    stack = Gunicorn(environment, tmp_path / "gunicorn.log", WORKERS)
    try:
        front = Direct(stack)
        assert_readers_counted_once_each(front, front.read)
        assert_every_process_sees_every_change(front, environment, folder)
    finally:
        stack.close()


# Two instances behind nginx ---------------------------------------------------------------------


class FrontNginx(Nginx):
    """nginx in front of the instances, seen as the every-process checks look and read."""

    def look(self, path):
        return self.request("GET", path, headers={"User-Agent": TOOL_UA})

    def shown_count(self, path):
        """What the page shows once its script has asked the beacon (the cached page may be a
        second old; the beacon's answer is current)."""
        page_id = re.search(r'data-hit-url="/hits/(\d+)/"', self.look(path).text).group(1)
        answer = self.request("POST", f"/hits/{page_id}/", headers={"User-Agent": TOOL_UA})
        return json.loads(answer.text)["count"]

    def read(self, path, user_agent):
        """A reader's visit: the page from the cache in front, then its beacon, as its script
        sends it (in cdn mode the beacon counts the view)."""
        page = self.request("GET", path, headers={"User-Agent": user_agent})
        page_id = re.search(r'data-hit-url="/hits/(\d+)/"', page.text).group(1)
        self.request("POST", f"/hits/{page_id}/", headers={"User-Agent": user_agent})


@pytest.mark.skipif(
    not shutil.which("nginx"), reason="needs Debian's nginx (apt-get install nginx-light)"
)
def test_two_instances_behind_nginx_see_every_change_within_the_cache_interval(
    postgres_site, redis_server, tmp_path
):
    environment, folder = postgres_site
    environment = {
        **environment,
        "PAGE_CACHE": "cdn",
        "PAGE_CACHE_SECONDS": "1",
        "REDIS_URL": redis_server.url,
        "HITCOUNT_TRUSTED_PROXIES": "1",
        "ALLOWED_HOSTS": "example.cn,127.0.0.1,localhost",
    }
    # The static files nginx serves were collected when the site was prepared.
    stacks = [
        Gunicorn(environment, tmp_path / f"gunicorn-{n}.log", WORKERS, wait=False) for n in (1, 2)
    ]
    for stack in stacks:
        stack.wait_until_answering()
    nginx = FrontNginx(tmp_path, stacks, media_root=folder / "media")
    try:
        article, _ = first_article(stacks[0])
        # nginx keeps the page for its interval and the origin is asked about once per interval.
        first, again = nginx.look(article), nginx.look(article)
        assert first.status == again.status == 200
        assert nginx.cache_statuses(article, 2) == ["MISS", "HIT"]
        assert "server" not in again.headers or "nginx/" not in again.headers["server"]
        assert_readers_counted_once_each(nginx, nginx.read)
        assert_every_process_sees_every_change(nginx, environment, folder, within=3)
    finally:
        nginx.close()
        for stack in stacks:
            stack.close()


# Scheduled publishing in the forked workers ----------------------------------------------------

# Far enough ahead that the article is still unpublished when the test first asks for it, on a
# machine busy with other tests (two seconds was overrun once: the shell and the first request
# took longer on a loaded CI machine).
SCHEDULE_IN_SIX_SECONDS = """
from datetime import timedelta
from django.utils import timezone
from news.models import ArticlePage
page = ArticlePage.objects.live().originals().filter(title="{title}").get()
page.unpublish()
page.go_live_at = timezone.now() + timedelta(seconds=6)
page.save_revision().publish()
page.refresh_from_db()
assert not page.live
"""


def test_forked_workers_publish_a_scheduled_article_by_themselves(sqlite_site, tmp_path):
    """gunicorn loads the site once and forks its workers (preload_app); the publishing
    scheduler's thread cannot come with the fork, so each worker starts its own, and a scheduled
    article goes live when its time comes, with no one publishing it."""
    environment, _folder = sqlite_site
    environment = {**environment, "SCHEDULER_ENABLED": "1", "SCHEDULER_INTERVAL": "0.5"}
    stack = Gunicorn(environment, tmp_path / "gunicorn.log", WORKERS)
    try:
        front = Direct(stack)
        article, _ = first_article(stack)
        title = html.unescape(re.search(r"<h1[^>]*>(.*?)</h1>", look(stack, article).text).group(1))
        manage(
            environment, "shell", "--no-imports", "-c", SCHEDULE_IN_SIX_SECONDS.format(title=title)
        )
        assert front.look(article).status == 404
        assert wait_for(lambda: front.look(article).status == 200, seconds=30), stack.log()
        # The master holds none of the site's connections: the workers opened their own.
        database = environment["DATABASE_URL"].removeprefix("sqlite:///")
        master_files = [path.resolve() for path in Path(f"/proc/{stack.process.pid}/fd").iterdir()]
        assert Path(database).resolve() not in master_files
    finally:
        stack.close()
