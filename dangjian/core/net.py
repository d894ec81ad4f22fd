"""The client's address, honouring X-Forwarded-For only from a configured trusted proxy.

Behind a reverse proxy every request comes from the proxy's address: login throttling and the
audit log would see one client. ``DANGJIAN_TRUSTED_PROXIES`` names the proxies (addresses or
networks); from them, and only from them, the forwarded headers are believed. From anyone
else those headers are removed, so a client cannot pick its own address or claim HTTPS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def parse_networks(items: Iterable[str]) -> tuple[Network, ...]:
    """``["10.0.0.5", "10.1.0.0/16"]`` as networks; ImproperlyConfigured for anything else."""
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"DANGJIAN_TRUSTED_PROXIES: {item!r} is not an address or network"
            ) from exc
    return tuple(networks)


@lru_cache(maxsize=1)
def _trusted(configured: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(configured)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The client address: walk X-Forwarded-For from the right past our own trusted proxies.

    Each proxy appends the address it received the request from, so the rightmost entry that is
    not one of ours is the first address we did not add ourselves; anything left of it was
    written by the client and proves nothing.
    """
    if not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer  # garbage in the header: fall back to the proxy itself
        if not _is_trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


class TrustedProxyMiddleware:
    """Set REMOTE_ADDR to the real client behind a trusted proxy; drop forwarded headers otherwise."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        networks = _trusted(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
        peer = meta.get("REMOTE_ADDR", "")
        if networks and _is_trusted(peer, networks):
            meta["DANGJIAN_PROXY_ADDR"] = peer
            meta["REMOTE_ADDR"] = forwarded_client(peer, meta.get("HTTP_X_FORWARDED_FOR", ""), networks)
        else:
            for header in _FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def client_address(request: HttpRequest | None) -> str:
    """The client's address as the trusted-proxy middleware left it ("" outside a request)."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""
