"""Seed the compliance rules from ../shared/RULES.md (data migration).

Status as in RULES.md: C confirmed, C* value confirmed / article inferred, L local practice
(a default the agency may change in the admin). A changed regulation is a new row with
valid_from, the old row getting valid_to (the day before).
"""

from django.db import migrations

BRANCH_ACT = "《中国共产党支部工作条例（试行）》"
CHARTER = "《中国共产党章程》"

# code, name, kind, activity type, org kinds, frequency, minimum, needs committee, source, status,
# requirement, due-soon days, order
RULES = [
    ("committee_meeting", "支委会", "count", "committee_meeting", ["branch"], "month", 1, True,
     f"{BRANCH_ACT}第十二条", "C", "支部委员会会议一般每月召开1次", 10, 10),
    ("general_meeting", "支部党员大会", "count", "general_meeting", ["branch"], "quarter", 1, False,
     f"{BRANCH_ACT}第十一条", "C", "支部党员大会一般每季度召开1次", 20, 20),
    ("cell_meeting", "党小组会", "count", "cell_meeting", ["cell"], "month", 1, False,
     f"{BRANCH_ACT}第十三条", "C", "党小组会一般每月召开1次", 10, 30),
    ("party_lecture", "党课", "count", "party_lecture", ["branch"], "quarter", 1, False,
     f"{BRANCH_ACT}第十六条", "L", "党课默认每季度至少1次（无中央统一次数，地方实践）", 20, 40),
    ("theme_day", "主题党日", "count", "theme_day", ["branch"], "month", 1, False,
     f"{BRANCH_ACT}第十六条", "C", "每月相对固定1天开展主题党日", 10, 50),
    ("org_life_meeting", "组织生活会", "count", "org_life_meeting", ["branch"], "year", 1, False,
     f"{BRANCH_ACT}第十七条", "C", "组织生活会每年至少召开1次，一般安排在第四季度", 60, 60),
    ("member_appraisal", "民主评议党员", "count", "member_appraisal", ["branch"], "year", 1, False,
     f"{BRANCH_ACT}第十九条", "C*", "民主评议党员一般每年开展1次", 60, 70),
    ("talk_coverage", "谈心谈话", "talk_coverage", "talk", ["branch"], "year", 1, False,
     f"{BRANCH_ACT}第十八条", "C*", "支部委员之间、委员与党员之间、党员之间每年谈心谈话一般不少于1次", 60, 80),
    ("secretary_lecture", "书记讲党课", "secretary_lecture", "party_lecture", ["branch"], "year", 1, False,
     f"{BRANCH_ACT}第十六条", "C", "党支部书记每年至少为党员讲1次党课", 60, 90),
    ("central_study", "中心组学习", "count", "central_study", ["leading_group"], "month", 1, False,
     "地方实践（无中央统一次数规定）", "L", "理论学习中心组学习默认每月1次（全年不少于12次）", 10, 100),
    ("democratic_life_meeting", "民主生活会", "count", "democratic_life_meeting", ["leading_group"], "year", 1,
     False, "《县以上党和国家机关党员领导干部民主生活会若干规定》", "L", "党组每年召开1次民主生活会", 60, 110),
    ("lapse", "连续6个月未参加组织生活", "lapse", "", ["branch"], "month", 6, False,
     f"{CHARTER}第九条", "C", "党员无正当理由连续6个月不参加党的组织生活，按自行脱党处理", 60, 200),
    ("committee_term", "委员会任期届满", "term", "", ["organ_committee", "general_branch", "branch"], "year", 1,
     False, f"{BRANCH_ACT}第二十一条", "C", "支部委员会每届任期3年，机关党委每届任期5年，按期换届", 90, 210),
]


def seed(apps, schema_editor):
    Rule = apps.get_model("compliance", "Rule")
    for (code, name, kind, type_code, kinds, frequency, minimum, committee, source, status, requirement, due,
         order) in RULES:
        Rule.objects.update_or_create(
            code=code,
            valid_from=None,
            defaults=dict(
                name=name, kind=kind, activity_type_code=type_code, org_kinds=kinds, frequency=frequency,
                minimum=minimum, needs_committee=committee, source=source, source_status=status,
                requirement=requirement, due_soon_days=due, order=order,
            ),
        )


def unseed(apps, schema_editor):
    apps.get_model("compliance", "Rule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
