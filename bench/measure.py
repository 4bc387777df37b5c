"""What the benchmarks share beside the stack itself (stack/): the database and Redis they run on,
the generated corpus, and wrk's measurements."""

import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the stack package, when a benchmark runs as a script

from stack.raw_http import CHROME_UA  # noqa: E402
from stack.services import POSTGRES_URL, postgres_answers, redis_answers  # noqa: E402
from stack.site import prepare_site, production_environment  # noqa: E402

PYTHON = sys.executable
# A word in the title of one generated article alone (bench/corpus.py), whatever the corpus's
# size: the rare search of bench/run.py.
RARE_WORD = "鹭鸶洲"
RARE_NUMBER = 7


def bench_environment(database_url, **overrides):
    """The production stack's environment for a benchmark: errors only in the log, no access log,
    and the trivial view's settings (bench/trivial_settings.py) importable."""
    return production_environment(
        database_url,
        **{
            "LOG_LEVEL": "ERROR",
            "GUNICORN_ACCESS_LOG": "",
            "PYTHONPATH": f"{ROOT}:{ROOT / 'bench'}",
            # wrk is one address: the per-address limits would measure themselves.
            "SEARCH_RATE_LIMIT": "1000000/m",
            "UNCACHED_RATE_LIMIT": "1000000/m",
            **overrides,
        },
    )


def prepare(database_url):
    env = bench_environment(database_url)
    prepare_site(env, timeout=None)
    return env


def existing_database(name, server_url=POSTGRES_URL, template=None):
    """The PostgreSQL database `name` on the server of `server_url` (the machine's), created (a
    copy of `template`, if given) if it is not there yet; kept between runs, with its corpus."""
    import psycopg2

    connection = psycopg2.connect(server_url, connect_timeout=5)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            copy = f' TEMPLATE "{template}"' if template else ""
            cursor.execute(f'CREATE DATABASE "{name}"{copy}')
    connection.close()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def sized_database_url(database_url, size):
    """A database beside `database_url` (a prepared site) for the corpus of `size` articles alone
    (its name ends in _`size`), kept between runs: a run at several sizes then generates each
    corpus once, instead of removing a larger one and generating it again on every run. A new one
    starts as a copy of `database_url`. Its URL, and whether it was kept from an earlier run (and
    so may need preparing for the code as it is now)."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        sized = path.with_name(f"{path.stem}_{size}{path.suffix}")
        kept = sized.exists()
        if not kept:
            shutil.copy2(path, sized)
        return f"sqlite:///{sized}", kept
    server, name = database_url.rsplit("/", 1)
    server_url = f"{server}/postgres"
    kept = database_exists(f"{name}_{size}", server_url)
    return existing_database(f"{name}_{size}", server_url, template=name), kept


def applied_migrations(database_url):
    """How many migrations the database at `database_url` has applied."""
    if database_url.startswith("sqlite:///"):
        import sqlite3

        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        count = connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0]
        connection.close()
        return count
    import psycopg2

    connection = psycopg2.connect(database_url, connect_timeout=5)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        count = cursor.fetchone()[0]
    connection.close()
    return count


def database_exists(name, server_url):
    import psycopg2

    connection = psycopg2.connect(server_url, connect_timeout=5)
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        found = cursor.fetchone() is not None
    connection.close()
    return found


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is not installed; installing Debian's package", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def bench_database_url():
    """BENCH_DATABASE_URL, else the machine's PostgreSQL, else SQLite in bench/."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if postgres_answers():
        return existing_database("sitecms_bench")
    return f"sqlite:///{ROOT / 'bench' / 'bench.sqlite3'}"


def bench_redis_url():
    """BENCH_REDIS_URL, else database 14 of the machine's Redis."""
    return os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")


def grow_corpus(env, count, at_least=False):
    """Grow the generated corpus to `count` articles; with `at_least`, a larger one is kept."""
    print(f"Generating the corpus: {'at least ' if at_least else ''}{count} articles", flush=True)
    options = ["--at-least"] if at_least else []
    subprocess.run([PYTHON, "bench/corpus.py", *options, str(count)], cwd=ROOT, env=env, check=True)


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


def page_cached_site(benchmark, corpus):
    """The environment of the stack the benchmarks that read under an editor run (bench/soak.py,
    bench/publishing_under_load.py): the page cache on, Redis as the shared cache and the click
    buffer, every request a counted view, on a site with at least `corpus` generated articles."""
    database_url = bench_database_url()
    redis_url = bench_redis_url()
    if not redis_answers(redis_url):
        sys.exit(f"{benchmark} needs Redis as the shared cache: nothing answers at {redis_url}")
    prepare(database_url)
    env = bench_environment(
        database_url, HITCOUNT_WINDOW="0", PAGE_CACHE="django", REDIS_URL=redis_url
    )
    # With the stack's cache, so that the corpus's tree change reaches a cache kept from a last run.
    grow_corpus(env, corpus, at_least=True)
    return database_url, env
