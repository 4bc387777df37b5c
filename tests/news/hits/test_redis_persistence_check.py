"""`manage.py check --deploy` asks the Redis that buffers click counts whether it keeps them on
disk, and warns (never fails) when it does not or cannot say."""

import shutil
from io import StringIO

import pytest
import redis
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from news.hits.checks import redis_keeps_buffered_views
from stack.services import PrivateRedis, free_port

pytestmark = [
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
]


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    # A folder of its own, where turning the append-only file on writes it.
    server = PrivateRedis(folder=tmp_path_factory.mktemp("redis"))
    yield server
    server.close()


def warnings_for(settings, url):
    settings.REDIS_URL = url
    return [warning.id for warning in redis_keeps_buffered_views()]


def test_without_redis_there_is_nothing_to_check(settings):
    assert warnings_for(settings, "") == []


def test_a_redis_without_the_append_only_file_is_warned_about(settings, private_redis):
    client = redis.Redis.from_url(private_redis.url)
    client.config_set("appendonly", "no")
    assert warnings_for(settings, private_redis.url) == ["hits.W001"]
    client.config_set("appendonly", "yes")
    assert warnings_for(settings, private_redis.url) == []


def test_the_warning_comes_with_check_deploy_and_fails_a_strict_check(settings, private_redis):
    redis.Redis.from_url(private_redis.url).config_set("appendonly", "no")
    settings.REDIS_URL = private_redis.url
    with pytest.raises(SystemCheckError, match=r"hits\.W001"):
        call_command("check", deploy=True, tags=["hits"], fail_level="WARNING", stdout=StringIO())
    assert checks.run_checks(tags=["hits"]) == []  # asked with --deploy only


def test_a_redis_that_refuses_config_gives_a_warning_not_an_error(settings):
    server = PrivateRedis(options=["--rename-command", "CONFIG", ""])
    try:
        assert warnings_for(settings, server.url) == ["hits.W002"]
    finally:
        server.close()


def test_an_unreachable_redis_gives_a_warning_not_an_error(settings):
    assert warnings_for(settings, f"redis://127.0.0.1:{free_port()}/0") == ["hits.W003"]
