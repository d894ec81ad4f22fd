"""The one helper that limits what a user may see and change.

Every list, detail, edit and export view goes through ``restrict()`` (or ``get_in_scope()``),
so the rule "a branch secretary sees only their branch's subtree; a member sees only their
own record" lives here and nowhere else. A record outside the scope answers 404, as if it did
not exist; a read-only role gets 403 when it tries to write.

Models say how they relate to the organization tree with two class attributes:

- ``scope_org``: the lookup from the model to its ``Organization`` ("" for Organization itself);
- ``scope_self``: the lookup from the model to the member it belongs to (for the member role).

A model may instead define ``scope_q(cls, scope) -> Q`` for anything more particular.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from dangjian.core.choices import ROLE_PERSONAL_DATA, ROLE_REACH, ROLE_WRITES, RoleKind

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Scope:
    """What one user reaches: the whole agency, an organization's subtree, or only themselves."""

    kind: str | None
    reach: str  # "all" | "subtree" | "self" | "none"
    org_id: int | None = None
    org_path: str | None = None
    member_id: int | None = None
    can_write: bool = False
    personal_data: bool = False

    @property
    def label(self) -> str:
        return RoleKind(self.kind).label if self.kind else "无角色"

    def org_q(self, lookup: str) -> Q:
        """Q limiting ``lookup`` (a path to an Organization, "" for the model itself) to the scope."""
        prefix = f"{lookup}__" if lookup else ""
        if self.reach == "all":
            return Q()
        if self.reach == "subtree" and self.org_path:
            return Q(**{f"{prefix}path__startswith": self.org_path})
        return Q(pk__in=[])


NO_SCOPE = Scope(kind=None, reach="none")


def get_scope(user: Any) -> Scope:
    """Work out (once per request) what ``user`` may reach."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    cached = getattr(user, "_dangjian_scope", None)
    if cached is not None:
        return cached
    role = getattr(user, "role", None) if _has_role(user) else None
    if role is None:
        scope = (
            Scope(kind=RoleKind.ADMIN, reach="all", can_write=True, personal_data=True)
            if user.is_superuser
            else NO_SCOPE
        )
    else:
        kind = RoleKind(role.kind)
        org = role.organization
        scope = Scope(
            kind=kind,
            reach=ROLE_REACH[kind],
            org_id=org.pk if org else None,
            org_path=org.path if org else None,
            member_id=role.member_id,
            can_write=kind in ROLE_WRITES,
            personal_data=kind in ROLE_PERSONAL_DATA,
        )
    user._dangjian_scope = scope
    return scope


def _has_role(user: Any) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        user.role  # noqa: B018 - touching the reverse accessor is the check
    except ObjectDoesNotExist:
        return False
    return True


def scope_q(model: type[Model], scope: Scope) -> Q:
    custom = getattr(model, "scope_q", None)
    if custom is not None:
        return custom(scope)
    if scope.reach == "self":
        lookup = getattr(model, "scope_self", None)
        if lookup is None or scope.member_id is None:
            return Q(pk__in=[])
        return Q(**{lookup: scope.member_id})
    lookup = getattr(model, "scope_org", None)
    if lookup is None:
        raise TypeError(f"{model.__name__} declares neither scope_org nor scope_q")
    return scope.org_q(lookup)


def restrict(queryset: QuerySet[M], user: Any, action: str = "view") -> QuerySet[M]:
    """Limit ``queryset`` to the records ``user`` may see (action="view") or change ("change")."""
    scope = get_scope(user)
    if scope.reach == "none" or (action == "change" and not scope.can_write):
        return queryset.none()
    q = scope_q(queryset.model, scope)
    return queryset.filter(q) if q else queryset


def get_in_scope(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch one record inside the user's scope, or raise 404 as if it did not exist."""
    try:
        return restrict(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404("记录不存在或不在您的权限范围内。") from exc


def require_write(user: Any) -> None:
    """Refuse (403) a write by a role that may only read."""
    if not get_scope(user).can_write:
        raise PermissionDenied("您的角色只能查看，不能修改。")


def can_see_personal_data(user: Any, member: Any) -> bool:
    """Whether ``user`` may see ``member``'s unmasked personal data (e.g. the ID number)."""
    scope = get_scope(user)
    if scope.member_id is not None and scope.member_id == getattr(member, "pk", None):
        return True
    if not scope.personal_data:
        return False
    if scope.reach == "all":
        return True
    path = getattr(getattr(member, "organization", None), "path", "")
    return bool(scope.org_path and path.startswith(scope.org_path))
