"""Cached views of the live page tree (menu, breadcrumbs, neighbours, home lists).

Every entry is keyed by a tree version that is replaced whenever any page is published, unpublished,
moved or deleted, so nothing here can outlive the change that made it stale. Values are plain data
(titles and URLs), never model instances.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "news:tree-version"
MISSING = object()


def tree_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def remember(name, compute):
    """The cached value of `compute()` for the current tree; `None` results are cached too."""
    key = f"news:tree:{tree_version()}:{name}"
    value = cache.get(key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(key, value, settings.TREE_CACHE_TIMEOUT)
    return value


def forget_tree():
    cache.set(VERSION_KEY, time.time_ns(), None)
    # A reader between the change and its commit may have cached the old tree under the new version.
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))
