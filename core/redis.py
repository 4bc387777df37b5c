"""The site's Redis (REDIS_URL, optional): the one client the site's own code asks (the click
buffer and the readers' memory; Django's cache keeps its own connections, core/cache.py), and the
one policy for when Redis is away, shared by both.

While Redis is unreachable every call is answered as if there were no Redis: the cache as empty,
counting straight into the database. After a failure Redis is not asked again for RETRY_SECONDS,
so readers never each wait for a timeout; nothing needs announcing when it is back, since what is
cached is keyed by the site generation in the database (core/generation.py).
"""

import logging
import threading
import time

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.RedisError, OSError)
RETRY_SECONDS = 5.0

_client = None
_client_lock = threading.Lock()
_retry_at = 0.0
_down = False


def client():
    """The shared client, or None without REDIS_URL. Short timeouts: Redis down must not stall
    pages."""
    global _client
    if not settings.REDIS_URL:
        return None
    with _client_lock:
        if _client is None:
            _client = redis.Redis.from_url(
                settings.REDIS_URL,
                socket_timeout=settings.HITCOUNT_REDIS_TIMEOUT,
                socket_connect_timeout=settings.HITCOUNT_REDIS_TIMEOUT,
                decode_responses=True,
            )
        return _client


def available():
    """Whether Redis may be asked now: not within RETRY_SECONDS of a failure."""
    return time.monotonic() >= _retry_at


def failed(error):
    global _down, _retry_at
    if not _down:
        logger.warning("Redis unreachable (%s); going on without it", error)
    _down = True
    _retry_at = time.monotonic() + RETRY_SECONDS


def succeeded():
    global _down
    if _down:
        _down = False
        logger.warning("Redis reachable again")


def call(operation, when_down):
    """`operation()`, or `when_down()` while Redis is unreachable or when the call fails."""
    if not available():
        return when_down()
    try:
        result = operation()
    except UNREACHABLE as error:
        failed(error)
        return when_down()
    succeeded()
    return result


def reset():
    """A new client and no remembered failure (REDIS_URL changed, as in tests)."""
    global _client, _retry_at, _down
    with _client_lock:
        _client = None
    _retry_at, _down = 0.0, False
