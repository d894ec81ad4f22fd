"""The world the access matrix runs in: one record of every kind a URL can name, inside and
outside each persona's reach, and what each persona should reach — written down here from the
rules (README "Roles"), not computed with the scope helper under test.

``inside`` records belong to branch 1 (where zb1 is secretary and dy1 an ordinary member, and
dy1 attended the activity); ``outside`` records belong to branch 2 (where zb2 is secretary).
Models without an organization (activity types, built-in genres) have one shared record.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

PERSONAS = [
    "anonymous",
    "outsider",
    "member",
    "own_secretary",
    "other_secretary",
    "discipline",
    "agency_officer",
    "admin",
]


def _id(first17: str) -> str:
    from dangjian.members.validators import id_check_digit

    return first17 + id_check_digit(first17)


# The ID numbers of the world's people (the bureau's five members by birth date, then the two
# applicants): 纪检 must never see one of them in full.
MEMBER_IDS = [
    _id("11010519850312001"),
    _id("44010319900820002"),
    _id("44010319980105003"),
    _id("11010519701102004"),
    _id("44010319790418005"),
]
APPLICANT_IDS = {"inside": _id("11010519980520123"), "outside": _id("11010519980520567")}
ID_NUMBERS = [*MEMBER_IDS, *APPLICANT_IDS.values()]

# Models an ordinary member reaches when the record is their own (their record, their branch,
# an activity they attended and its files).
MEMBER_OWN = {"orgs.Organization", "members.Member", "activities.Activity", "activities.Attachment"}
# Models owned by the user who created them (a job): reached by their owner and the admin only.
OWNED = {"core.Job"}
# Records without an organization: whoever may open the page reaches them.
SHARED = {"activities.ActivityType"}


@dataclass
class World:
    """The bureau, the personas and a record of each kind inside and outside."""

    bureau: Any
    users: dict[str, Any]
    inside: dict[str, Any] = field(default_factory=dict)
    outside: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, str] = field(default_factory=dict)
    # Query parameters (not records) some pages need to answer at all, by URL name.
    queries: dict[str, str] = field(default_factory=dict)

    def reaches(self, persona: str, label: str, where: str) -> bool:
        """Whether ``persona`` reaches the ``where`` ("inside"/"outside") record of ``label``."""
        if persona in ("anonymous", "outsider"):
            return False
        if label in SHARED:
            return True
        if label in OWNED:
            owner = "own_secretary" if where == "inside" else "other_secretary"
            return persona in (owner, "admin")
        if persona in ("admin", "agency_officer", "discipline"):
            return True
        if persona == "own_secretary":
            return where == "inside"
        if persona == "other_secretary":
            return where == "outside"
        return where == "inside" and label in MEMBER_OWN

    def put_files(self) -> None:
        """Write the jobs' result files into the current JOBS_DIR (each test has its own)."""
        for where in ("inside", "outside"):
            job = getattr(self, where)["core.Job"]
            job.result_path.parent.mkdir(parents=True, exist_ok=True)
            job.result_path.write_text(f"{where} result", encoding="utf-8")

    def writes(self, persona: str) -> bool:
        return persona in ("admin", "agency_officer", "own_secretary", "other_secretary")

    def oversees(self, persona: str, where: str) -> bool:
        """Supervisors' steps: the 机关党委 and admins oversee every branch, a branch secretary none of
        its own branch's (it approves nothing of its own)."""
        return persona in ("admin", "agency_officer")


def _user(username: str, kind: str | None, **extra: Any) -> Any:
    from dangjian.testing.factories import user

    is_admin = kind == "admin"
    org, member = extra.get("organization"), extra.get("member")
    return user(username, kind, org=org, member=member, is_staff=is_admin, is_superuser=is_admin)


def _rectification(world: World, where: str, org: Any, member: Any, day: datetime.date) -> None:
    from dangjian.rectification.models import Finding, Inspection, Measure

    inspection = Inspection.objects.create(
        organization=org, kind="audit", title=f"{org.name}审计", conducted_by="审计局", started_on=day
    )
    finding = Finding.objects.create(
        organization=org,
        source="audit",
        inspection=inspection,
        found_on=day,
        description=f"{org.name}的问题",
        responsible=member,
        deadline=day + datetime.timedelta(days=60),
    )
    getattr(world, where)["rectification.Inspection"] = inspection
    getattr(world, where)["rectification.Finding"] = finding
    getattr(world, where)["rectification.Measure"] = Measure.objects.create(finding=finding, text="整改措施")


