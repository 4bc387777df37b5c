"""Helpers to run the production stack (gunicorn + sitecms.settings.production) for benchmarks."""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
CHROME_UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is not installed; installing Debian's package", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def postgres_answers():
    try:
        import psycopg2

        psycopg2.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
        return True
    except Exception:
        return False


def bench_database_url():
    """BENCH_DATABASE_URL, else the machine's PostgreSQL, else SQLite in bench/."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if postgres_answers():
        import psycopg2

        connection = psycopg2.connect("postgresql://postgres@127.0.0.1:5432/postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'sitecms_bench'")
            if cursor.fetchone() is None:
                cursor.execute("CREATE DATABASE sitecms_bench")
        connection.close()
        return "postgres://postgres@127.0.0.1:5432/sitecms_bench"
    return f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"


def bench_redis_url():
    """BENCH_REDIS_URL, else database 14 of the machine's Redis."""
    return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_answers(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return True
    except Exception:
        return False


def stack_env(database_url, **overrides):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sitecms.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "ERROR",
    }
    env.pop("REDIS_URL", None)
    env.update({key: str(value) for key, value in overrides.items() if value is not None})
    return {key: value for key, value in env.items() if value != ""}


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def prepare(database_url):
    env = stack_env(database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "setup_site", "--demo")
    manage(env, "collectstatic", "--noinput")
    return env


def grow_corpus(env, count, at_least=False):
    """Grow the generated corpus to `count` articles; with `at_least`, a larger one is kept."""
    print(f"Generating the corpus: {'at least ' if at_least else ''}{count} articles", flush=True)
    options = ["--at-least"] if at_least else []
    subprocess.run([PYTHON, "bench/corpus.py", *options, str(count)], cwd=ROOT, env=env, check=True)


def free_port():
    """A port nothing listens on, so that benchmarks run beside other servers on the machine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resident_mb(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


class Gunicorn:
    """The project's gunicorn.conf.py with `workers` sync workers, no access log, and no worker
    recycling, so that the memory measured at the end is that of workers that served the run.
    With `log`, what gunicorn prints (its workers' timeouts among it) goes to that file."""

    def __init__(self, env, port, workers=2, log=None):
        self.port = port
        self.log = open(log, "ab") if log else None  # noqa: SIM115 - kept open while it runs
        env = {
            **env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESS_LOG": "",
            "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
        }
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "sitecms.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT if self.log else None,
        )
        self.wait_until_ready()

    def worker_pids(self):
        pid = self.process.pid
        return [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]

    def worker_memory_mb(self):
        """Resident memory of each worker, in MB."""
        return [resident_mb(pid) for pid in self.worker_pids()]

    def wait_until_ready(self):
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)
        if self.log:
            self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def article_paths(port, column_page=1):
    """The URL paths of the articles listed on a page of the news column, in the listed order."""
    html = urllib.request.urlopen(f"http://127.0.0.1:{port}/news/?page={column_page}").read()
    found = re.findall(r'href="(/news/\d{4}/\d{4}/\d+/)"', html.decode())
    return list(dict.fromkeys(found))


def article_path(port, column_page=1):
    """The URL path of the first article listed on a page of the news column."""
    return article_paths(port, column_page)[0]


def wrk_report(url, seconds=10, connections=16, threads=2, script=None):
    """wrk's own report: requests, requests per second, p50 / p99 latency in ms, error responses
    (status 400 and above) and socket errors (connect, read, write, timeout); `script` is a wrk Lua
    script choosing the requests."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    command += ["-H", f"User-Agent: {CHROME_UA}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    error_responses = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )

    def percentile(label):
        value, unit = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    # wrk writes a minute's run as "1.00m".
    requests, duration, unit = re.search(
        r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", output
    ).groups()
    return {
        "requests": int(requests),
        "seconds": float(duration) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}[unit],
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": percentile("50"),
        "p99": percentile("99"),
        "error_responses": int(error_responses.group(1)) if error_responses else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
        "output": output,
    }


def wrk(url, seconds=10, connections=16, threads=2):
    """Requests per second and p50 / p99 latency in ms of one URL; an error response stops the run."""
    result = wrk_report(url, seconds, connections, threads)
    if result["error_responses"]:
        raise RuntimeError(
            f"{url}: {result['error_responses']} error responses\n{result['output']}"
        )
    return result
