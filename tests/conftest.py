import functools
import os
import shutil
import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import caches
from django.test import Client
from wagtail.models import GroupPagePermission, Site

from core import redis as site_redis
from news.models import NewsIndexPage
from news.roles import CONTACT_STAFF, EDITORS, REVIEWERS
from news.sitetree import ensure_site_tree
from security import audit_triggers
from stack import site_cache
from stack.raw_http import CHROME_UA
from stack.services import create_database, drop_database, redis_answers
from stack.site import migrate_from_template, migrated_template
from tests import postgres_copy, sqlite_copy
from tests.admin_forms import user_in
from tests.chromium import CHROMIUM_FLAGS, HEADLESS_SHELL


def pytest_configure(config):
    # The run's parallel processes (started after this, in the first process) begin with a copy
    # of one migrated database (kept between runs, stack/site_cache.py), which this process finds
    # or makes while they start, instead of each migrating its own.
    if hasattr(config, "workerinput"):
        return
    if config.getoption("numprocesses", None):
        from django.db import connection

        config.migrating = threading.Thread(target=migrated_template, args=[connection.vendor])
        config.migrating.start()


# The modules that take longest (browsers, whole stacks, and journeys that wait on the clock, such
# as the idle logout's), longest first by their time alone in one process: handed out first to the
# parallel test processes (make test passes --no-loadscope-reorder, so modules go out in this
# order). The many quick modules then fill in around them and the processes finish together,
# instead of the last to start a long module running on alone with the cores idle. A module that
# mostly waits lets the other processes have the cores meanwhile.
SLOWEST_MODULES = [
    "tests/site/test_every_process_sees_changes.py",
    "tests/site/test_admin_journeys.py",
    "tests/security/test_idle_logout_journey.py",
    "tests/site/test_bench_run.py",
    "tests/site/test_reader_toolbar.py",
    "tests/site/test_faults.py",
    "tests/ops/test_backup.py",
    "tests/news/importing/test_import_on_the_stack.py",
    "tests/site/test_lighthouse.py",
    "tests/site/test_browser.py",
    "tests/site/test_floods.py",
    "tests/quality/test_broken_links.py",
    "tests/site/test_slow_clients.py",
    "tests/site/test_nginx_micro_cache.py",
    "tests/quality/test_words_journey.py",
    "tests/site/test_html_validity.py",
    "tests/security/test_two_factor_journey.py",
    "tests/security/test_two_factor.py",
    "tests/security/test_sessions_on_the_stack.py",
    "tests/interaction/test_message_journey.py",
    "tests/site/test_gunicorn_control_socket.py",
    "tests/interaction/test_public_forms_on_the_stack.py",
    "tests/quality/test_word_journey.py",
    "tests/interaction/test_reader_journey.py",
    "tests/news/hits/test_counting.py",
    "tests/quality/test_freshness.py",
    "tests/news/importing/test_import_jobs.py",
    "tests/ops/test_demo_content.py",
]


