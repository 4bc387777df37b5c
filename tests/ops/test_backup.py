"""Backups: `manage.py backup` archives the database and the media files, `manage.py restore`
brings them back into a fresh database and media folder, and refuses what it cannot restore.

The site runs in subprocesses of manage.py against a database of its own (a SQLite file, or a
PostgreSQL database created for the test and dropped after it), as it would on a server:
pytest-django's SQLite test database lives in memory, where there is nothing to back up.
"""

import hashlib
import io
import json
import os
import re
import sqlite3
import subprocess
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from stack.services import create_database, drop_database, postgres_answers
from stack.site import (
    ROOT,
    manage,
    prepared_postgres_site,
    prepared_sqlite_site,
    production_environment,
)

# No PostgreSQL server listens on port 9 (discard): the refusals must come before any connection.
UNREACHABLE_POSTGRES = "postgres://postgres@127.0.0.1:9/sitecms_backup_unreachable"

# Content beyond the demo site's: an article with a published revision and a later draft, an image
# with a rendition, new published and draft versions of the contact details, and click counts
# entered the way readers' views are (the database trigger fills the daily buckets).
CREATE_CONTENT = """
import io
from datetime import date

from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images.models import Image

from contact.models import ContactDetails, ContactPhone
from news.hits.store import add_to_database
from news.models import ArticlePage, NewsIndexPage

buffer = io.BytesIO()
PillowImage.new("RGB", (640, 480), (166, 27, 27)).save(buffer, "JPEG")
image = Image.objects.create(title="备份测试图片", file=ImageFile(buffer, name="backup-test.jpg"))
image.get_rendition("fill-320x240")

article = ArticlePage(
    title="备份测试文章",
    source="测试来源",
    cover_image=image,
    body=[{"type": "paragraph", "value": "<p>已发布的正文。</p>"}],
)
NewsIndexPage.objects.get(slug="news").add_child(instance=article)
article.save_revision().publish()
article.title = "备份测试文章(修改稿)"
article.save_revision()

add_to_database({(article.pk, date(2026, 11, 27)): 5, (article.pk, date(2026, 11, 28)): 3})

contact = ContactDetails.objects.get()
contact.address = "测试市备份路2号"
contact.phones.add(ContactPhone(label="值班室", number="0592-1234567"))
contact.save_revision().publish()
contact.name = "备份测试单位(草稿)"
contact.save_revision()
"""

# What the site holds, printed as JSON; then whether it serves the article and takes new content
# (on PostgreSQL that needs the sequences restored too).
INSPECT = """
import hashlib
import io
import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from wagtail.images.models import Image
from wagtail.models import Page, Revision

from contact.models import ContactDetails
from news.hits.store import add_to_database
from news.models import ArticlePage
from news.hits.models import PageDailyHits, PageHits


def digest(data):
    return hashlib.sha256(data).hexdigest()


def file_digest(field):
    with field.open("rb") as file:
        return digest(file.read())


rows = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT COUNT(*) FROM " + connection.ops.quote_name(table))
        rows[table] = cursor.fetchone()[0]
media = Path(settings.MEDIA_ROOT)
article = ArticlePage.objects.get(title="备份测试文章")
contact = ContactDetails.objects.get()
held = {
    "rows": rows,
    "migrations": sorted(map(list, MigrationRecorder(connection).applied_migrations())),
    "pages": [
        [p.pk, p.path, p.title, p.live, p.has_unpublished_changes, p.live_revision_id,
         p.latest_revision_id]
        for p in Page.objects.order_by("path")
    ],
    "revisions": [
        [r.pk, r.content_type.model, r.object_id, r.created_at.isoformat(),
         digest(json.dumps(r.content, sort_keys=True).encode())]
        for r in Revision.objects.order_by("pk")
    ],
    "images": [
        [i.pk, i.title, i.file.name, file_digest(i.file),
         [[r.file.name, file_digest(r.file)] for r in i.renditions.order_by("pk")]]
        for i in Image.objects.order_by("pk")
    ],
    "hits": [[h.page_id, h.hits, str(h.last_day)] for h in PageHits.objects.order_by("page_id")],
    "daily_hits": [
        [d.page_id, str(d.day), d.hits] for d in PageDailyHits.objects.order_by("page_id", "day")
    ],
    "media": {
        str(path.relative_to(media)): digest(path.read_bytes())
        for path in sorted(media.rglob("*")) if path.is_file()
    },
    "article": {
        "live_title": article.title,
        "draft_title": article.latest_revision.as_object().title,
        "revisions": article.revisions.count(),
        "cover_file": article.cover_image.file.name,
        "hits": article.hit_count.hits,
        "daily": {str(d.day): d.hits for d in article.daily_hits.all()},
    },
    "contact": {
        "live": [contact.name, contact.address, [p.number for p in contact.phones.all()]],
        "versions": [
            [r.content["name"], r.content["address"]] for r in contact.revisions.order_by("pk")
        ],
    },
}
page = Client(HTTP_HOST="localhost").get(article.url).content.decode()
held["served"] = ["备份测试文章" in page, "修改稿" in page]
newer = ArticlePage(title="恢复之后的文章")
article.get_parent().add_child(instance=newer)
newer.save_revision().publish()
add_to_database({(newer.pk, date(2026, 11, 30)): 1})
held["new_page_after_the_others"] = newer.pk > max(row[0] for row in held["pages"])
print(json.dumps(held, default=str))
"""

