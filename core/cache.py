"""Django's Redis cache, made to step aside while Redis is unreachable.

Without this, every page would fail while Redis restarts. Here a failed call counts as a miss
(reads give the default, writes are skipped), and for a few seconds after a failure Redis is
not asked at all, so readers don't each wait for a connection timeout: the policy the click
store follows too (core/redis.py). Pages are then rendered
from the database, and click counting goes to the database as it does without Redis.

Nothing is lost by skipped writes: what is cached is keyed by the site generation, which lives in
the database (core/generation.py).
"""

import functools

from django.core.cache.backends.redis import RedisCache

from core import redis as site_redis


def _tolerant(when_down):
    """The cache call, or `when_down(*args, **kwargs)` while Redis is unreachable."""

    def decorate(method):
        @functools.wraps(method)
        def call(self, *args, **kwargs):
            return site_redis.call(
                lambda: method(self, *args, **kwargs), lambda: when_down(*args, **kwargs)
            )

        return call

    return decorate


def _returning(value):
    return lambda *args, **kwargs: value


def _default(key, default=None, version=None):
    return default


class TolerantRedisCache(RedisCache):
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
