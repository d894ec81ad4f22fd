"""The .ics feed (RFC 5545) and the reproducible speaker draw."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.urls import reverse

from dangjian.activities import actions, ics
from dangjian.activities.tests.conftest import all_present, at, recent_day
from dangjian.activities.views import ICS_SALT

pytestmark = pytest.mark.django_db


def test_fold_keeps_lines_within_75_octets_and_utf8_whole():
    line = "SUMMARY:" + "主题党日：学习贯彻习近平新时代中国特色社会主义思想主题教育" * 3
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line


def test_escape_text_values():
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    # a lone carriage return (old Mac line ends, pasted text) would end the content line early
    assert ics.escape("标题\r伪造:行\r\n下一行") == "标题\\n伪造:行\\n下一行"


def test_feed_is_rfc5545_text_with_one_event_per_activity(
    client, personas, bureau, make_plan, branch_1_members
):
    held = make_plan(bureau.branch_1, topic="学习党章,讨论;整改")
    actions.do_record(
        held,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day(), 9),
        place="三楼会议室",
        attendance=all_present(branch_1_members),
    )
    planned = make_plan(bureau.branch_1, "party_lecture", status="planned", topic="下月党课", days_ago=-20)
    make_plan(bureau.branch_1, "party_lecture", status="draft", topic="草稿不出现", days_ago=-25)
    make_plan(bureau.branch_2, "party_lecture", status="planned", topic="别的支部", days_ago=-20)
    token = signing.dumps({"u": personas.secretary_of_branch_1.pk, "o": bureau.branch_1.pk}, salt=ICS_SALT)
    response = client.get(reverse("activities:ics", args=[token]))  # no login: a calendar app subscribes
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode("utf-8")
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert body.count("BEGIN:VEVENT") == 2
    unfolded = body.replace("\r\n ", "")
    assert f"UID:activity-{held.pk}@testserver" in unfolded
    assert f"UID:activity-{planned.pk}@testserver" in unfolded
    assert "SUMMARY:主题党日：学习党章\\,讨论\\;整改" in unfolded
    start = held.held_at if held.held_at else at(recent_day(), 9)
    assert f"DTSTART:{at(recent_day(), 9).astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in unfolded, start
    assert "LOCATION:三楼会议室" in unfolded
    assert "草稿不出现" not in unfolded and "别的支部" not in unfolded


def test_feed_refuses_a_forged_token_or_an_org_outside_scope(client, personas, bureau):
    assert client.get(reverse("activities:ics", args=["forged-token"])).status_code == 404
    token = signing.dumps({"u": personas.secretary_of_branch_1.pk, "o": bureau.branch_2.pk}, salt=ICS_SALT)
    assert client.get(reverse("activities:ics", args=[token])).status_code == 404


def test_calendar_page_offers_a_feed_url_that_works(login, personas, bureau):
    client = login(personas.secretary_of_branch_1)
    response = client.get(reverse("activities:calendar"))
    assert response.status_code == 200
    url = response.context["feed_url"]
    client.logout()
    assert client.get(url.replace("http://testserver", "")).status_code == 200


@pytest.fixture
def forum(personas, bureau, make_plan, branch_1_members):  # type: ignore[no-untyped-def]
    activity = make_plan(bureau.branch_1, "biweekly_forum", topic="双周讲坛：谈学习体会")
    actions.do_record(
        activity,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    return activity


def test_speaker_draw_is_reproducible_from_its_seed(personas, forum, branch_1_members):
    draw = actions.do_draw_speakers(forum, 2, acting_user=personas.secretary_of_branch_1)
    assert draw.candidate_ids == sorted(m.pk for m in branch_1_members)
    assert len(draw.picked_ids) == 2 and set(draw.picked_ids) <= set(draw.candidate_ids)
    assert actions.verify_draw(draw)
    assert actions.draw_pick(draw.seed, draw.candidate_ids, 2) == draw.picked_ids
    # The same seed always gives the same pick; a tampered pick no longer verifies.
    again = actions.do_draw_speakers(forum, 2, seed=draw.seed, acting_user=personas.secretary_of_branch_1)
    assert again.picked_ids == draw.picked_ids
    draw.picked_ids = [c for c in draw.candidate_ids if c not in draw.picked_ids][:1] + draw.picked_ids[:1]
    assert not actions.verify_draw(draw)


def test_draw_only_among_present_members_and_only_for_a_forum(
    personas, bureau, forum, make_plan, branch_1_members
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.do_draw_speakers(forum, 9, acting_user=personas.secretary_of_branch_1)
    assert "1至3人" in str(exc.value)
    meeting = make_plan(bureau.branch_1, "party_lecture")
    actions.do_record(
        meeting,
        acting_user=personas.secretary_of_branch_1,
        held_at=at(recent_day()),
        attendance=all_present(branch_1_members),
    )
    with pytest.raises(ValidationError):
        actions.do_draw_speakers(meeting, 1, acting_user=personas.secretary_of_branch_1)


def test_a_feed_address_expires_and_can_be_revoked(client, login, personas, bureau, settings):
    officer = personas.secretary_of_branch_1
    token = signing.dumps({"u": officer.pk, "o": bureau.branch_1.pk, "g": 0}, salt=ICS_SALT)
    url = reverse("activities:ics", args=[token])
    assert client.get(url).status_code == 200
    settings.ICS_FEED_DAYS = 0  # every address issued before now has expired
    assert client.get(url).status_code == 404
    settings.ICS_FEED_DAYS = 365
    assert client.get(url).status_code == 200
    owner = login(officer)
    response = owner.post(reverse("activities:ics-reset"), {"next": "/activities/calendar/"})
    assert response.status_code == 302
    client.logout()
    assert client.get(url).status_code == 404  # revoked
    fresh = signing.dumps({"u": officer.pk, "o": bureau.branch_1.pk, "g": 1}, salt=ICS_SALT)
    assert client.get(reverse("activities:ics", args=[fresh])).status_code == 200
    from dangjian.core.models import AuditLog

    assert AuditLog.objects.filter(verb="重置日历订阅地址", actor=officer).count() == 1