# Everything changed after the backup, in the database and in the media folder.
CHANGE_CONTENT = """
from datetime import date
from pathlib import Path

from django.conf import settings
from wagtail.images.models import Image

from contact.models import ContactDetails
from news.hits.store import add_to_database
from news.models import ArticlePage

article = ArticlePage.objects.get(title="备份测试文章")
later = ArticlePage(title="备份之后的文章")
article.get_parent().add_child(instance=later)
later.save_revision().publish()
article.title = "备份之后发布的标题"
article.save_revision().publish()
add_to_database({(article.pk, date(2026, 11, 29)): 100})
contact = ContactDetails.objects.get()
contact.address = "测试市备份之后路9号"
contact.save_revision().publish()
image = Image.objects.get(title="备份测试图片")
image.file.storage.delete(image.file.name)
(Path(settings.MEDIA_ROOT) / "documents").mkdir(exist_ok=True)
(Path(settings.MEDIA_ROOT) / "documents" / "after-the-backup.txt").write_text("new")
"""


def site_env(database_url, media_root, backup_dir=None, **extra):
    """The environment of a site process on the given database and folders."""
    return production_environment(
        database_url, MEDIA_ROOT=media_root, BACKUP_DIR=backup_dir, **extra
    )


def refused(env, *arguments):
    """The message of a command that must refuse: a non-zero exit with words, not a traceback."""
    result = manage(env, *arguments, check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


def inspect(env):
    return json.loads(manage(env, "shell", "--no-imports", "-c", INSPECT).stdout.splitlines()[-1])


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@dataclass
class BackedUpSite:
    engine: str
    env: dict
    archive: Path
    held: dict  # what the site held when it was backed up


def back_up_new_site(engine, folder, database_url=None):
    """A site with content beyond the demo's, backed up: on SQLite a copy of the site every stack
    starts from, on PostgreSQL one prepared on `database_url`."""
    if engine == "sqlite":
        env = prepared_sqlite_site(folder, BACKUP_DIR=folder / "backups")
    else:
        env = prepared_postgres_site(database_url, folder, BACKUP_DIR=folder / "backups")
    manage(env, "shell", "--no-imports", "-c", CREATE_CONTENT)
    output = manage(env, "backup").stdout
    [archive] = (folder / "backups").glob("*")
    assert str(archive) in output
    return BackedUpSite(engine, env, archive, inspect(env))


@pytest.fixture(scope="module")
def postgres():
    """Makes new databases named sitecms_backup_… on the server DATABASE_URL names; drops them after."""
    server = urlsplit(os.environ["DATABASE_URL"])._replace(path="/postgres").geturl()
    if not postgres_answers(server):
        pytest.skip("PostgreSQL is not answering")
    created = []

    def new_database(purpose):
        created.append(f"sitecms_backup_{purpose}_{uuid.uuid4().hex[:8]}")
        return create_database(created[-1], server)

    yield new_database
    for name in created:
        drop_database(name, server)


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-site")
    return back_up_new_site("sqlite", folder)


@pytest.fixture(scope="module")
def postgresql_site(postgres, tmp_path_factory):
    folder = tmp_path_factory.mktemp("postgresql-site")
    return back_up_new_site("postgresql", folder, postgres("site"))


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.engine_dependent]),
    ]
)
def backed_up_site(request):
    return request.getfixturevalue(f"{request.param}_site")