def _honours(world: World, where: str, org: Any, member: Any, day: datetime.date) -> None:
    from dangjian.honours.models import Honour, Nominee, Selection

    selection = Selection.objects.create(
        organization=org, year=day.year, kind="star_member", name="星级党员评选"
    )
    getattr(world, where)["honours.Selection"] = selection
    getattr(world, where)["honours.Nominee"] = Nominee.objects.create(selection=selection, member=member)
    getattr(world, where)["honours.Honour"] = Honour.objects.create(
        title="优秀共产党员",
        level="municipal",
        grantor="市委",
        awarded_on=day,
        organization=org,
        member=member,
    )


def build_world(bureau: Any) -> World:
    from dangjian.activities import actions as activity_actions
    from dangjian.activities.models import Activity, ActivityType, Attachment
    from dangjian.core.models import Job
    from dangjian.members.models import Member, Post
    from dangjian.recruitment import actions as recruitment_actions
    from dangjian.recruitment.models import StepDocument
    from dangjian.reports.actions import do_create_draft
    from dangjian.reports.models import Genre

    for member, id_number in zip(bureau.members, MEMBER_IDS, strict=True):
        Member.objects.filter(pk=member.pk).update(id_number=id_number, phone="13912345678")
    users = {
        "anonymous": None,
        "outsider": _user("outsider", None),
        "member": _user("dy1", "member", member=bureau.member_1),
        "own_secretary": _user("zb1", "org_officer", organization=bureau.branch_1),
        "other_secretary": _user("zb2", "org_officer", organization=bureau.branch_2),
        "discipline": _user("jj", "discipline"),
        "agency_officer": _user("jgdw", "agency_officer", organization=bureau.organ_committee),
        "admin": _user("admin", "admin"),
    }
    world = World(bureau=bureau, users=users)
    world.inside["orgs.Organization"] = bureau.branch_1
    world.outside["orgs.Organization"] = bureau.branch_2
    world.inside["members.Member"] = bureau.member_1
    world.outside["members.Member"] = bureau.member_of_branch_2

    day = timezone.localdate() - datetime.timedelta(days=20)
    held = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    theme_day = ActivityType.objects.get(code="theme_day")
    world.inside["activities.ActivityType"] = world.outside["activities.ActivityType"] = theme_day
    for where, org in (("inside", bureau.branch_1), ("outside", bureau.branch_2)):
        activity = activity_actions.do_plan(
            acting_user=None,
            organization=org,
            activity_type=theme_day,
            topic=f"{org.name}主题党日",
            planned_at=held,
        )
        roster = Member.objects.filter(organization=org)
        activity_actions.do_record(
            activity,
            acting_user=None,
            attendance={m.pk: ("present", "") for m in roster},
            held_at=held,
            topic=activity.topic,
        )
        getattr(world, where)["activities.Activity"] = activity
        getattr(world, where)["activities.Attachment"] = Attachment.objects.create(
            activity=activity,
            file=ContentFile(b"%PDF-1.4 test", name="minutes.pdf"),
            original_name="会议记录.pdf",
            size=13,
            content_type="application/pdf",
        )
        getattr(world, where)["members.Post"] = Post.objects.create(
            organization=org, kind="secretary", member=roster.first(), started_on=day
        )
        case = recruitment_actions.do_open_case(
            application_date=day,
            acting_user=None,
            name=f"{org.name}申请人",
            gender="female",
            birth_date=datetime.date(1998, 5, 20),
            id_number=APPLICANT_IDS[where],
            phone="13800000000",
            department="办公室",
            organization=org,
        )
        getattr(world, where)["recruitment.Case"] = case
        getattr(world, where)["recruitment.StepDocument"] = StepDocument.objects.create(
            step=case.steps.get(),
            file=ContentFile(b"%PDF-1.4 application", name="application.pdf"),
            original_name="入党申请书.pdf",
            size=20,
            content_type="application/pdf",
        )
        from dangjian.core.period import Period

        getattr(world, where)["reports.Draft"] = do_create_draft(
            genre=Genre.objects.get(code="work_summary"),
            organization=org,
            period=Period.year(day.year),
            acting_user=None,
        )
        getattr(world, where)["reports.Genre"] = Genre.objects.create(
            code=f"genre-{where}",
            name=f"{org.name}的文体",
            body=Genre.objects.get(code="work_summary").body,
            owner=org,
        )
        Activity.objects.filter(pk=activity.pk).update(status="held")
        _rectification(world, where, org, roster.first(), day)
        _honours(world, where, org, roster.first(), day)
    _duties_records(world, bureau, day)
    _campaign_records(world, day)
    for where, owner in (("inside", "own_secretary"), ("outside", "other_secretary")):
        getattr(world, where)["core.Job"] = Job.objects.create(
            kind="members.import_roster",
            owner=users[owner],
            title=f"{where}导入花名册",
            state=Job.State.DONE,
            finished_at=timezone.now(),
            result_file="结果.txt",
        )

    keys = [
        {f["key"] for f in getattr(world, where)["reports.Draft"].latest_version().figures}
        for where in ("inside", "outside")
    ]
    world.samples = {
        "fmt": "txt",
        "kind": "payments",
        "number": "2",
        "key": sorted(keys[0] & keys[1])[0],
        "token": "not-a-token",
    }
    world.queries = {"compliance:cell": f"slot={day.year}&rule=org_life_meeting"}
    return world


