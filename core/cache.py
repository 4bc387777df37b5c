"""Django's Redis cache, made to step aside while Redis is unreachable.

Without this, every page would fail while Redis restarts. Here a failed call counts as a miss
(reads give the default, writes are skipped), and for a few seconds after a failure Redis is
not asked at all, so readers don't each wait for a connection timeout. Pages are then rendered
from the database, and click counting goes to the database as it does without Redis.

Nothing is lost by skipped writes: what is cached is keyed by the site generation, which lives in
the database (news/generation.py).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _tolerant(when_down):
    """The cache call, or `when_down(*args, **kwargs)` while Redis is unreachable."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            if time.monotonic() < self._retry_at:
                return when_down(*args, **kwargs)
            try:
                result = method(self, *args, **kwargs)
            except UNREACHABLE as error:
                if not self._down:
                    logger.warning("Redis cache unreachable (%s); serving without it", error)
                self._down = True
                self._retry_at = time.monotonic() + self.retry_seconds
                return when_down(*args, **kwargs)
            if self._down:
                self._down = False
                logger.warning("Redis cache reachable again")
            return result

        return call

    return decorate


def _returning(value):
    return lambda *args, **kwargs: value


def _default(key, default=None, version=None):
    return default


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._down = False
        self._retry_at = 0.0
        self.retry_seconds = float(params.get("RETRY_SECONDS", 5))

    get = _tolerant(_default)(RedisCache.get)
    get_many = _tolerant(_returning({}))(RedisCache.get_many)
    has_key = _tolerant(_returning(False))(RedisCache.has_key)
    # `add` reports success while Redis is away, so whoever asked goes on as if first.
    add = _tolerant(_returning(True))(RedisCache.add)
    set = _tolerant(_returning(None))(RedisCache.set)
    set_many = _tolerant(_returning([]))(RedisCache.set_many)
    touch = _tolerant(_returning(False))(RedisCache.touch)
    delete = _tolerant(_returning(False))(RedisCache.delete)
    delete_many = _tolerant(_returning(None))(RedisCache.delete_many)
    clear = _tolerant(_returning(False))(RedisCache.clear)
