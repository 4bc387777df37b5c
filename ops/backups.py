"""Backups of the whole site (database and media files) in one archive, and their restore.

An archive is a .tar.gz holding, in this order: `manifest.json` (format, database engine, time,
latest migration of each app), the database (`database.sqlite3`, a consistent SQLite copy, or
`database.pgdump`, pg_dump's custom format) and `media/`, the MEDIA_ROOT folder as it was.
"""

import contextlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from contextlib import closing
from pathlib import Path

import django
import wagtail
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.timezone import localtime

from core import generation

FORMAT = "sitecms-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message tells the operator why."""


def backup_dir():
    return Path(os.environ.get("BACKUP_DIR") or Path(settings.BASE_DIR) / "backups")


def current_engine():
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(
            f"不支持 {connection.vendor} 数据库：只能备份和恢复 SQLite 与 PostgreSQL。"
        )
    return connection.vendor


# Backup ---------------------------------------------------------------------------------------


def create_backup(directory=None):
    """Write `sitecms-<yyyymmdd-hhmmss>.tar.gz` into `directory` (BACKUP_DIR); returns its path."""
    engine = current_engine()
    if engine == "postgresql":
        postgres_program("pg_dump")  # a missing client is said before anything is done
    directory = Path(directory or backup_dir())
    directory.mkdir(parents=True, exist_ok=True)
    created = localtime()
    archive = directory / f"sitecms-{created:%Y%m%d-%H%M%S}.tar.gz"
    if archive.exists():
        raise BackupError(f"{archive} 已经存在，没有覆盖它；请过一秒钟再备份。")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "engine": engine,
        "created_at": created.isoformat(timespec="seconds"),
        "migrations": latest_migrations(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
    }
    # Everything is written beside the archive and renamed into place at the end, so an
    # interrupted backup never leaves a file that looks like a complete one.
    with tempfile.TemporaryDirectory(prefix=".sitecms-backup-", dir=directory) as work:
        database = Path(work) / DATABASE_FILES[engine]
        if engine == "sqlite":
            copy_sqlite(database)
        else:
            postgres_tool("pg_dump", "--format=custom", "--no-owner", f"--file={database}")
        partial = Path(work) / archive.name
        # Pictures barely compress; the highest level would only cost time.
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            manifest_json = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(manifest_json), int(time.time()), 0o600
            tar.addfile(info, io.BytesIO(manifest_json))
            tar.add(database, arcname=database.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname=MEDIA)
        partial.chmod(0o600)  # it holds every account's password hash
        partial.rename(archive)
    return archive


def latest_migrations():
    """The latest applied migration of each app: what the code must know to use the database."""
    latest = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = name
    return latest


def copy_sqlite(target):
    source_path = Path(settings.DATABASES["default"]["NAME"])
    if not source_path.is_file():
        raise BackupError(f"找不到 SQLite 数据库 {source_path}。")
    with (
        closing(sqlite3.connect(source_path, timeout=20)) as source,
        closing(sqlite3.connect(target)) as copy,
    ):
        # The whole database in one step, within one read transaction: a consistent snapshot
        # while the site goes on writing (in WAL mode writers do not wait for it). A plain file
        # copy could catch a write half done, or miss what is still in the -wal file.
        source.backup(copy)
        # Complete in itself: no -wal file is needed beside it when it is opened from the archive.
        copy.execute("PRAGMA journal_mode=DELETE")


# Restore --------------------------------------------------------------------------------------


def restore_backup(path):
    """Replace the database and the media files with the archive's; returns its manifest.

    Everything that can be checked is checked before anything is replaced; the database is then
    replaced in one transaction (all or nothing), the media folder after it, and the caches of
    every process made stale.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。")
    engine = current_engine()
    manifest = read_manifest(path)
    if manifest["engine"] != engine:
        raise BackupError(
            f"{path} 是 {ENGINE_NAMES[manifest['engine']]} 数据库的备份，"
            f"而 DATABASE_URL 指向 {ENGINE_NAMES[engine]} 数据库：不能恢复到另一种数据库。"
        )
    if engine == "postgresql":
        postgres_program("pg_restore")
    refuse_migrations_unknown_here(manifest["migrations"])
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the media folder, on its disk, so that moving the files in is renaming them.
    with tempfile.TemporaryDirectory(prefix=".sitecms-restore-", dir=media.parent) as work:
        work = Path(work)
        unpack(path, work)
        database = work / DATABASE_FILES[engine]
        if not database.is_file():
            raise BackupError(f"{path} 中没有数据库文件 {database.name}：未作任何更改。")
        connection.close()
        if engine == "sqlite":
            restore_sqlite(database)
        else:
            restore_postgresql(database)
        replace_folder_contents(media, work / MEDIA)
    # Rendered pages, tree fragments, the contact card and (with Redis) the click counts held
    # there all describe the database that was just replaced. A new site generation makes every
    # running process drop what it holds in its own memory too.
    cache.clear()
    with contextlib.suppress(DatabaseError):  # an archive from before the generation existed
        generation.bump()
    return manifest


def read_manifest(path):
    not_a_backup = BackupError(f"{path} 不是本站的备份文件（应为 make backup 生成的 .tar.gz）。")
    try:
        with tarfile.open(path, "r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise not_a_backup
            manifest = json.load(tar.extractfile(first))
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError) as error:
        raise not_a_backup from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise not_a_backup
    if manifest.get("version") != VERSION:
        raise BackupError(
            f"{path} 的备份格式版本是 {manifest.get('version')}，这一版本只能恢复版本 {VERSION}。"
        )
    if manifest.get("engine") not in DATABASE_FILES or not isinstance(
        manifest.get("migrations"), dict
    ):
        raise not_a_backup
    return manifest


def refuse_migrations_unknown_here(migrations):
    """An archive from newer code has tables this code does not know what to do with."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, name in migrations.items()
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            "这个备份来自更新的代码版本，其中的迁移在当前代码中不存在："
            f"{', '.join(sorted(unknown))}。请先部署那个版本的代码再恢复。"
        )


