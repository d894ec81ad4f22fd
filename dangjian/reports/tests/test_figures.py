"""Each figure in a draft is recomputed here straight from the database and compared."""

from __future__ import annotations

from dangjian.activities.models import Activity, Attendance
from dangjian.core.period import Period
from dangjian.reports.build import build, template_keys
from dangjian.reports.genres import BUILTIN_CODES, load_builtin


def test_template_keys_include_series_members() -> None:
    keys = template_keys(load_builtin("work_summary"))
    assert "activities.count.general_meeting" in keys and "activities.count.cell_meeting" in keys
    assert "org" not in keys and "period" not in keys


def test_work_summary_figures_match_an_independent_count(ledger, bureau) -> None:  # type: ignore[no-untyped-def]
    built = build(load_builtin("work_summary"), bureau.organ_committee, Period.parse("2025H1"))
    figs = {f["key"]: f for f in built.figures_json()}
    held = Activity.objects.filter(
        held_on__range=("2025-01-01", "2025-06-30"), status__in=["held", "verified"]
    )

    def count(code: str) -> int:
        return held.filter(credits__activity_type__code=code).distinct().count()

    assert figs["activities.count.general_meeting"]["value"] == count("general_meeting") == 3
    assert figs["activities.count.committee_meeting"]["value"] == count("committee_meeting") == 5
    assert figs["activities.count.theme_day"]["value"] == 6
    # The April theme day included a lecture: it counts once as a lecture too.
    assert figs["activities.count.party_lecture"]["value"] == count("party_lecture") == 1
    present = Attendance.objects.filter(activity__in=held, member__isnull=False, status="present")
    assert figs["attendance.person_times"]["value"] == present.count()
    assert sorted(figs["attendance.person_times"]["evidence"]["ids"]) == sorted(
        present.values_list("pk", flat=True)
    )
    assert figs["activities.count.general_meeting"]["evidence"] == {
        "model": "activities.activity",
        "ids": sorted(
            held.filter(credits__activity_type__code="general_meeting").values_list("pk", flat=True)
        ),
    }
    text = built.document.plain_text()
    assert "支部党员大会3次、支部委员会5次" in text
    # The July meeting lies outside the period.
    assert "支部委员会6次" not in text


def test_branch_subtree_counts_only_its_own_activities(ledger, bureau) -> None:  # type: ignore[no-untyped-def]
    built = build(load_builtin("work_summary"), bureau.branch_2, Period.parse("2025H1"))
    figs = {f["key"]: f["value"] for f in built.figures_json()}
    assert figs["activities.count.general_meeting"] == 1
    assert "activities.count.committee_meeting" not in figs  # zero: left out of the text


def test_highlights_become_a_section_linked_to_the_activity(ledger, bureau) -> None:  # type: ignore[no-untyped-def]
    built = build(load_builtin("work_summary"), bureau.organ_committee, Period.parse("2025H1"))
    text = built.document.plain_text()
    assert "社区义务植树" in text and "共栽种树苗120株" in text
    keys = [f["key"] for f in built.figures_json() if f["key"].startswith("highlight.")]
    assert len(keys) == 1


def test_every_genre_renders_without_placeholders_or_braces(ledger, bureau) -> None:  # type: ignore[no-untyped-def]
    for code in BUILTIN_CODES:
        built = build(load_builtin(code), bureau.organ_committee, Period.parse("2025H1"), genre_code=code)
        text = built.document.plain_text()
        assert "{" not in text and "xx" not in text.lower(), code
        for figure in built.figures_json():
            assert set(figure) == {"key", "label", "value", "unit", "evidence"}
            assert set(figure["evidence"]) == {"model", "ids"}
