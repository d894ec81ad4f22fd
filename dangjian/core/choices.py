"""Roles and the actions a role may take; the single table the scope helper reads."""

from __future__ import annotations

import enum

from django.db import models


class RoleKind(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    AGENCY_OFFICER = "agency_officer", "机关党委/党组"
    ORG_OFFICER = "org_officer", "党务干部/支部书记"
    DISCIPLINE = "discipline", "纪检"
    MEMBER = "member", "党员"


class Reach(enum.StrEnum):
    """How far a role reaches in the organization tree (see core.scope for the whole vocabulary)."""

    ALL = "all"  # the whole agency
    SUBTREE = "subtree"  # its organization and everything below
    SELF = "self"  # its own member record
    NONE = "none"  # nothing (no role)


# What each role reaches. Writes and personal data are separate switches.
ROLE_REACH = {
    RoleKind.ADMIN: Reach.ALL,
    RoleKind.AGENCY_OFFICER: Reach.ALL,
    RoleKind.ORG_OFFICER: Reach.SUBTREE,
    RoleKind.DISCIPLINE: Reach.ALL,
    RoleKind.MEMBER: Reach.SELF,
}
ROLE_WRITES = {RoleKind.ADMIN, RoleKind.AGENCY_OFFICER, RoleKind.ORG_OFFICER}
# 纪检 reads every ledger but, on the principle of least privilege, sees ID numbers masked.
ROLE_PERSONAL_DATA = {RoleKind.ADMIN, RoleKind.AGENCY_OFFICER, RoleKind.ORG_OFFICER}


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    ACTION = "action", "操作"
