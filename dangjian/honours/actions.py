"""Audited writes on honours and internal selections: record an honour, run a selection in rounds,
nominate, and record results (a member or organization selected gets the honour recorded at once).

Each function checks its own permission: a branch records honours of its own members and
organization; an internal selection is run by the organization that holds it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.scope import check_write
from dangjian.honours.choices import HonourLevel, NomineeResult
from dangjian.honours.models import Honour, Nominee, Selection, SelectionRound

HONOUR_FIELDS = (
    "title",
    "level",
    "grantor",
    "awarded_on",
    "organization",
    "member",
    "document_number",
    "note",
)
SELECTION_FIELDS = ("organization", "year", "kind", "name", "quota")


def _honour_org(fields: dict[str, Any]) -> None:
    # A member's honour belongs to the member's organization unless one above it is named.
    if fields.get("member") is not None and fields.get("organization") is None:
        fields["organization"] = fields["member"].organization


@transaction.atomic
def do_create_honour(*, acting_user: Any, via: str = "web", **fields: Any) -> Honour:
    with audit.acting(acting_user, via):
        data = {k: v for k, v in fields.items() if k in HONOUR_FIELDS}
        _honour_org(data)
        honour = Honour(**data)
        check_write(acting_user, honour.organization if honour.organization_id else None, "登记表彰于")
        honour.full_clean()
        honour.save()
    return honour


@transaction.atomic
def do_update_honour(honour: Honour, *, acting_user: Any, via: str = "web", **fields: Any) -> Honour:
    with audit.acting(acting_user, via):
        check_write(acting_user, honour.organization, "修改")
        data = {k: v for k, v in fields.items() if k in HONOUR_FIELDS}
        _honour_org(data)
        for name, value in data.items():
            setattr(honour, name, value)
        check_write(acting_user, honour.organization, "登记表彰于")
        honour.full_clean()
        honour.save()
    return honour


@transaction.atomic
def do_create_selection(*, acting_user: Any, via: str = "web", **fields: Any) -> Selection:
    with audit.acting(acting_user, via):
        selection = Selection(**{k: v for k, v in fields.items() if k in SELECTION_FIELDS})
        check_write(acting_user, selection.organization if selection.organization_id else None, "组织评选于")
        selection.full_clean()
        selection.save()
    return selection


@transaction.atomic
def do_add_round(
    selection: Selection, *, name: str, held_on: datetime.date, acting_user: Any, via: str = "web"
) -> SelectionRound:
    with audit.acting(acting_user, via):
        check_write(acting_user, selection.organization, "组织评选于")
        last = selection.rounds.order_by("-number").first()
        if last is not None and held_on < last.held_on:
            raise ValidationError(
                {"held_on": f"日期不能早于上一环节“{last.name}”（{last.held_on:%Y-%m-%d}）。"}
            )
        found = SelectionRound(
            selection=selection,
            number=(last.number + 1) if last else 1,
            name=(name or "").strip(),
            held_on=held_on,
        )
        found.full_clean()
        found.save()
    return found


@transaction.atomic
def do_nominate(
    selection: Selection, *, acting_user: Any, member: Any = None, organization: Any = None, via: str = "web"
) -> Nominee:
    with audit.acting(acting_user, via):
        check_write(acting_user, selection.organization, "组织评选于")
        where = member.organization if member is not None else organization
        if where is not None and not where.path.startswith(selection.organization.path):
            raise ValidationError(
                f"{member or organization}不在{selection.organization.name}的范围内，不能参加本次评选。"
            )
        if member is not None and selection.nominees.filter(member=member).exists():
            raise ValidationError({"member": f"{member.name}已在本次评选的名单中。"})
        if organization is not None and selection.nominees.filter(organization=organization).exists():
            raise ValidationError({"organization": f"{organization.name}已在本次评选的名单中。"})
        nominee = Nominee(selection=selection, member=member, organization=organization)
        nominee.full_clean()
        nominee.save()
    return nominee


@transaction.atomic
def do_record_result(
    nominee: Nominee,
    *,
    result: str,
    acting_user: Any,
    reached_round: int | None = None,
    votes: int | None = None,
    awarded_on: datetime.date | None = None,
    document_number: str = "",
    via: str = "web",
) -> Nominee:
    """How far a nominee got; one selected gets the honour (本机关 level) recorded with it."""
    selection = nominee.selection
    with audit.acting(acting_user, via):
        check_write(acting_user, selection.organization, "组织评选于")
        if result not in NomineeResult.values:
            raise ValidationError({"result": "结果无效。"})
        rounds = selection.rounds.count()
        if reached_round is not None:
            if rounds and not 1 <= reached_round <= rounds:
                raise ValidationError(
                    {"reached_round": f"本次评选共{rounds}个环节，进入轮次应在1到{rounds}之间。"}
                )
            nominee.reached_round = reached_round
        if result == NomineeResult.SELECTED:
            quota = selection.quota
            chosen = selection.nominees.filter(result=NomineeResult.SELECTED).exclude(pk=nominee.pk).count()
            if quota and chosen >= quota:
                raise ValidationError({"result": f"本次评选名额为{quota}个，已评出{chosen}个。"})
        nominee.result = result
        nominee.votes = votes
        if result == NomineeResult.SELECTED and nominee.honour_id is None:
            last = selection.rounds.order_by("-number").first()
            day = awarded_on or (last.held_on if last else None)
            if day is None:
                raise ValidationError({"awarded_on": "请填写表彰日期（或先登记评选环节）。"})
            nominee.honour = do_create_honour(
                acting_user=acting_user,
                via=via,
                title=selection.name.removesuffix("评选") or selection.get_kind_display(),
                level=HonourLevel.INTERNAL,
                grantor=selection.organization.name,
                awarded_on=day,
                organization=nominee.member.organization if nominee.member_id else nominee.organization,
                member=nominee.member,
                document_number=document_number,
                note=f"{selection.year}年度{selection.name}",
            )
        elif result != NomineeResult.SELECTED and nominee.honour_id is not None:
            honour = nominee.honour
            nominee.honour = None
            nominee.save()
            honour.delete()
        nominee.full_clean()
        nominee.save()
    return nominee