@pytest.fixture
def fresh_database(backed_up_site, request, tmp_path):
    """The URL of a database that does not hold anything yet, of the backed-up site's engine."""
    if backed_up_site.engine == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    return request.getfixturevalue("postgres")("restored")


def assert_holds_everything_backed_up(held, backed_up):
    assert held["article"] == {
        "live_title": "备份测试文章",
        "draft_title": "备份测试文章(修改稿)",
        "revisions": 2,
        "cover_file": backed_up["article"]["cover_file"],
        "hits": 8,
        "daily": {"2026-11-27": 5, "2026-11-28": 3},
    }
    live_name, live_address, live_phones = held["contact"]["live"]
    assert live_address == "测试市备份路2号" and "0592-1234567" in live_phones
    versions = held["contact"]["versions"]
    assert len(versions) == 3 and versions[-1][0] == "备份测试单位(草稿)" != live_name
    assert backed_up["article"]["cover_file"] in held["media"]
    for part in ["rows", "migrations", "pages", "revisions", "images", "hits", "daily_hits"]:
        assert held[part] == backed_up[part], part
    assert held["media"] == backed_up["media"]
    assert held["contact"] == backed_up["contact"]
    assert held["served"] == [True, False]
    assert held["new_page_after_the_others"]


# The archive ----------------------------------------------------------------------------------


def test_the_archive_holds_a_manifest_the_database_and_the_media_files(backed_up_site, tmp_path):
    archive = backed_up_site.archive
    assert re.fullmatch(r"sitecms-\d{8}-\d{6}\.tar\.gz", archive.name)
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds the accounts' password hashes
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
        database = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}[
            backed_up_site.engine
        ]
        tar.extract(database, tmp_path, filter="data")
    assert names[0] == "manifest.json"
    assert {f"media/{name}" for name in backed_up_site.held["media"]} <= set(names)
    assert manifest["format"] == "sitecms-backup"
    assert manifest["engine"] == backed_up_site.engine
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", manifest["created_at"])
    latest_news_migration = max(path.stem for path in (ROOT / "news/migrations").glob("0*.py"))
    assert manifest["migrations"]["news"] == latest_news_migration
    assert manifest["migrations"]["wagtailcore"].startswith("0")
    if backed_up_site.engine == "sqlite":
        with sqlite3.connect(tmp_path / database) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            pages = copy.execute("SELECT COUNT(*) FROM wagtailcore_page").fetchone()[0]
        assert pages == len(backed_up_site.held["pages"])
    else:
        contents = subprocess.run(
            ["pg_restore", "--list", str(tmp_path / database)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "TABLE DATA public wagtailcore_page " in contents
        assert "TRIGGER public" in contents  # the click counts' daily-bucket trigger


# Restoring ------------------------------------------------------------------------------------


def test_restore_into_a_fresh_database_and_media_folder_brings_back_everything(
    backed_up_site, fresh_database, tmp_path
):
    env = site_env(fresh_database, tmp_path / "media")
    output = manage(env, "restore", str(backed_up_site.archive)).stdout
    assert "已用" in output and "清空了缓存" in output
    assert "migrate" not in output
    assert_holds_everything_backed_up(inspect(env), backed_up_site.held)


def test_restore_replaces_a_database_and_media_that_changed_since_the_backup(backed_up_site):
    env = backed_up_site.env
    manage(env, "shell", "--no-imports", "-c", CHANGE_CONTENT)
    manage(env, "restore", str(backed_up_site.archive))
    held = inspect(env)
    assert "documents/after-the-backup.txt" not in held["media"]
    assert_holds_everything_backed_up(held, backed_up_site.held)


# Refusals -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "请指定备份文件"), ("no-such-backup.tar.gz", "找不到备份文件")],
)
def test_restore_refuses_a_missing_file(tmp_path, name, message):
    target = tmp_path / "site.sqlite3"
    env = site_env(f"sqlite:///{target}", tmp_path / "media")
    assert message in refused(env, "restore", str(tmp_path / name) if name else "")
    assert not target.exists()


def not_a_backup(folder, kind):
    if kind == "text":
        path = folder / "notes.tar.gz"
        path.write_text("这不是备份。")
    else:
        (folder / "page.html").write_text("<p>网页</p>")
        path = folder / "pages.tar.gz"
        with tarfile.open(path, "w:gz") as tar:
            tar.add(folder / "page.html", arcname="page.html")
    return path


@pytest.mark.parametrize("kind", ["text", "other-archive"])
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, kind):
    target = tmp_path / "site.sqlite3"
    env = site_env(f"sqlite:///{target}", tmp_path / "media")
    assert "不是本站的备份文件" in refused(env, "restore", str(not_a_backup(tmp_path, kind)))
    assert not target.exists()


