"""The one permission vocabulary: what a user may see, open and change.

Every list, detail, edit and export view reads through ``restrict()`` / ``get_in_scope()``;
every page states who may open it with ``@access(...)``; every ``do_*`` action checks its own
permission with ``check_write()`` / ``check_oversee()``. Nothing else in the project tests
roles or reaches by hand.

**Reach.** A role reaches the whole agency (``Reach.ALL``: 系统管理员, 机关党委/党组, 纪检), one
organization's subtree (``Reach.SUBTREE``: 党务干部/支部书记), only the member's own record
(``Reach.SELF``: 党员) or nothing (``Reach.NONE``: no role). Writing and seeing unmasked personal
data are separate switches on the role (纪检 reads all and writes nothing, sees IDs masked).

**403 or 404 — the one rule.**

1. Not logged in: redirected to the login page (the login middleware).
2. A page meant for a group of roles the user is not in (an ordinary member opening the
   compliance dashboard; a 支部书记 opening the audit log): **403**, with a message naming who
   may. A page's existence is no secret; the URL list is the same for everyone.
3. A record named in the URL or the query (``/members/17/``, ``?org=5``) that lies outside the
   user's reach: **404**, whatever the page and whatever the method, as if it did not exist, so
   ids cannot be probed.
4. A change to a record the user may see but not change (纪检 and 党员 everywhere; a supervisor's
   step such as approving a plan, asked by the branch's own secretary): **403**.

Models say how they hang from the organization tree with class attributes:

- ``scope_org``: the lookup from the model to its ``Organization`` ("" for Organization itself);
- ``scope_self``: the lookup from the model to the member it belongs to (for the member role).

A model may instead define ``scope_q(cls, scope) -> Q`` for anything more particular.

``acting_user=None`` in an action means the system itself (the demo builder, a data migration,
the CLI run without ``--user`` by whoever operates the server): it passes every check. Web views
always pass ``request.user``, which is never None.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import astuple, dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from dangjian.core.choices import ROLE_PERSONAL_DATA, ROLE_REACH, ROLE_WRITES, Reach, RoleKind

__all__ = [
    "Access",
    "Audience",
    "NO_SCOPE",
    "Reach",
    "Scope",
    "access",
    "can_see_personal_data",
    "check_oversee",
    "check_supervisor",
    "check_write",
    "get_access",
    "get_in_scope",
    "get_scope",
    "require",
    "require_officer",
    "require_write",
    "restrict",
]

M = TypeVar("M", bound=Model)
V = TypeVar("V", bound=Callable[..., Any])

NOT_FOUND = "记录不存在或不在您的权限范围内。"
READ_ONLY = "您的角色只能查看，不能修改。"


class Audience(enum.StrEnum):
    """Who may open a page at all (rule 2); records inside it are still limited by reach."""

    PUBLIC = "public"  # no login needed (login page, a token-protected feed)
    ANYONE = "anyone"  # any logged-in user; a user without a role sees empty lists
    MEMBERS = "members"  # any role, the ordinary member included (sees their own records)
    OFFICERS = "officers"  # roles that reach organizations: admin, 机关党委, 党务干部, 纪检
    SUPERVISORS = "supervisors"  # roles that reach the whole agency and write: admin, 机关党委
    ADMIN = "admin"  # 系统管理员 only

    @property
    def label(self) -> str:
        return {
            Audience.PUBLIC: "所有人",
            Audience.ANYONE: "已登录用户",
            Audience.MEMBERS: "党员及党务工作人员",
            Audience.OFFICERS: "党务干部、机关党委和纪检",
            Audience.SUPERVISORS: "机关党委/党组和系统管理员",
            Audience.ADMIN: "系统管理员",
        }[self]


@dataclass(frozen=True)
class Scope:
    """What one user reaches: the whole agency, an organization's subtree, or only themselves."""

    kind: str | None
    reach: Reach
    org_id: int | None = None
    org_path: str | None = None
    member_id: int | None = None
    can_write: bool = False
    personal_data: bool = False
    is_system: bool = False

    @property
    def label(self) -> str:
        if self.is_system:
            return "系统"
        return RoleKind(self.kind).label if self.kind else "无角色"

    @property
    def cache_key(self) -> str:
        """Every field of the scope, for caching what was derived under it: two users share a
        cached figure only when nothing the scope decides differs between them."""
        return "|".join(str(value) for value in astuple(self))

    # ---- the vocabulary -----------------------------------------------------------------------
    @property
    def is_officer(self) -> bool:
        """Reaches organizations (not just their own record): the gate of every officer page."""
        return self.reach in (Reach.ALL, Reach.SUBTREE)

    @property
    def is_supervisor(self) -> bool:
        """Oversees the whole agency and may write: 机关党委/党组 and 系统管理员."""
        return self.is_system or self.kind in (RoleKind.ADMIN, RoleKind.AGENCY_OFFICER)

    @property
    def is_admin(self) -> bool:
        return self.is_system or self.kind == RoleKind.ADMIN

    @property
    def whole_agency(self) -> bool:
        return self.reach == Reach.ALL

    @property
    def only_self(self) -> bool:
        """An ordinary member: reaches their own records and nothing else."""
        return self.reach == Reach.SELF

    def allows(self, audience: Audience) -> bool:
        """Whether this user belongs to ``audience`` (rule 2)."""
        if audience in (Audience.PUBLIC, Audience.ANYONE):
            return True
        if audience == Audience.MEMBERS:
            return self.reach != Reach.NONE
        if audience == Audience.OFFICERS:
            return self.is_officer
        if audience == Audience.SUPERVISORS:
            return self.is_supervisor
        return self.is_admin

    def covers(self, org: Any) -> bool:
        """Whether ``org`` (an Organization, or its path) lies inside this user's reach."""
        if self.reach == Reach.ALL:
            return True
        if self.reach != Reach.SUBTREE or not self.org_path or org is None:
            return False
        path = org if isinstance(org, str) else getattr(org, "path", "")
        return bool(path) and path.startswith(self.org_path)

    def can_write_in(self, org: Any) -> bool:
        """May write records of ``org``: a writing role whose reach covers it."""
        return self.can_write and self.covers(org)

    def oversees(self, org: Any) -> bool:
        """May approve, return, verify or reopen ``org``'s records (审批督导).

        The 机关党委 and administrators oversee every organization; an officer oversees only the
        organizations strictly below their own, so a branch secretary never approves their own
        branch's plan.
        """
        if self.is_supervisor:
            return True
        if self.kind != RoleKind.ORG_OFFICER or not self.org_path or org is None:
            return False
        path = org if isinstance(org, str) else getattr(org, "path", "")
        return bool(path) and path.startswith(self.org_path) and path != self.org_path

    def org_q(self, lookup: str) -> Q:
        """Q limiting ``lookup`` (a path to an Organization, "" for the model itself) to the reach."""
        prefix = f"{lookup}__" if lookup else ""
        if self.reach == Reach.ALL:
            return Q()
        if self.reach == Reach.SUBTREE and self.org_path:
            return Q(**{f"{prefix}path__startswith": self.org_path})
        return Q(pk__in=[])


