"""The site's keyed hash: what recognises a reader (a click, a 征集 answer) or counts an address
against a limit (core/limits.py) without keeping who the reader is. An HMAC-SHA256 under SECRET_KEY, cut to 40 hex characters: the same parts always
give the same key on every worker, and nobody without the secret can go from a key back to an
address, nor try every address to find the one that made it."""

import hashlib
import hmac

from django.conf import settings

KEY_LENGTH = 40


def keyed_hash(*parts):
    """40 hex characters naming `parts` (strings, joined by "|") under the site's secret."""
    message = "|".join(parts)
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256)
    return digest.hexdigest()[:KEY_LENGTH]
