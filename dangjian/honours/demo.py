"""Demo honours: commendations of the bureau's branches and members over the current year and the
two before (municipal and provincial ones around 1 July, a national one two years back), and each
year's internal 星级党员 selection run in rounds — this year's still at the publicity stage.

All names of honours' documents and grantors are invented for the demo.
"""

from __future__ import annotations

import datetime
from typing import Any

from dangjian.honours import actions
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member

# (years back, month, day, title, level, grantor, document, to a member?)
GRANTED = [
    (2, 6, 28, "全国财政系统先进集体", "national", "财政部", "财人〔{y}〕41号", False),
    (2, 6, 30, "全市优秀共产党员", "municipal", "中共江临市委", "江委〔{y}〕58号", True),
    (
        2,
        7,
        1,
        "市直机关先进基层党组织",
        "municipal",
        "中共江临市直属机关工作委员会",
        "江直工委〔{y}〕12号",
        False,
    ),
    (1, 6, 29, "全省财政系统优秀党务工作者", "provincial", "省财政厅党组", "财党〔{y}〕9号", True),
    (
        1,
        6,
        30,
        "市直机关优秀共产党员",
        "municipal",
        "中共江临市直属机关工作委员会",
        "江直工委〔{y}〕15号",
        True,
    ),
    (
        1,
        7,
        1,
        "市直机关先进基层党组织",
        "municipal",
        "中共江临市直属机关工作委员会",
        "江直工委〔{y}〕16号",
        False,
    ),
    (
        0,
        6,
        27,
        "市直机关“五好”党支部",
        "municipal",
        "中共江临市直属机关工作委员会",
        "江直工委〔{y}〕11号",
        False,
    ),
    (0, 6, 30, "全市优秀共产党员", "municipal", "中共江临市委", "江委〔{y}〕47号", True),
]
ROUNDS = [("党小组推荐", 12, 1), ("支委会审议", 12, 8), ("机关党委审核", 12, 15), ("公示", 12, 18)]


def build(ctx: Any) -> None:
    if not ctx.branches:
        return
    today: datetime.date = ctx.today
    full = list(Member.objects.filter(status=MemberStatus.FULL).order_by("id"))
    if not full:
        return
    ordinary = getattr(getattr(ctx.users.get("dy1"), "role", None), "member", None)
    granted = 0
    for n, (back, month, day, title, level, grantor, document, to_member) in enumerate(GRANTED):
        year = today.year - back
        when = datetime.date(year, month, day)
        if when > today:
            continue
        fields: dict[str, Any] = {}
        if to_member:
            # The ordinary demo member (dy1) got one, so their own page shows it.
            fields["member"] = (
                ordinary
                if (back == 1 and ordinary is not None and level == "municipal")
                else full[(n * 7) % len(full)]
            )
        else:
            fields["organization"] = (
                ctx.branches[n % len(ctx.branches)] if level != "national" else ctx.leading_group
            )
        actions.do_create_honour(
            acting_user=None,
            via="demo",
            title=title,
            level=level,
            grantor=grantor,
            awarded_on=when,
            document_number=document.format(y=year),
            **fields,
        )
        granted += 1

    selections = 0
    for back in (2, 1, 0):
        year = today.year - back
        selection = actions.do_create_selection(
            acting_user=None,
            via="demo",
            organization=ctx.organ_committee,
            year=year,
            kind="star_member",
            name=f"{year}年度星级党员评选",
            quota=3,
        )
        selections += 1
        # This year's is under way: the rounds held so far (none before December).
        held = [r for r in ROUNDS if datetime.date(year, r[1], r[2]) <= today]
        for name, month, day in held:
            actions.do_add_round(
                selection, name=name, held_on=datetime.date(year, month, day), acting_user=None, via="demo"
            )
        nominees = [full[(back * 11 + k * 5) % len(full)] for k in range(5)]
        for k, member in enumerate(dict.fromkeys(nominees)):
            nominee = actions.do_nominate(selection, member=member, acting_user=None, via="demo")
            if len(held) < len(ROUNDS):
                continue  # results come after the publicity
            result = "selected" if k < 3 else "not_selected"
            actions.do_record_result(
                nominee,
                result=result,
                reached_round=len(ROUNDS) if k < 3 else 2,
                votes=30 - k * 4,
                document_number=f"机关党委〔{year}〕{20 + back}号" if k < 3 else "",
                acting_user=None,
                via="demo",
            )
    ctx.log(f"  表彰荣誉：{granted} 项表彰，{selections} 次星级党员评选（本年度尚在进行）")
