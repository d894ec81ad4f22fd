"""The built-in activity types (GLOSSARY.md), created by a data migration and kept after flushes."""

from __future__ import annotations

from typing import Any


def ensure_builtin_types(activity_type_model: Any) -> None:
    """Create or update the built-in types and the types each may also count as (idempotent)."""
    from dangjian.activities.choices import BUILTIN_TYPES, TALK_TYPES

    # Data migrations pass the model as it was then: set only the fields it already has.
    has_talk_flag = any(f.name == "is_talk" for f in activity_type_model._meta.get_fields())
    by_code = {}
    for order, (code, name, org_life, attendance, _also) in enumerate(BUILTIN_TYPES, start=1):
        defaults = {
            "name": name,
            "counts_as_org_life": org_life,
            "takes_attendance": attendance,
            "is_builtin": True,
            "order": order * 10,
        }
        if has_talk_flag:
            defaults["is_talk"] = code in TALK_TYPES
        obj, _ = activity_type_model.objects.update_or_create(code=code, defaults=defaults)
        by_code[code] = obj
    for code, _name, _org_life, _attendance, also in BUILTIN_TYPES:
        by_code[code].may_also_count_as.set([by_code[c] for c in also])


def sync_builtin_types(sender: Any = None, **kwargs: Any) -> None:
    """post_migrate: a test database flush removes data-migration rows; put the types back."""
    from dangjian.activities.models import ActivityType

    ensure_builtin_types(ActivityType)