def pytest_collection_modifyitems(items):
    rank = {module: number for number, module in enumerate(SLOWEST_MODULES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


def pytest_unconfigure(config):
    if getattr(config, "migrating", None):
        config.migrating.join()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Every tier: the shared cache and each process-memory one (core/generation.py).
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture(autouse=True)
def _one_rate_limit_window(monkeypatch):
    # Limits count in fixed windows of the clock (a minute from :00, core/limits.py); a test's
    # few requests must not straddle a boundary, or a limit would reset halfway through them.
    import time
    from types import SimpleNamespace

    frozen = time.time()
    monkeypatch.setattr("core.limits.time", SimpleNamespace(time=lambda: frozen))


_db_blocker = None
# The test database as django_db_setup left it, on SQLite: a test that commits empties every
# table when it ends, and putting this copy back is some fifty times quicker than building the
# page tree again.
_built_database = None
# Whether this process's SQLite test database began as a kept copy with the page tree built.
_tree_was_kept = False
# On PostgreSQL, every table's rows as django_db_setup left them (tests/postgres_copy.py).
_built_rows = None


@functools.cache
def kept_test_database_key():
    """What a SQLite test database with the page tree built is made from: what a prepared site is
    (stack/site_cache.py: the migrations, the apps' code and settings, the environment variables
    they read, the day), under the test settings."""
    from django.conf import settings

    return site_cache.site_key(dict(os.environ), ["ensure_site_tree", settings.SETTINGS_MODULE])


@pytest.fixture(scope="session")
def django_db_keepdb(django_db_modify_db_settings):
    """Each test process's database starts as a copy of a kept database (stack/site_cache.py):
    on SQLite one with the page tree built if there is one for this code, else the migrated
    database, which Django's test set-up then keeps instead of migrating it again (some ten
    seconds of CPU for each process); it is removed when the run ends."""
    global _tree_was_kept
    from django.db import connection

    settings = connection.settings_dict
    name = settings["TEST"].get("NAME") or f"test_{settings['NAME']}"
    if connection.vendor == "sqlite":
        Path(name).unlink(missing_ok=True)
        built = site_cache.found("test-database", kept_test_database_key())
        if built:
            shutil.copy2(built / "built.sqlite3", name)
            _tree_was_kept = True
        else:
            migrate_from_template(f"sqlite:///{name}")
        yield True
        for suffix in ["", "-wal", "-shm"]:
            Path(name + suffix).unlink(missing_ok=True)
    elif connection.vendor == "postgresql":
        server = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        migrate_from_template(create_database(name, server_url=server))
        yield True
        drop_database(name, server_url=server)
    else:
        yield False


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database with the site's page tree, built once for the code (kept on SQLite):
    each test's rollback leaves it as it was."""
    global _db_blocker, _built_database, _built_rows
    _db_blocker = django_db_blocker
    with django_db_blocker.unblock():
        if not _tree_was_kept:
            ensure_site_tree()
        if sqlite_copy.can_copy():
            _built_database = tmp_path_factory.mktemp("test-database") / "built.sqlite3"
            sqlite_copy.save(_built_database)
            if not _tree_was_kept:
                site_cache.kept(
                    "test-database",
                    kept_test_database_key(),
                    lambda folder: shutil.copy2(_built_database, folder / "built.sqlite3"),
                )
        elif postgres_copy.can_copy():
            _built_rows = postgres_copy.save()


@pytest.fixture(scope="session", autouse=True)
def _flush_after_a_committing_test():
    """A test that commits ends with Django's `flush`, which empties every table; the database
    refuses that for the audit log (security/audit_triggers.py), so its triggers are dropped
    for the flush and made again after it. On PostgreSQL the rows kept when the tree was built
    are put back instead, when they could be kept (tests/postgres_copy.py)."""
    from django.core.management.commands import flush
    from django.db import connections

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options["database"]]
        if _built_rows is not None and connection.alias == "default":
            postgres_copy.put_back(_built_rows)
            return
        audit_triggers.drop(connection)
        try:
            return original(self, **options)
        finally:
            audit_triggers.create(connection)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


def commits(item):
    marker = item.get_closest_marker("django_db")
    return (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A test that commits empties every table when it ends; the database is put back as it was
    built (on PostgreSQL by the flush, above; or the tree built again) for the tests after it,
    which parallel test processes run in any order."""
    result = yield
    if _db_blocker is not None and nextitem is not None and commits(item):
        with _db_blocker.unblock():
            if _built_database is not None:
                sqlite_copy.put_back(_built_database)
            elif _built_rows is None:
                ensure_site_tree()
    return result


@pytest.fixture
def site(db):
    """The default site with its home page, the standard columns and the contact page."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None or not NewsIndexPage.objects.exists():
        # A test that commits (transaction=True) empties every table when it ends.
        site = ensure_site_tree()
    return site


@pytest.fixture
def home(site):
    return site.root_page.specific


@pytest.fixture
def column(home):
    return NewsIndexPage.objects.child_of(home).get(slug="news")


@pytest.fixture
def other_column(home):
    return NewsIndexPage.objects.child_of(home).get(slug="notices")


@pytest.fixture
def image(db):
    """A small real JPEG in the image library."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PillowImage
    from wagtail.images.models import Image

    buffer = io.BytesIO()
    PillowImage.new("RGB", (1200, 800), (166, 27, 27)).save(buffer, "JPEG")
    return Image.objects.create(title="测试图片", file=ImageFile(buffer, name="test.jpg"))


@pytest.fixture
def editor_client(site, django_user_model):
    """A member of 编辑 (editors), signed in."""
    return user_in(django_user_model, EDITORS, "editor", first_name="王编辑")[1]


@pytest.fixture
def reviewer_client(site, django_user_model):
    """A member of 审核 (reviewers), signed in."""
    return user_in(
        django_user_model, REVIEWERS, "reviewer", first_name="李审核", email="reviewer@example.cn"
    )[1]


@pytest.fixture
def staff_client(site, django_user_model):
    """A member of 联系信息维护 (contact staff), signed in."""
    return user_in(django_user_model, CONTACT_STAFF, "staff")[1]


@pytest.fixture
def superuser_client(site, django_user_model):
    client = Client()
    client.user = django_user_model.objects.create_superuser("boss", password="pw-for-tests")
    client.force_login(client.user)
    return client


@pytest.fixture
def column_publisher(django_user_model, column):
    """A user of a group of its own that may add, change and publish pages in the column."""
    group = Group.objects.create(name="测试编辑")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for permission in ["add_page", "change_page", "publish_page"]:
        GroupPagePermission.objects.create(
            group=group, page=column, permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user("editor", password="pw-for-tests")
    user.groups.add(group)
    return user


@pytest.fixture
def reader():
    """A browser client, as a reader's."""
    from django.test import Client

    return Client(HTTP_USER_AGENT=CHROME_UA)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres") and not using_postgres():
        pytest.skip("needs PostgreSQL: DATABASE_URL points to another database")


def using_postgres():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def redis_buffer(settings, worker_id):
    """Hit buffering in a real Redis (a database of this test process's own, emptied before and
    after: 15, or 12, 11 … for the second, third … parallel test process)."""
    import redis

    number = 0 if worker_id == "master" else int(worker_id.removeprefix("gw"))
    url = f"redis://127.0.0.1:6379/{15 if number == 0 else 13 - number}"
    if not redis_answers(url):
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    client = redis.Redis.from_url(url, decode_responses=True)
    client.flushdb()
    settings.REDIS_URL = url
    settings.HITCOUNT_FLUSH_INTERVAL = 0  # tests flush explicitly
    site_redis.reset()
    yield client
    client.flushdb()
    site_redis.reset()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each test opens its own context in it."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop on this thread; the tests' own ORM calls are
    # still synchronous, so Django's guard against ORM use inside a running loop is lifted here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=HEADLESS_SHELL, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
