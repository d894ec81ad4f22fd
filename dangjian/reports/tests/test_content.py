"""Draft content on the demo bureau: every declared kind, the lengths, two years read differently,
period wording, and the 述职报告's person (issue 11)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from dangjian.core.period import Period
from dangjian.reports.build import build
from dangjian.reports.document import Block, Document, Run
from dangjian.reports.genres import BUILTIN_CODES, load_builtin
from dangjian.reports.quality import length, missing_kinds, shared_share

pytestmark = pytest.mark.django_db

# Full-year minimum lengths (issue 11 point 5).
MINIMUM = {
    "work_summary": 3000,
    "accountability_report": 3000,
    "study_campaign_summary": 2500,
    "integrity_report": 2500,
    "model_organ_briefing": 1800,
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from django.db import transaction

    # One demo bureau for the module, rolled back afterwards so no other test sees it.
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", verbosity=0)
        from dangjian.orgs.models import Organization

        yield {
            "党组": Organization.objects.get(kind="leading_group"),
            "机关党委": Organization.objects.get(kind="organ_committee"),
        }
        transaction.set_rollback(True)


def draft(code: str, org, period: str):  # type: ignore[no-untyped-def]
    return build(load_builtin(code), org, Period.parse(period), genre_code=code).document


def test_a_missing_kind_is_reported() -> None:
    body = {"kinds": [{"code": "a"}, {"code": "b"}]}
    document = Document("t", [Block("paragraph", [Run("x")], covers={"a": "data"})])
    assert missing_kinds(body, document) == ["b"]


@pytest.mark.parametrize("code", BUILTIN_CODES)
def test_every_declared_kind_appears_in_every_draft(demo, code) -> None:  # type: ignore[no-untyped-def]
    assert load_builtin(code)["kinds"], code
    for org in demo.values():
        for period in ("2025", "2025H1", "2026"):
            document = draft(code, org, period)
            assert missing_kinds(load_builtin(code), document) == [], (code, org.name, period)


@pytest.mark.parametrize("code", BUILTIN_CODES)
def test_two_consecutive_years_share_at_most_30_percent_of_sentences(demo, code) -> None:  # type: ignore[no-untyped-def]
    for org in demo.values():
        share = shared_share(draft(code, org, "2024"), draft(code, org, "2025"))
        assert share <= 0.30, (code, org.name, round(share, 2))


def test_half_year_never_says_full_year_and_running_year_says_up_to_today(demo) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core.dates import today

    for code in BUILTIN_CODES:
        text = draft(code, demo["机关党委"], "2025H1").plain_text()
        for words in ("全年累计", "全年共", "全年开展", "全年组织", "2025年底"):
            assert words not in text, (code, words)
    text = draft("work_summary", demo["党组"], str(today().year)).plain_text()
    assert f"{today().year}年底" not in text
    assert f"截至{today().year}年{today().month}月{today().day}日" in text


def test_accountability_report_is_the_secretarys_own(demo) -> None:  # type: ignore[no-untyped-def]
    from dangjian.members.models import Post

    for name, org in demo.items():
        secretary = Post.objects.current().get(organization=org, kind="secretary").member
        document = draft("accountability_report", org, "2025")
        text = document.plain_text()
        assert document.blocks[-1].type == "signature"
        assert document.blocks[-1].text == f"述职人：{secretary.name}"
        opening = document.blocks[0].text
        assert "本人" in opening
        if name == "机关党委":
            assert "党组书记" not in text and "机关党委书记" in opening
        else:
            assert "党组书记" in opening


def test_weak_talk_coverage_is_a_problem_not_an_achievement() -> None:
    from dangjian.reports.composer import Context, compose

    class F:
        def __init__(self, key, value, unit):  # type: ignore[no-untyped-def]
            self.key, self.label, self.value, self.unit = key, key, value, unit

    figures = {"talks.reach": F("talks.reach", 54.3, "%"), "talks.people": F("talks.people", 50, "名")}
    ctx = Context("测试局机关党委", "2025年", 2025, "s", figures, end_words="2025年底", span="全年")
    text = compose(load_builtin("work_summary"), ctx).plain_text()
    achievements, problems = text.split("存在的问题", 1)
    assert "54.3%" not in achievements
    assert "54.3%" in problems


@pytest.mark.parametrize("code", BUILTIN_CODES)
def test_full_year_drafts_reach_their_length(demo, code) -> None:  # type: ignore[no-untyped-def]
    for org in demo.values():
        assert length(draft(code, org, "2025")) >= MINIMUM[code], (code, org.name)


def test_a_chosen_subject_signs_and_speaks_in_their_own_post(demo) -> None:  # type: ignore[no-untyped-def]
    from dangjian.members.models import Post

    org = demo["机关党委"]
    deputy = Post.objects.current().get(organization=org, kind="deputy_secretary").member
    document = build(
        load_builtin("accountability_report"),
        org,
        Period.parse("2025"),
        genre_code="accountability_report",
        person=deputy,
    ).document
    assert document.blocks[-1].text == f"述职人：{deputy.name}"
    assert "机关党委副书记" in document.blocks[0].text  # the opening says whose report it is
