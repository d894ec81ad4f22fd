"""Compliance warnings on the to-do list: those coming due within the week, with their basis."""

from __future__ import annotations

import datetime

import pytest

from dangjian.compliance.panels import agenda_items
from dangjian.core.dates import today
from dangjian.orgs.models import Term

pytestmark = pytest.mark.django_db


def test_a_term_ending_this_week_is_a_to_do_and_one_ending_later_is_not(personas, bureau):
    on = today()
    # Elected on the same day some years ago: due in 5 days for branch 1, 40 days for branch 2.
    Term.objects.create(
        organization=bureau.branch_1,
        elected_on=on.replace(year=on.year - 3) + datetime.timedelta(days=5),
        length_years=3,
    )
    Term.objects.create(
        organization=bureau.branch_2,
        elected_on=on.replace(year=on.year - 3) + datetime.timedelta(days=40),
        length_years=3,
    )
    until = on + datetime.timedelta(days=7)

    found = [i for i in agenda_items(personas.admin, on, until) if "任期" in i.title]
    assert [(i.org_name, i.due_on) for i in found] == [("第一党支部", on + datetime.timedelta(days=5))]
    assert found[0].basis  # the article behind it
    assert found[0].url == f"/orgs/{bureau.branch_1.pk}/"

    own = [i for i in agenda_items(personas.secretary_of_branch_1, on, until) if "任期" in i.title]
    assert [i.org_name for i in own] == ["第一党支部"]
    assert agenda_items(personas.member, on, until) == []
