"""The client's address as this site trusts it: REMOTE_ADDR, or behind HITCOUNT_TRUSTED_PROXIES
reverse proxies the address the outermost of them saw. Click counting, login throttling and every
rate limit use it, so a forged X-Forwarded-For changes none of them. And whether the Host a client
sent is the site's usual one, which the caches key by."""

import ipaddress

from django.conf import settings
from django.http.request import split_domain_port


def _parse_ip(value):
    value = value.strip()
    if value.startswith("["):  # [IPv6]:port
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def client_ip(request):
    """The reader's address: REMOTE_ADDR, or with HITCOUNT_TRUSTED_PROXIES = N the address the
    outermost of our N proxies saw, which is the N-th from the end of X-Forwarded-For + REMOTE_ADDR.
    Addresses a client put further left cannot be trusted and are ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.HITCOUNT_TRUSTED_PROXIES
    if proxies > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        chain = [*forwarded, remote]
        candidate = _parse_ip(chain[-(proxies + 1)] if len(chain) > proxies else chain[0])
        if candidate:
            return candidate
    return _parse_ip(remote) or remote


def usual_host(request):
    """Whether the Host header names the port the server listens on, or none. ALLOWED_HOSTS
    checks only the name: a client may send any port with it, and a cache keyed by the Host
    would keep a copy for each (with that port in its links)."""
    _name, port = split_domain_port(request.get_host())
    return not port or port == str(request.get_port())
