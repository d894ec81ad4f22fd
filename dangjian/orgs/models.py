"""The organization tree (党组, 机关党委, 党总支, 党支部, 党小组) and committee terms."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse

from dangjian.core.dates import add_years, today
from dangjian.core.models import AuditedModel
from dangjian.orgs.choices import TERM_SOURCE, TERM_WARNING_DAYS, TERM_YEARS, OrgKind

# Which kinds may sit under which (a 党小组 only inside a 党支部 or 党总支, and so on).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    OrgKind.LEADING_GROUP: {None},
    OrgKind.ORGAN_COMMITTEE: {None, OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE},
    OrgKind.GENERAL_BRANCH: {None, OrgKind.ORGAN_COMMITTEE, OrgKind.LEADING_GROUP},
    OrgKind.BRANCH: {None, OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.LEADING_GROUP},
    OrgKind.CELL: {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH},
}


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def subtree(self, org: Organization) -> OrganizationQuerySet:
        """The organization and everything below it, in one query on the materialized path."""
        return self.filter(path__startswith=org.path)

    def active(self, on: datetime.date | None = None) -> OrganizationQuerySet:
        day = on or today()
        return self.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))

    def of_kind(self, *kinds: str) -> OrganizationQuerySet:
        return self.filter(kind__in=kinds)

    def in_tree_order(self) -> list[Organization]:
        """Depth-first order with siblings by ``order`` then name, computed from one query."""
        return tree_order(self)


def tree_order(found: Iterable[Organization]) -> list[Organization]:
    """``found`` depth-first, siblings by ``order`` then name; one whose parent is not among them
    starts a tree of its own (so a part of the tree, a filter's options, keeps its shape)."""
    orgs = list(found)
    children: dict[int | None, list[Organization]] = {}
    ids = {o.pk for o in orgs}
    for org in orgs:
        parent = org.parent_id if org.parent_id in ids else None
        children.setdefault(parent, []).append(org)
    ordered: list[Organization] = []

    def walk(parent: int | None) -> None:
        for child in sorted(children.get(parent, []), key=lambda o: (o.order, o.name)):
            ordered.append(child)
            walk(child.pk)

    walk(None)
    return ordered


class Organization(AuditedModel):
    """A party organization in the agency's tree, with a materialized path for subtree queries."""

    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("类别", max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveIntegerField("排序", default=0)
    # "/1/4/9/": ids from the root down; a subtree is one ``path LIKE '/1/4/%'`` query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    established_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("撤销日期", null=True, blank=True)
    has_committee = models.BooleanField(
        "设支部委员会",
        default=True,
        help_text="正式党员不足7人的支部不设支委会，只设书记（支部工作条例第二十条）。",
    )
    description = models.TextField("说明", blank=True)

    objects = OrganizationQuerySet.as_manager()

    scope_org = ""
    # path/depth are derived from parent; logging them would add a second entry to every create.
    audit_exclude = ("created_at", "updated_at", "path", "depth")

    class Meta:
        ordering = ["path"]
        verbose_name = verbose_name_plural = "党组织"
        # The roster sorts by organization order then name across the whole agency.
        indexes = [models.Index(fields=["order", "name"], name="org_order_name_idx")]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:  # type: ignore[no-untyped-def]
        if scope.only_self:
            # A member sees the organizations they belong to (branch and cell), nothing else.
            return Q(members__pk=scope.member_id) | Q(cell_members__pk=scope.member_id)
        return scope.org_q("")

    def clean(self) -> None:
        parent_kind = self.parent.kind if self.parent_id else None
        allowed = ALLOWED_PARENTS.get(self.kind, set())
        if parent_kind not in allowed:
            parent_label = OrgKind(parent_kind).label if parent_kind else "顶层"
            raise ValidationError({"parent": f"{self.get_kind_display()}不能设在{parent_label}之下。"})
        if self.pk and self.parent_id and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": "不能把组织移到它自己的下级组织之下。"})
        if self.established_on and self.dissolved_on and self.dissolved_on < self.established_on:
            raise ValidationError({"dissolved_on": "撤销日期不能早于成立日期。"})
        if self.kind == OrgKind.CELL:
            self.has_committee = False

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        parent_path = self.parent.path if self.parent_id else "/"
        with transaction.atomic():
            if not self.pk:
                # The path needs the new id: insert, then set the path with a plain UPDATE so
                # that post_save (and the audit log) fires once, not twice.
                super().save(*args, **kwargs)
                self.path = f"{parent_path}{self.pk}/"
                self.depth = self.path.count("/") - 2
                Organization.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                return
            old_path = self.path
            self.path = f"{parent_path}{self.pk}/"
            self.depth = self.path.count("/") - 2
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                self._move_descendants(old_path)

    def _move_descendants(self, old_path: str) -> None:
        for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
            child.path = self.path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth", "updated_at"])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self) -> list[Organization]:
        by_id = Organization.objects.in_bulk(self.ancestor_ids)
        return [by_id[i] for i in self.ancestor_ids if i in by_id]

    @property
    def full_name(self) -> str:
        return " / ".join([*(a.name for a in self.ancestors()), self.name])

    def is_active_on(self, day: datetime.date) -> bool:
        started = self.established_on is None or self.established_on <= day
        return started and (self.dissolved_on is None or self.dissolved_on > day)

    @property
    def term_years(self) -> int | None:
        return TERM_YEARS.get(self.kind)

    def current_term(self) -> Term | None:
        return self.terms.filter(ended_on__isnull=True).order_by("-elected_on").first()


class TermStatus(models.TextChoices):
    CURRENT = "current", "任期内"
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已超期"
    ENDED = "ended", "已换届"


class TermQuerySet(models.QuerySet["Term"]):
    def open(self) -> TermQuerySet:
        return self.filter(ended_on__isnull=True)

    def due_within(self, days: int = TERM_WARNING_DAYS, on: datetime.date | None = None) -> TermQuerySet:
        """Open terms whose re-election falls due within ``days`` (or is already overdue)."""
        day = on or today()
        return self.open().filter(due_on__lte=day + datetime.timedelta(days=days))


class Term(AuditedModel):
    """One elected committee's term: elected on, length by kind, due date, and when it ended."""

    organization = models.ForeignKey(
        Organization, verbose_name="党组织", on_delete=models.PROTECT, related_name="terms"
    )
    elected_on = models.DateField("选举日期")
    length_years = models.PositiveSmallIntegerField("任期（年）")
    # Stored because lists and warnings filter on it; always recomputed from elected_on + length.
    due_on = models.DateField("届满日期", editable=False)
    ended_on = models.DateField("换届日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = TermQuerySet.as_manager()
    scope_org = "organization"

    class Meta:
        ordering = ["organization", "-elected_on"]
        verbose_name = verbose_name_plural = "任期"

    def __str__(self) -> str:
        return f"{self.organization.name} {self.elected_on:%Y年%m月}选举"

    def get_absolute_url(self) -> str:
        return self.organization.get_absolute_url() + "#terms"

    @property
    def source(self) -> str:
        return TERM_SOURCE.get(self.organization.kind, "")

    def clean(self) -> None:
        if self.organization_id and self.organization.term_years is None:
            raise ValidationError(
                {"organization": f"{self.organization.get_kind_display()}不实行选举任期制。"}
            )
        if not self.length_years and self.organization_id:
            self.length_years = self.organization.term_years or 0
        if self.ended_on and self.elected_on and self.ended_on < self.elected_on:
            raise ValidationError({"ended_on": "换届日期不能早于选举日期。"})
        if self.elected_on and self.elected_on > today():
            raise ValidationError({"elected_on": "选举日期不能晚于今天。"})

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.length_years:
            self.length_years = self.organization.term_years or 3
        self.due_on = add_years(self.elected_on, self.length_years)
        super().save(*args, **kwargs)

    def status(self, on: datetime.date | None = None) -> TermStatus:
        day = on or today()
        if self.ended_on:
            return TermStatus.ENDED
        if self.due_on < day:
            return TermStatus.OVERDUE
        if (self.due_on - day).days <= TERM_WARNING_DAYS:
            return TermStatus.DUE_SOON
        return TermStatus.CURRENT

    def days_left(self, on: datetime.date | None = None) -> int:
        return (self.due_on - (on or today())).days
