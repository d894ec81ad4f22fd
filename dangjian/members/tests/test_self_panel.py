"""The hook other apps use to add their part to a member's own home panel."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from dangjian.members import panels

pytestmark = pytest.mark.django_db


def test_registered_sections_show_on_the_members_home_and_only_theirs(personas, bureau, login, monkeypatch):
    monkeypatch.setattr(panels, "_self_sections", [])

    def letters(member, user):  # type: ignore[no-untyped-def]
        return (
            f"<div class='letters'>{escape(member.name)}的承诺书 1 份</div>"
            if member.pk == bureau.member_1.pk
            else None
        )

    panels.register_self_panel(letters)
    panels.register_self_panel(lambda member, user: None)
    page = login(personas.member).get("/").content.decode()
    assert f"<div class='letters'>{bureau.member_1.name}的承诺书 1 份</div>" in page
    assert "/activities/mine/" in page and "/password/" in page
    assert "承诺书" not in login(personas.secretary_of_branch_1).get("/").content.decode()
