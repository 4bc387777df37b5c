"""The cache of migrated databases and prepared sites (stack/site_cache.py): an entry is made once,
whole, by one process while the others wait; its key changes with what it is made from and with
nothing else; entries no longer used are pruned."""

import multiprocessing
import os
import time
from datetime import datetime, timedelta

import pytest

from stack import site_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(site_cache.FOLDER_VARIABLE, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_an_entry_is_built_once_in_a_folder_of_its_own_then_renamed_into_place(cache):
    built = []

    def build(folder):
        assert folder.parent == cache
        assert not folder.name.startswith("migrated-sqlite-")  # not found under its name yet
        (folder / "migrated.sqlite3").write_text("migrated")
        built.append(folder)

    entry = site_cache.kept("migrated-sqlite", "abc", build)
    assert entry == cache / "migrated-sqlite-abc"
    assert (entry / "migrated.sqlite3").read_text() == "migrated"
    assert site_cache.kept("migrated-sqlite", "abc", build) == entry
    assert len(built) == 1
    assert site_cache.found("migrated-sqlite", "abd") is None


def test_a_build_that_fails_leaves_nothing_behind(cache):
    def build(folder):
        (folder / "half.sqlite3").write_text("half")
        raise RuntimeError("migration failed")

    with pytest.raises(RuntimeError):
        site_cache.kept("site-sqlite", "abc", build)
    assert list(cache.iterdir()) == [cache / ".site-sqlite.lock"]


def build_slowly(folder):
    with open(folder.parent / "builds", "a") as builds:
        builds.write("built\n")
    time.sleep(1)
    (folder / "site.sqlite3").write_text("site")


def ask_for_the_entry(results):
    results.put((site_cache.kept("site-sqlite", "abc", build_slowly) / "site.sqlite3").read_text())


def test_processes_asking_at_once_wait_for_the_one_that_builds(cache):
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=ask_for_the_entry, args=[results]) for _ in range(3)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(30)
    assert [results.get(timeout=5) for _ in processes] == ["site"] * 3
    assert (cache / "builds").read_text() == "built\n"


def test_entries_unused_for_an_hour_beyond_the_three_used_last_are_pruned(cache):
    cache.mkdir()
    hours_ago = {"a": 5, "b": 4, "c": 3, "d": 2, "e": 0.5}
    for key, hours in hours_ago.items():
        entry = cache / f"site-sqlite-{key}"
        entry.mkdir()
        os.utime(entry, (time.time() - hours * 3600,) * 2)
    other_kind = cache / "migrated-sqlite-a"
    other_kind.mkdir()
    os.utime(other_kind, (time.time() - 10 * 3600,) * 2)
    left_by_a_killed_build = cache / ".site-sqlite-f.partial-x1"
    left_by_a_killed_build.mkdir()
    os.utime(left_by_a_killed_build, (time.time() - 2 * 3600,) * 2)
    building_now = cache / ".site-sqlite-g.partial-x2"
    building_now.mkdir()

    site_cache.prune("site-sqlite")

    assert sorted(path.name for path in cache.iterdir()) == [
        ".site-sqlite-g.partial-x2",
        "migrated-sqlite-a",
        "site-sqlite-c",
        "site-sqlite-d",
        "site-sqlite-e",
    ]
    os.utime(cache / "site-sqlite-c", (time.time() - 1800,) * 2)  # used again half an hour ago
    (cache / "site-sqlite-h").mkdir()
    site_cache.prune("site-sqlite")
    assert (cache / "site-sqlite-c").exists()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project of a few files, as site_cache reads one."""
    root = tmp_path / "project"
    files = {
        "news/migrations/0001_initial.py": "from news.roles import ensure_groups\n",
        "news/roles.py": "EDITORS = '编辑'\n",
        "news/models.py": "class ArticlePage: pass\n",
        "news/demo/news/001.txt": "示例\n",
        "core/migrations/0001_site_generation_from_news.py": "\n",
        "sitecms/settings/base.py": (
            "PORT = os.environ.get('PORT', '8000')\n"
            'ARTICLE_REVIEW = env_bool("ARTICLE_REVIEW", default=True)\n'
            'DATABASES = os.environ.get("DATABASE_URL")\n'
        ),
        "uv.lock": "wagtail 8.0.1\n",
        "locale/zh_Hans/LC_MESSAGES/django.po": 'msgid "Root"\n',
        "templates/base.html": "<html>\n",
        "static/css/site.css": "body {}\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "core" / "static_storage.py").write_text("\n")
    monkeypatch.setattr(site_cache, "ROOT", root)
    return root


def test_the_migrated_key_follows_the_migrations_the_modules_they_import_and_the_settings(project):
    env = {"DATABASE_URL": "sqlite:///a.sqlite3"}
    key = site_cache.migrated_key(env)
    assert site_cache.migrated_key({"DATABASE_URL": "sqlite:///b.sqlite3", "HOME": "/x"}) == key
    assert site_cache.migrated_key({**env, "PORT": "8000"}) == key  # what make exports
    assert site_cache.migrated_key({**env, "PORT": "8001"}) != key
    assert site_cache.migrated_key({**env, "ARTICLE_REVIEW": "0"}) != key
    for changed in [
        "news/migrations/0001_initial.py",
        "news/roles.py",
        "sitecms/settings/base.py",
        "uv.lock",
        "locale/zh_Hans/LC_MESSAGES/django.po",
    ]:
        path = project / changed
        original = path.read_text()
        path.write_text(original + "\n")
        assert site_cache.migrated_key(env) != key, changed
        path.write_text(original)
    (project / "news" / "models.py").write_text("class ArticlePage: title = 1\n")
    (project / "templates" / "base.html").write_text("<html lang=zh>\n")
    assert site_cache.migrated_key(env) == key


def test_the_site_key_also_follows_the_apps_code_the_demo_content_and_the_day(project, monkeypatch):
    key = site_cache.site_key({}, ["setup_site"])
    assert site_cache.site_key({}, ["setup_site", "--demo"]) != key
    (project / "news" / "demo" / "news" / "1.txt").write_text("另一篇示例\n")
    assert site_cache.site_key({}, ["setup_site"]) != key
    demo_key = site_cache.site_key({}, ["setup_site"])
    (project / "templates" / "base.html").write_text("<html lang=zh>\n")
    assert site_cache.site_key({}, ["setup_site"]) == demo_key

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime.now(tz) + timedelta(days=1)

    monkeypatch.setattr(site_cache, "datetime", Tomorrow)
    assert site_cache.site_key({}, ["setup_site"]) != demo_key


def test_the_static_key_follows_the_static_files_only(project):
    key = site_cache.static_key()
    (project / "news" / "models.py").write_text("class ArticlePage: title = 1\n")
    assert site_cache.static_key() == key
    (project / "static" / "css" / "site.css").write_text("body { color: red }\n")
    assert site_cache.static_key() != key