NO_SCOPE = Scope(kind=None, reach=Reach.NONE)
SYSTEM_SCOPE = Scope(kind=RoleKind.ADMIN, reach=Reach.ALL, can_write=True, personal_data=True, is_system=True)


def get_scope(user: Any) -> Scope:
    """Work out (once per user object) what ``user`` may reach; None is the system itself."""
    if user is None:
        return SYSTEM_SCOPE
    if not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    cached = getattr(user, "_dangjian_scope", None)
    if cached is not None:
        return cached
    role = _role(user)
    if role is None:
        scope = (
            Scope(kind=RoleKind.ADMIN, reach=Reach.ALL, can_write=True, personal_data=True)
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


def _role(user: Any) -> Any:
    """The user's role (None without one), with its organization in the same query.

    Every page needs both for the scope: read through the reverse accessor they were two
    queries on each request. (Not the member too: reading that table here would make every
    page, the "system busy" answer included, wait on a write to the roster.)
    """
    from dangjian.core.models import Role

    relation = Role._meta.get_field("user").remote_field
    if relation.is_cached(user):
        return relation.get_cached_value(user)
    if user.pk is None:
        return None
    role = Role.objects.select_related("organization").filter(user_id=user.pk).first()
    relation.set_cached_value(user, role)
    return role


# ---- reading ------------------------------------------------------------------------------------


def scope_q(model: type[Model], scope: Scope) -> Q:
    custom = getattr(model, "scope_q", None)
    if custom is not None:
        return custom(scope)
    if scope.reach == Reach.SELF:
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
    if scope.reach == Reach.NONE or (action == "change" and not scope.can_write):
        return queryset.none()
    q = scope_q(queryset.model, scope)
    return queryset.filter(q) if q else queryset


def get_in_scope(queryset: QuerySet[M], user: Any, **lookup: Any) -> M:
    """Fetch one record inside the user's reach, or raise 404 as if it did not exist (rule 3)."""
    try:
        return restrict(queryset, user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404(NOT_FOUND) from exc


def can_see_personal_data(user: Any, member: Any) -> bool:
    """Whether ``user`` may see ``member``'s unmasked personal data (ID number, phone …)."""
    scope = get_scope(user)
    if scope.member_id is not None and scope.member_id == getattr(member, "pk", None):
        return True
    if not scope.personal_data:
        return False
    return scope.covers(getattr(member, "organization", None))


# ---- gates for pages (rule 2) -------------------------------------------------------------------


def require(user: Any, audience: Audience) -> Scope:
    """Refuse (403) a user outside ``audience``; returns their scope."""
    scope = get_scope(user)
    if not scope.allows(audience):
        raise PermissionDenied(f"此页面仅供{audience.label}使用。")
    return scope


def require_officer(user: Any) -> Scope:
    """The officer gate: 403 unless the role reaches organizations."""
    return require(user, Audience.OFFICERS)


# ---- gates for writes (rule 4); actions call these themselves -------------------------------------


def require_write(user: Any) -> Scope:
    """Refuse (403) any write by a role that may only read."""
    scope = get_scope(user)
    if not scope.can_write:
        raise PermissionDenied(READ_ONLY)
    return scope


def check_write(user: Any, org: Any, what: str = "") -> Scope:
    """Refuse (403) a write to ``org``'s records by a user who may not write there.

    Actions call this for the organization the record belongs to, so the CLI, the admin and any
    future API obey the same rule as the pages. ``what`` completes "您无权…" in the message.
    """
    scope = require_write(user)
    if not scope.covers(org):
        name = getattr(org, "name", "该组织")
        raise PermissionDenied(f"您无权{what or '修改'}{name}的记录。")
    return scope


def check_oversee(user: Any, org: Any, what: str) -> Scope:
    """Refuse (403) a supervisor's step (approve, verify, reopen …) by someone who does not oversee ``org``."""
    scope = get_scope(user)
    if not (scope.can_write and scope.oversees(org)):
        name = getattr(org, "name", "该组织")
        raise PermissionDenied(f"您无权{what}{name}的记录，须由机关党委（或上级党组织）办理。")
    return scope


def check_supervisor(user: Any, what: str) -> Scope:
    """Refuse (403) an agency-wide step (活动类型、报告体例 …) by anyone but 机关党委/党组 and admins."""
    scope = get_scope(user)
    if not (scope.can_write and scope.is_supervisor):
        raise PermissionDenied(f"只有机关党委/党组或系统管理员可以{what}。")
    return scope


# ---- declarations kept next to each view ----------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """Who may open a view, whether it writes, and what the record in its URL is.

    ``target`` names the model whose id the URL carries (``"orgs.Organization"``), so the access
    matrix test can request the view with a record inside and outside each persona's reach.
    ``query`` names query parameters that carry such ids (``{"org": "orgs.Organization"}``).
    ``writes`` says a POST changes data; ``get_writes`` that even its GET needs write rights (a
    form that only a writer may fill in, a writer's download);
    ``oversee`` that the write is a supervisor's step (rule 4 for a branch's own secretary);
    ``post_only`` that a GET answers 405; ``query_required`` that without its query record the
    page answers 404 (there is nothing to show).
    """

    audience: Audience
    writes: bool = False
    get_writes: bool = False
    oversee: bool = False
    post_only: bool = False
    target: str | None = None
    query: tuple[tuple[str, str], ...] = ()
    query_required: bool = False
    download: bool = False
    note: str = ""


def access(
    audience: Audience,
    *,
    writes: bool = False,
    get_writes: bool = False,
    oversee: bool = False,
    post_only: bool = False,
    target: str | None = None,
    query: dict[str, str] | None = None,
    query_required: bool = False,
    download: bool = False,
    note: str = "",
) -> Callable[[V], V]:
    """Declare who may open the view and enforce rule 2 (the audience) before it runs.

    It also refuses (403) a write by a read-only role: any method when ``get_writes``, a POST when
    ``writes``. Rule 3 and the organization part of rule 4 stay with the view and the action
    (they need the record); ``tests/test_access_matrix.py`` holds every URL to the declaration.
    """
    declared = Access(
        audience=audience,
        writes=writes or oversee,
        get_writes=get_writes,
        oversee=oversee,
        post_only=post_only,
        target=target,
        query=tuple(sorted((query or {}).items())),
        query_required=query_required,
        download=download,
        note=note,
    )

    def decorate(view: V) -> V:
        import functools

        from django.contrib.auth.decorators import login_not_required

        @functools.wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            if audience != Audience.PUBLIC:
                require(request.user, audience)
            if post_only and request.method != "POST":
                from django.http import HttpResponseNotAllowed

                return HttpResponseNotAllowed(["POST"])
            # A read-only role reaches every record it may see, so refusing its writes here never
            # turns a 404 (rule 3) into a 403; the action still checks the record's organization.
            if declared.get_writes or (declared.writes and request.method == "POST"):
                require_write(request.user)
            return view(request, *args, **kwargs)

        wrapped.access = declared  # type: ignore[attr-defined]
        if audience == Audience.PUBLIC:
            wrapped = login_not_required(wrapped)
        return wrapped  # type: ignore[return-value]

    return decorate


def get_access(view: Any) -> Access | None:
    """The declaration of a view function or class-based view, if any."""
    found = getattr(view, "access", None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, "access", None)
    return found if isinstance(found, Access) else None
