"""Services on this machine: is PostgreSQL or Redis answering, free ports, waiting for a
condition, and a private PostgreSQL cluster or Redis server that a test may stop and start."""

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def free_port():
    """A port nothing listens on, so that stacks run beside other servers on the machine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, seconds=30, interval=0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(interval)
    return False


def postgres_answers(url=POSTGRES_URL):
    try:
        import psycopg2

        psycopg2.connect(url, connect_timeout=2).close()
        return True
    except Exception:
        return False


def redis_answers(url="redis://127.0.0.1:6379/0"):
    try:
        import redis

        return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception:
        return False


def create_database(name, server_url=POSTGRES_URL, template=None):
    """A new, empty (or `template`'s copy) database on the server; its URL."""
    import psycopg2

    connection = psycopg2.connect(server_url, connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        copy = f' TEMPLATE "{template}"' if template else ""
        cursor.execute(f'CREATE DATABASE "{name}"{copy}')
    connection.close()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name, server_url=POSTGRES_URL):
    import psycopg2

    connection = psycopg2.connect(server_url, connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


class PrivatePostgres:
    """A PostgreSQL cluster in a temporary folder, which a test may stop and start again."""

    def __init__(self):
        # Its own folder in /tmp: the postgres user cannot enter pytest's private ones.
        self.folder = Path(tempfile.mkdtemp(prefix="sitecms-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        subprocess.run(
            [
                PG_BIN / "createdb",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "site",
            ],
            check=True,
        )

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/site"

    def _as_postgres(self, program, *args):
        command = ["runuser", "-u", "postgres", "--", str(PG_BIN / program), *map(str, args)]
        subprocess.run(command, check=True, capture_output=True)

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder}"
        )
        self._as_postgres(
            "pg_ctl", "-D", self.data, "-o", options, "-w", "-l", self.folder / "log", "start"
        )

    def stop(self):
        self._as_postgres("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def close(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class PrivateRedis:
    """A Redis server which a test may stop and start again. It keeps nothing on disk unless
    given a `folder`: then it writes every change to an append-only file there (`appendonly
    yes`, as production should), and a restart reads it back. `options` are more of
    redis-server's command-line options."""

    def __init__(self, folder=None, options=()):
        self.port = free_port()
        self.folder = Path(folder) if folder else None
        self.options = [*options]
        self.process = None
        self.start()

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        if self.folder is None:
            persistence = ["--appendonly", "no"]
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
            persistence = ["--appendonly", "yes", "--dir", str(self.folder)]
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                *persistence,
                *self.options,
            ],
            stdout=subprocess.DEVNULL,
        )
        assert wait_for(lambda: redis_answers(self.url)), "redis-server did not start"

    def stop(self):
        """SIGTERM: Redis writes what it holds to its append-only file, if it has one, and ends."""
        self.process.terminate()
        self.process.wait(timeout=10)

    def close(self):
        if self.process.poll() is None:
            self.stop()