def test_restore_refuses_an_archive_of_the_other_engine(backed_up_site, tmp_path):
    sqlite_target = tmp_path / "site.sqlite3"
    other = (
        UNREACHABLE_POSTGRES if backed_up_site.engine == "sqlite" else f"sqlite:///{sqlite_target}"
    )
    message = refused(site_env(other, tmp_path / "media"), "restore", str(backed_up_site.archive))
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert f"是 {names[backed_up_site.engine]} 数据库的备份" in message
    assert "不能恢复到另一种数据库" in message
    assert not sqlite_target.exists()
    assert not (tmp_path / "media").exists()


def test_restore_refuses_an_archive_from_newer_code(sqlite_site, tmp_path):
    newer = tmp_path / "newer.tar.gz"
    with tarfile.open(sqlite_site.archive) as source, tarfile.open(newer, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.load(data)
                manifest["migrations"]["news"] = "9999_from_newer_code"
                data = io.BytesIO(json.dumps(manifest).encode())
                member.size = len(data.getvalue())
            copy.addfile(member, data)
    target = tmp_path / "site.sqlite3"
    message = refused(site_env(f"sqlite:///{target}", tmp_path / "media"), "restore", str(newer))
    assert "news.9999_from_newer_code" in message
    assert not target.exists()


def test_a_damaged_archive_is_refused_and_nothing_is_changed(sqlite_site, tmp_path):
    damaged = tmp_path / "damaged.tar.gz"
    data = sqlite_site.archive.read_bytes()
    damaged.write_bytes(data[: len(data) * 2 // 3])
    target, media = tmp_path / "site.sqlite3", tmp_path / "media"
    with sqlite3.connect(target) as database:
        database.execute("CREATE TABLE kept (x)")
        database.execute("INSERT INTO kept VALUES ('the database before the restore')")
    media.mkdir()
    (media / "kept.txt").write_text("the media before the restore")
    before = sha256(target)
    assert "无法解开备份文件" in refused(
        site_env(f"sqlite:///{target}", media), "restore", str(damaged)
    )
    assert sha256(target) == before
    assert [path.name for path in media.iterdir()] == ["kept.txt"]
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_backup_of_a_postgresql_site_without_pg_dump_says_so(tmp_path):
    env = site_env(
        UNREACHABLE_POSTGRES, tmp_path / "media", backup_dir=tmp_path / "backups", PATH=""
    )
    assert "找不到 pg_dump" in refused(env, "backup")
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
