"""Bad input: a clear Chinese error and nothing written."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.activities import actions
from dangjian.activities.models import Activity, Attachment, Attendance
from dangjian.activities.tests.conftest import all_present, at, recent_day
from dangjian.core.models import AuditLog

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def nothing_written(activity: Activity, status: str = "approved") -> None:
    fresh = Activity.objects.get(pk=activity.pk)
    assert fresh.status == status
    assert not Attendance.objects.filter(activity=activity).exists()
    assert not AuditLog.objects.filter(object_id=str(activity.pk), verb="登记召开情况").exists()


def test_attendance_for_a_non_member_is_refused(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    rows = all_present(branch_1_members)
    rows[bureau.member_of_branch_2.pk] = ("present", "")
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity, acting_user=personas.secretary_of_branch_1, held_at=at(recent_day()), attendance=rows
        )
    assert "李四清不是第一党支部" in " ".join(exc.value.messages)
    nothing_written(activity)


def test_a_member_admitted_after_the_meeting_is_not_on_its_roll(
    personas, bureau, make_plan, branch_1_members
):
    probationary = branch_1_members[2]
    probationary.admission_date = recent_day(3)
    probationary.save()
    activity = make_plan(bureau.branch_1)
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day(10)),
            attendance=all_present(branch_1_members),
        )
    assert "孙三立" in " ".join(exc.value.messages)
    nothing_written(activity)


def test_every_member_needs_an_attendance_entry(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day()),
            attendance=all_present(branch_1_members[:2]),
        )
    assert "未登记出勤：孙三立" in " ".join(exc.value.messages)
    nothing_written(activity)


def test_leave_needs_a_reason_naming_the_member(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    rows = all_present(branch_1_members)
    rows[bureau.member_1.pk] = ("leave", "")
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity, acting_user=personas.secretary_of_branch_1, held_at=at(recent_day()), attendance=rows
        )
    assert "赵一明：请假须填写事由" in " ".join(exc.value.messages)
    nothing_written(activity)


def test_held_date_in_the_future_is_refused(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity,
            acting_user=personas.secretary_of_branch_1,
            held_at=timezone.now() + datetime.timedelta(days=2),
            attendance=all_present(branch_1_members),
        )
    assert "召开时间不能晚于现在" in " ".join(exc.value.messages)
    nothing_written(activity)


def test_verification_by_a_disallowed_role_is_refused(personas, bureau, make_plan, branch_1_members):
    activity = make_plan(bureau.branch_1)
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    with pytest.raises(PermissionDenied) as exc:
        actions.do_verify(activity, acting_user=personas.secretary_of_branch_1)
    assert "无权审核第一党支部" in str(exc.value)
    assert Activity.objects.get(pk=activity.pk).status == "held"
    assert not AuditLog.objects.filter(object_id=str(activity.pk), verb="审核通过").exists()


def test_the_same_meeting_recorded_twice_is_refused(personas, bureau, make_plan, branch_1_members):
    first = make_plan(bureau.branch_1, topic="学习二十大精神")
    actions.do_record(
        first,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day(), 9),
        attendance=all_present(branch_1_members),
    )
    second = make_plan(bureau.branch_1, topic="学习二十大精神")
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            second,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day(), 15),
            attendance=all_present(branch_1_members),
        )
    assert "请勿重复登记" in " ".join(exc.value.messages)
    nothing_written(second)


def test_a_record_of_an_activity_before_the_org_existed_is_refused(
    personas, bureau, make_plan, branch_1_members
):
    bureau.branch_1.established_on = recent_day(5)
    bureau.branch_1.save()
    activity = make_plan(bureau.branch_1)
    with pytest.raises(ValidationError) as exc:
        actions.do_record(
            activity, acting_user=personas.agency_officer, held_at=at(recent_day(10)), attendance={}
        )
    assert "早于该党组织成立日期" in " ".join(exc.value.messages)


@pytest.fixture
def held(personas, bureau, make_plan, branch_1_members, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    activity = make_plan(bureau.branch_1)
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    return activity


def test_oversized_attachment_is_refused(personas, held, settings, tmp_path):
    settings.ACTIVITY_ATTACHMENT_MAX_BYTES = 50
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    with pytest.raises(ValidationError) as exc:
        actions.do_add_attachment(held, upload, acting_user=personas.secretary_of_branch_1)
    assert "文件“现场照片.png”" in " ".join(exc.value.messages) and "超过上限" in " ".join(exc.value.messages)
    assert not Attachment.objects.exists() and not any(tmp_path.rglob("*.png"))


@pytest.mark.parametrize(
    "name, data",
    [
        ("签到表.pdf", b"MZ\x90\x00 this is really an exe"),
        ("照片.jpg", b"<html><script>alert(1)</script>"),
        ("材料.docx", b"PK\x03\x04 not a real zip"),
    ],
)
def test_disallowed_attachment_is_refused_by_its_bytes(name, data, personas, held, tmp_path):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        actions.do_add_attachment(held, upload, acting_user=personas.secretary_of_branch_1)
    assert f"文件“{name}”不是允许的类型" in " ".join(exc.value.messages)
    assert not Attachment.objects.exists() and not any(p.is_file() for p in tmp_path.rglob("*"))


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_allowed_attachments_are_stored_under_media_root_with_sniffed_type(personas, held, tmp_path):
    png = actions.do_add_attachment(
        held, SimpleUploadedFile("photo.txt", PNG), acting_user=personas.secretary_of_branch_1
    )
    doc = actions.do_add_attachment(
        held,
        SimpleUploadedFile("会议记录.docx", _docx_bytes()),
        kind="minutes",
        acting_user=personas.secretary_of_branch_1,
    )
    assert png.content_type == "image/png" and png.original_name == "photo.txt"
    assert png.file.name.endswith(".png") and (tmp_path / png.file.name).is_file()
    assert doc.content_type.endswith("wordprocessingml.document")
    assert AuditLog.objects.filter(object_id=str(held.pk), verb="上传附件").count() == 2
