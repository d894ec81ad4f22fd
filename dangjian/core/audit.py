"""The audit log: who changed what, when, with each field's before and after value.

Every save or delete of an ``AuditedModel`` is logged by the signal handlers below, so a
change made through a view, an import, the CLI or the Django admin cannot slip past. The
acting user is carried in a context variable that the middleware sets for web requests and
``acting()`` sets for actions and commands.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import json
import time
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dangjian.core.choices import AuditAction
from dangjian.core.models import AuditedModel, AuditLog

_actor: ContextVar[tuple[Any, str]] = ContextVar("dangjian_audit_actor", default=(None, "system"))


@contextlib.contextmanager
def acting(user: Any, via: str = "web") -> Iterator[None]:
    """Attribute every audited change inside the block to ``user`` (None for the system)."""
    token = _actor.set((user if getattr(user, "is_authenticated", False) else None, via))
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> tuple[Any, str]:
    return _actor.get()


_VERSION_KEY = "dangjian:ledger-version"


def ledger_version() -> int:
    """A number that changes whenever any audited record changes: a key for derived caches.

    Warnings and dashboards are derived from the ledgers; caching them under this version means
    a recorded meeting clears a stale warning on the very next page load.

    The value is a fresh clock reading at every change, never a small counter: a counter that
    was lost (the cache cleared, the key culled or expired) would start again at a number some
    entry from earlier in the day was already cached under, and serve it.
    """
    from django.core.cache import cache

    version = cache.get(_VERSION_KEY)
    if version is None:
        cache.add(_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(_VERSION_KEY, 0)
    return version


def _set_version() -> None:
    from django.core.cache import cache

    # A new value, not incr(): incr() on the file cache is a read and a write (two processes
    # may both land on the same number) and re-sets the key with the default 5-minute expiry.
    cache.set(_VERSION_KEY, time.time_ns(), timeout=None)


def _bump_version() -> None:
    _set_version()
    # Again once the change is committed: another process that read the ledger between the
    # save and the commit cached the old rows under the version set above.
    transaction.on_commit(_set_version)


def ledger_changed() -> None:
    """For writes that pass the audit signals (SQL, bulk updates of derived tables): derived
    caches keyed by ``ledger_version`` must not outlive them."""
    _bump_version()


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict | list):
        # A JSON field (a report genre's body) stays a structure, so the log page can say what it
        # is instead of printing Python's repr of it.
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            return str(value)
        return value
    return str(value)


def _entry(obj: Model, action: str, changes: dict[str, Any], verb: str = "") -> AuditLog:
    user, via = current_actor()
    return AuditLog(
        actor=user,
        actor_name=user.get_username() if user else "系统",
        via=via,
        action=action,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes,
    )


def record(obj: Model, verb: str, changes: dict[str, Any] | None = None) -> AuditLog:
    """Log a named action on ``obj`` (a transfer, an approval) beyond the field diff."""
    entry = _entry(obj, AuditAction.ACTION, {k: _jsonable(v) for k, v in (changes or {}).items()}, verb)
    entry.save()
    _bump_version()
    return entry


def record_event(
    model: type[Model],
    object_id: Any,
    object_repr: str,
    verb: str,
    changes: dict[str, Any] | None = None,
    *,
    actor: Any = None,
    actor_name: str | None = None,
    via: str | None = None,
) -> AuditLog:
    """Log a security event (a login, a download, a password change) that is no ledger change.

    Unlike ``record()`` it names the actor itself (at login the request has no user yet), may
    concern no existing row (a failed login for an unknown name) and leaves the ledger version
    alone: signing in must not throw away every derived cache.
    """
    if actor is None:
        actor, default_via = current_actor()
    else:
        default_via = current_actor()[1]
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name or (actor.get_username() if getattr(actor, "pk", None) else "系统"),
        via=via or default_via,
        action=AuditAction.ACTION,
        verb=verb[:60],
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(object_id or "")[:40],
        object_repr=object_repr[:200],
        changes={
            k: [_jsonable(x) for x in v] if isinstance(v, list | tuple) else _jsonable(v)
            for k, v in (changes or {}).items()
        },
    )


def record_bulk_create(objs: Iterable[AuditedModel], verb: str = "") -> None:
    """bulk_create skips signals; imports call this so their rows are logged all the same."""
    entries = [
        _entry(
            obj, AuditAction.CREATE, {k: [None, _jsonable(v)] for k, v in obj.audit_values().items()}, verb
        )
        for obj in objs
    ]
    AuditLog.objects.bulk_create(entries, batch_size=1000)
    _bump_version()
    for obj in objs:
        obj._audit_loaded = obj.audit_values()


def record_bulk_update(objs: Iterable[AuditedModel], verb: str = "") -> None:
    """bulk_update skips signals too: log each object's changed fields (objects loaded from the db)."""
    objs = list(objs)
    entries = []
    for obj in objs:
        changes = diff(obj)
        changes.pop("updated_at", None)
        if changes:
            entries.append(_entry(obj, AuditAction.UPDATE, changes, verb))
    AuditLog.objects.bulk_create(entries, batch_size=1000)
    _bump_version()
    for obj in objs:
        obj._audit_loaded = obj.audit_values()


def diff(obj: AuditedModel) -> dict[str, list[Any]]:
    before = getattr(obj, "_audit_loaded", None) or {}
    after = obj.audit_values()
    return {
        key: [_jsonable(before.get(key)), _jsonable(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


@receiver(post_save)
def _log_save(sender: type, instance: Model, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    _bump_version()
    if created:
        changes = {k: [None, _jsonable(v)] for k, v in instance.audit_values().items()}
        _entry(instance, AuditAction.CREATE, changes).save()
    else:
        changes = diff(instance)
        if changes:
            _entry(instance, AuditAction.UPDATE, changes).save()
    instance._audit_loaded = instance.audit_values()


@receiver(post_delete)
def _log_delete(sender: type, instance: Model, **kwargs: Any) -> None:
    if isinstance(instance, AuditedModel):
        _bump_version()
        changes = {k: [_jsonable(v), None] for k, v in instance.audit_values().items()}
        _entry(instance, AuditAction.DELETE, changes).save()
