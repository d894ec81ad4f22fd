"""Organization kinds and committee posts (names from ../shared/GLOSSARY.md)."""

from __future__ import annotations

from django.db import models


class OrgKind(models.TextChoices):
    LEADING_GROUP = "leading_group", "党组"
    ORGAN_COMMITTEE = "organ_committee", "机关党委"
    GENERAL_BRANCH = "general_branch", "党总支"
    BRANCH = "branch", "党支部"
    CELL = "cell", "党小组"


class PostKind(models.TextChoices):
    SECRETARY = "secretary", "书记"
    DEPUTY_SECRETARY = "deputy_secretary", "副书记"
    ORGANIZATION = "organization_commissioner", "组织委员"
    PUBLICITY = "publicity_commissioner", "宣传委员"
    DISCIPLINE = "discipline_commissioner", "纪检委员"
    # A branch too small for a committee names a 纪检联络员 instead (the "two officers", 两员).
    DISCIPLINE_LIAISON = "discipline_liaison", "纪检联络员"
    COMMITTEE_MEMBER = "committee_member", "委员"
    CELL_LEADER = "cell_leader", "党小组组长"
    LEADING_GROUP_MEMBER = "leading_group_member", "党组成员"


# Committee term length in years by kind (RULES.md: 支部工作条例 Art 21; 机关基层组织工作条例
# Arts 5-7; 2020 选举工作条例 Art 3). A 党组 is appointed, not elected, and a 党小组 has no
# committee: neither has a term.
TERM_YEARS: dict[str, int] = {
    OrgKind.ORGAN_COMMITTEE: 5,
    OrgKind.GENERAL_BRANCH: 3,
    OrgKind.BRANCH: 3,
}
TERM_SOURCE: dict[str, str] = {
    OrgKind.ORGAN_COMMITTEE: "《党和国家机关基层组织工作条例》第五条",
    OrgKind.GENERAL_BRANCH: "《党和国家机关基层组织工作条例》第六条",
    OrgKind.BRANCH: "《中国共产党支部工作条例（试行）》第二十一条",
}
# A re-election is flagged this many days before it falls due (issue 2).
TERM_WARNING_DAYS = 90
# A branch needs a committee from this many full members (支部工作条例 Art 20).
COMMITTEE_MIN_FULL_MEMBERS = 7
