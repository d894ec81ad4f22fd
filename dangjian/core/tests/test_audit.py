"""The audit log: every create/update/delete with actor and field diff; named actions; read-only for all."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from dangjian.core import audit
from dangjian.core.models import AuditLog
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

pytestmark = pytest.mark.django_db


def entries_for(obj) -> list[AuditLog]:  # type: ignore[no-untyped-def]
    ct = ContentType.objects.get_for_model(obj)
    return list(AuditLog.objects.filter(content_type=ct, object_id=str(obj.pk)).order_by("id"))


def test_create_is_logged_with_actor_and_every_field(personas):
    with audit.acting(personas.agency_officer, "web"):
        org = Organization.objects.create(name="新设党支部", kind=OrgKind.BRANCH, order=3)
    (entry,) = entries_for(org)
    assert entry.action == "create"
    assert entry.actor == personas.agency_officer and entry.actor_name == "jgdw" and entry.via == "web"
    assert entry.changes["name"] == [None, "新设党支部"]
    assert entry.changes["kind"] == [None, "branch"]
    assert "created_at" not in entry.changes and "updated_at" not in entry.changes
    assert entry.object_repr == "新设党支部"


def test_update_logs_only_the_changed_fields_with_before_and_after(personas, bureau):
    org = Organization.objects.get(pk=bureau.branch_2.pk)
    with audit.acting(personas.admin, "cli"):
        org.name = "第二党支部（改名）"
        org.established_on = datetime.date(2020, 7, 1)
        org.save()
    entry = entries_for(org)[-1]
    assert entry.action == "update" and entry.via == "cli" and entry.actor_name == "admin"
    assert entry.changes == {
        "name": ["第二党支部", "第二党支部（改名）"],
        "established_on": [None, "2020-07-01"],
    }


def test_saving_without_changes_writes_no_entry(bureau):
    org = Organization.objects.get(pk=bureau.branch_2.pk)
    before = AuditLog.objects.count()
    org.save()
    assert AuditLog.objects.count() == before


def test_two_saves_of_one_instance_each_log_their_own_diff(bureau):
    org = Organization.objects.get(pk=bureau.branch_2.pk)
    org.order = 5
    org.save()
    org.order = 6
    org.save()
    last_two = entries_for(org)[-2:]
    assert [e.changes["order"] for e in last_two] == [[2, 5], [5, 6]]


def test_delete_is_logged_with_the_values_it_had(personas):
    org = Organization.objects.create(name="临时党支部", kind=OrgKind.BRANCH)
    pk = org.pk
    with audit.acting(personas.admin):
        org.delete()
    entry = AuditLog.objects.filter(object_id=str(pk), action="delete").get()
    assert entry.changes["name"] == ["临时党支部", None]
    assert entry.actor == personas.admin


def test_changes_outside_any_acting_block_are_attributed_to_the_system():
    org = Organization.objects.create(name="系统党支部", kind=OrgKind.BRANCH)
    (entry,) = entries_for(org)
    assert entry.actor is None and entry.actor_name == "系统" and entry.via == "system"


def test_acting_restores_the_previous_actor_afterwards(personas):
    with audit.acting(personas.admin, "web"):
        with audit.acting(personas.agency_officer, "import"):
            assert audit.current_actor() == (personas.agency_officer, "import")
        assert audit.current_actor() == (personas.admin, "web")
    assert audit.current_actor() == (None, "system")


def test_anonymous_actor_is_recorded_as_nobody():
    from django.contrib.auth.models import AnonymousUser

    with audit.acting(AnonymousUser()):
        assert audit.current_actor()[0] is None


def test_record_logs_a_named_action_with_jsonable_values(personas, bureau):
    with audit.acting(personas.secretary_of_branch_1):
        entry = audit.record(bureau.member_1, "转出", {"date": datetime.date(2024, 5, 8), "to": "某单位"})
    entry.refresh_from_db()
    assert entry.action == "action" and entry.verb == "转出"
    assert entry.changes == {"date": "2024-05-08", "to": "某单位"}
    assert entry.actor_name == "zb1"


def test_member_changes_made_through_actions_are_logged(personas, bureau):
    from dangjian.members.actions import do_update_member

    do_update_member(bureau.member_1, acting_user=personas.secretary_of_branch_1, phone="13900001234")
    entry = entries_for(bureau.member_1)[-1]
    assert entry.changes == {"phone": ["", "13900001234"]}
    assert entry.actor == personas.secretary_of_branch_1


def test_audit_log_page_is_for_admins_only(personas, login, client):
    Organization.objects.create(name="可见党支部", kind=OrgKind.BRANCH)
    assert login(personas.admin).get("/audit/").status_code == 200
    for who in ["agency_officer", "secretary_of_branch_1", "discipline", "member", "outsider"]:
        client.logout()
        assert login(getattr(personas, who)).get("/audit/").status_code == 403, who


def test_nobody_can_edit_or_delete_the_audit_log_in_the_admin(personas, login):
    org = Organization.objects.create(name="审计党支部", kind=OrgKind.BRANCH)
    entry = entries_for(org)[0]
    client = login(personas.admin)
    assert client.get("/admin/core/auditlog/").status_code == 200
    assert client.get("/admin/core/auditlog/add/").status_code == 403
    assert client.post(f"/admin/core/auditlog/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/admin/core/auditlog/{entry.pk}/change/", {"verb": "篡改"})
    assert response.status_code in (200, 403)
    entry.refresh_from_db()
    assert entry.verb == ""
