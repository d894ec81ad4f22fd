"""Roles and the actions a role may take; the single table the scope helper reads."""

from __future__ import annotations

from django.db import models


class RoleKind(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    AGENCY_OFFICER = "agency_officer", "机关党委/党组"
    ORG_OFFICER = "org_officer", "党务干部/支部书记"
    DISCIPLINE = "discipline", "纪检"
    MEMBER = "member", "党员"


# What each role reaches: "all" (the whole agency), "subtree" (its organization and below),
# "self" (its own member record). Writes and personal data are separate switches.
ROLE_REACH = {
    RoleKind.ADMIN: "all",
    RoleKind.AGENCY_OFFICER: "all",
    RoleKind.ORG_OFFICER: "subtree",
    RoleKind.DISCIPLINE: "all",
    RoleKind.MEMBER: "self",
}
ROLE_WRITES = {RoleKind.ADMIN, RoleKind.AGENCY_OFFICER, RoleKind.ORG_OFFICER}
# 纪检 reads every ledger but, on the principle of least privilege, sees ID numbers masked.
ROLE_PERSONAL_DATA = {RoleKind.ADMIN, RoleKind.AGENCY_OFFICER, RoleKind.ORG_OFFICER}


class AuditAction(models.TextChoices):
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    ACTION = "action", "操作"
