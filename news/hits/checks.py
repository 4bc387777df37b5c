"""The deployment check (`manage.py check --deploy`) that Redis keeps buffered views on disk.

With REDIS_URL, views wait in Redis for up to HITCOUNT_FLUSH_INTERVAL seconds (longer while the
database is away) before a flush moves them to the database. A Redis that keeps nothing on disk
loses them all when it restarts: measured, 924 views in one restart. Only the append-only file
(`appendonly yes`) keeps them; RDB snapshots (`save`) lose the minutes since the last one. So the
check asks Redis itself, and warns when it cannot tell (CONFIG renamed or refused, as managed
Redis services do, or Redis unreachable at check time) rather than failing the command.
"""

from django.conf import settings
from django.core import checks
from redis import Redis, RedisError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

ASK_SECONDS = 2


def redis_keeps_buffered_views(app_configs=None, **kwargs):
    if not settings.REDIS_URL or not settings.HITCOUNT_ENABLED:
        return []
    client = Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=ASK_SECONDS,
        socket_connect_timeout=ASK_SECONDS,
        decode_responses=True,
    )
    try:
        appendonly = client.config_get("appendonly").get("appendonly")
    except (RedisConnectionError, RedisTimeoutError, OSError) as error:
        return [unreachable(error)]
    except RedisError as error:  # CONFIG renamed away, or refused to this user
        return [not_verified(error)]
    finally:
        client.close()
    if appendonly is None:
        return [not_verified("CONFIG GET appendonly gave no value")]
    if appendonly != "yes":
        return [
            checks.Warning(
                "Redis buffers click counts without an append-only file (appendonly is "
                f"{appendonly!r}): a restart loses the views not yet flushed (at best those "
                "since its last snapshot).",
                hint="Set `appendonly yes` (with the default `appendfsync everysec`) in "
                "redis.conf, or `CONFIG SET appendonly yes` and `CONFIG REWRITE`.",
                id="hits.W001",
            )
        ]
    return []


def not_verified(error):
    return checks.Warning(
        f"Could not verify that Redis keeps buffered click counts on disk ({error}).",
        hint="CONFIG looks renamed or refused. Make sure the server runs with `appendonly yes`, "
        "then silence this with SILENCED_SYSTEM_CHECKS = ['hits.W002'] in your settings.",
        id="hits.W002",
    )


def unreachable(error):
    return checks.Warning(
        f"Could not reach Redis at REDIS_URL to verify that it keeps buffered click counts on "
        f"disk ({error}).",
        hint="Run the check where Redis answers; the site itself counts into the database "
        "while Redis is away.",
        id="hits.W003",
    )