def _duties_records(world: World, bureau: Any, day: datetime.date) -> None:
    """One record of each duties and integrity ledger in branch 1 (inside) and branch 2 (outside)."""
    from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
    from dangjian.members.models import Member

    for where, org in (("inside", bureau.branch_1), ("outside", bureau.branch_2)):
        person = Member.objects.filter(organization=org).first()
        records = getattr(world, where)
        records["duties.ResponsibilityItem"] = ResponsibilityItem.objects.create(
            organization=org, year=day.year, task=f"{org.name}责任事项", responsible=person, deadline=day
        )
        records["duties.Liaison"] = Liaison.objects.create(leader=person, branch=org, started_on=day)
        records["duties.Letter"] = Letter.objects.create(
            kind="responsibility",
            title=f"{org.name}责任书",
            year=day.year,
            signer=person,
            counterpart_org=org,
            signed_on=day,
            document=ContentFile(b"%PDF-1.4 letter", name="letter.pdf"),
        )
        records["duties.KeyTask"] = KeyTask.objects.create(
            organization=org, year=day.year, kind="flood", name=f"{org.name}防汛", started_on=day
        )
        from dangjian.integrity.models import PublicExpense, UnitRule

        records["integrity.UnitRule"] = UnitRule.objects.create(
            organization=org, title=f"{org.name}制度", kind="integrity", issued_on=day
        )
        records["integrity.PublicExpense"] = PublicExpense.objects.create(
            organization=org,
            year=day.year,
            travel_abroad=0,
            vehicles=1,
            reception=1,
            source_document="决算表",
        )
        records["duties.BusinessResult"] = BusinessResult.objects.create(
            organization=org,
            name=f"{org.name}成果",
            value=1,
            unit="项",
            period_kind="year",
            period_start=datetime.date(day.year, 1, 1),
            period_end=datetime.date(day.year, 12, 31),
            source_document="通报",
        )


def _campaign_records(world: World, day: datetime.date) -> None:
    """A campaign of each branch with its team member and plan item, a pledge, a research project
    and its output (campaigns app)."""
    from dangjian.campaigns.models import (
        Campaign,
        PlanItem,
        ResearchOutput,
        ResearchProject,
        ServicePledge,
        TeamMember,
    )

    for where in ("inside", "outside"):
        records = getattr(world, where)
        org = records["orgs.Organization"]
        member = records["members.Member"]
        campaign = Campaign.objects.create(
            organization=org,
            name=f"{org.name}专项活动",
            kind="other",
            started_on=day,
            plan_document=ContentFile(b"%PDF-1.4 plan", name="plan.pdf"),
        )
        records["campaigns.Campaign"] = campaign
        records["campaigns.TeamMember"] = TeamMember.objects.create(
            campaign=campaign, team="leading_group", member=member, role="组长"
        )
        records["campaigns.PlanItem"] = PlanItem.objects.create(
            campaign=campaign, title="专题学习", target_count=2
        )
        records["campaigns.ServicePledge"] = ServicePledge.objects.create(
            organization=org,
            title=f"{org.name}实事",
            source="visit",
            category="service",
            collected_on=day,
            handler=member,
        )
        project = ResearchProject.objects.create(
            organization=org, title=f"{org.name}课题", leader=member, started_on=day
        )
        records["campaigns.ResearchProject"] = project
        records["campaigns.ResearchOutput"] = ResearchOutput.objects.create(
            project=project,
            kind="report",
            title="调研报告",
            issued_on=day,
            document=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
        )