def unapplied_migrations():
    """Migrations the restored database still needs (it came from older code)."""
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def unpack(path, work):
    try:
        with tarfile.open(path, "r:gz") as tar:
            # The data filter refuses absolute paths, `..`, links leading out and device files.
            tar.extractall(work, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(
            f"无法解开备份文件 {path}（文件不完整或已损坏？）：{error}。未作任何更改。"
        ) from error


def restore_sqlite(database):
    try:
        with closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)) as copy:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        raise BackupError(f"备份中的 SQLite 数据库已损坏（{verdict}）：未作任何更改。")
    target = Path(settings.DATABASES["default"]["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with (
            closing(sqlite3.connect(database)) as source,
            closing(sqlite3.connect(target, timeout=20)) as live,
        ):
            # Copied into the live file as one write transaction rather than renamed over it: a
            # failure rolls back to the old database, running server processes see the restored
            # one on their next query instead of keeping the replaced file open, and an old -wal
            # file is never left to be replayed onto a database it does not belong to.
            source.backup(live)
            live.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error as error:
        raise BackupError(f"恢复 SQLite 数据库失败，数据库保持原样：{error}") from error


def restore_postgresql(dump):
    # Reading the table of contents proves pg_restore can use the file before anything is dropped.
    try:
        postgres_tool("pg_restore", "--list", str(dump), database=False)
    except BackupError as error:
        raise BackupError(f"备份中的 PostgreSQL 转储无法读取，未作任何更改。\n{error}") from error
    # One transaction: any error rolls the whole restore back and leaves the database as it was.
    # --clean drops the archive's objects first, so a database in use is replaced, not merged.
    try:
        postgres_tool(
            "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", str(dump)
        )
    except BackupError as error:
        raise BackupError(
            f"恢复 PostgreSQL 数据库失败，已全部回滚，数据库保持原样。\n{error}"
        ) from error


def replace_folder_contents(folder, staged):
    """Make `folder` hold exactly what `staged` holds."""
    # Emptied and refilled rather than renamed: MEDIA_ROOT may be a mount point (a volume shared
    # by several servers), and a mount point cannot be renamed.
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    if staged.is_dir():
        for entry in staged.iterdir():
            shutil.move(entry, folder / entry.name)


# PostgreSQL client programs -------------------------------------------------------------------


def postgres_program(name):
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            f"找不到 {name}:PostgreSQL 数据库的备份和恢复需要 PostgreSQL 客户端程序"
            "(Debian/Ubuntu:apt-get install postgresql-client)，它须在 PATH 中，"
            "且版本不低于数据库服务器。"
        )
    return program


def postgres_tool(name, *arguments, database=True):
    """Run pg_dump or pg_restore, connected (with `database`) to the database DATABASE_URL names."""
    command = [postgres_program(name)]
    db = settings.DATABASES["default"]
    if database:
        for option, key in [
            ("dbname", "NAME"),
            ("host", "HOST"),
            ("port", "PORT"),
            ("username", "USER"),
        ]:
            if db[key]:
                command.append(f"--{option}={db[key]}")
    # The password and TLS options travel in the environment as for `manage.py dbshell`, never
    # on the command line, where any user of the machine could read them.
    _, client_env = DatabaseClient.settings_to_cmd_args_env(db, [])
    result = subprocess.run(  # noqa: S603 - a program found on PATH, arguments from the settings
        [*command, *arguments],
        env={**os.environ, **(client_env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{name} 失败（退出码 {result.returncode}）：\n{result.stderr.strip()}")
    return result
