"""Typed environment-variable readers for settings.py.

Every setting that an operator may change comes from a ``DANGJIAN_*`` variable read through
one of these helpers, so a bad value fails at start-up with ImproperlyConfigured instead of
surfacing later as a confusing runtime error.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """Return DANGJIAN_SECRET_KEY, or a key generated once into var/ and reused afterwards."""
    configured = os.environ.get("DANGJIAN_SECRET_KEY")
    if configured:
        if len(configured) < 32:
            raise ImproperlyConfigured("DANGJIAN_SECRET_KEY must be at least 32 characters long")
        return configured
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # O_EXCL: two processes starting at once must not end up with different keys.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def cache_settings(url: str) -> dict[str, Any]:
    """Django's CACHES["default"] from ``file:///path``, ``redis://…`` or ``locmem://``.

    The cache holds the ledger version that keys derived figures, so with several server
    processes it must be one cache for all of them: a directory (one machine) or Redis (needs
    the ``redis`` package). ``locmem://`` is for a single process only.
    """
    scheme, _, rest = url.partition("://")
    if scheme == "file" and rest:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": rest,
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    if scheme in ("redis", "rediss") and rest:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    raise ImproperlyConfigured(f"DANGJIAN_CACHE_URL must be file:///dir, redis://… or locmem://, got {url!r}")


def email_settings(url: str) -> dict[str, Any]:
    """Django's EMAIL_* settings from DANGJIAN_EMAIL_URL; empty means no e-mail is sent at all.

    ``smtp://user:password@host:587`` (STARTTLS), ``smtps://user:password@host:465`` (TLS from
    the start), ``smtp+plain://host:25`` (an internal relay without encryption), ``console://``
    (print to the terminal, for development).
    """
    from urllib.parse import unquote, urlsplit

    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps", "smtp+plain") or not parts.hostname:
        raise ImproperlyConfigured(
            f"DANGJIAN_EMAIL_URL must be smtp://user:password@host:port, smtps://…, smtp+plain://… "
            f"or console://, got {url!r}"
        )
    try:
        port = parts.port or {"smtp": 587, "smtps": 465, "smtp+plain": 25}[parts.scheme]
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANGJIAN_EMAIL_URL has a bad port: {url!r}") from exc
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": parts.scheme == "smtp",
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_TIMEOUT": 20,
    }
