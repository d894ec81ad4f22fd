"""A fresh install without the demo: the first-run guide, then every page on an empty database.

The guide (``/setup/``) is open only while nobody has an account; it creates the top
organization and the first administrator and then offers the roster template. Afterwards an
administrator clicks through the whole site with nothing in it: no page may answer 404 or 500
(the smoke crawl's checks, tests/test_smoke_crawl.py).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dangjian.core.models import Role
from dangjian.orgs.models import Organization
from tests.test_smoke_crawl import crawl

pytestmark = pytest.mark.django_db

GUIDE = {
    "org_name": "某某局党组",
    "org_kind": "leading_group",
    "username": "admin",
    "full_name": "王管理",
    "password1": "Xy7-first-run-pass",
    "password2": "Xy7-first-run-pass",
}


def test_the_login_page_of_a_fresh_install_leads_to_the_guide(client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert 'href="/setup/"' in page and "初始化" in page


def test_the_guide_creates_the_top_organization_and_the_first_admin(client: Client) -> None:
    bad = client.post("/setup/", {**GUIDE, "password2": "different"})
    assert bad.status_code == 200 and "两次输入的密码不一致" in bad.content.decode()
    assert not Organization.objects.exists() and not get_user_model().objects.exists()

    done = client.post("/setup/", GUIDE)
    assert done.status_code == 302 and done["Location"] == "/setup/"
    org = Organization.objects.get()
    assert (org.name, org.kind, org.parent) == ("某某局党组", "leading_group", None)
    admin = get_user_model().objects.get()
    assert admin.is_superuser and admin.check_password(GUIDE["password1"])
    assert Role.objects.get(user=admin).kind == "admin"
    next_step = client.get("/setup/").content.decode()
    assert "/members/import/template/" in next_step and "/members/import/" in next_step

    # Once someone has an account the guide is closed to everyone else.
    other = Client()
    assert other.post("/setup/", {**GUIDE, "username": "intruder"}).status_code in (302, 403)
    assert get_user_model().objects.count() == 1


def test_an_admin_without_an_organization_is_asked_for_the_top_one(client: Client) -> None:
    user = get_user_model().objects.create_superuser("admin", password="pw-root-123", first_name="王管理")
    client.force_login(user)
    home = client.get("/").content.decode()
    assert 'href="/setup/"' in home
    page = client.get("/setup/").content.decode()
    assert 'name="org_name"' in page and 'name="password1"' not in page
    client.post("/setup/", {"org_name": "某某局机关党委", "org_kind": "organ_committee"})
    assert Organization.objects.get().name == "某某局机关党委"


def test_every_page_answers_on_an_empty_database(client: Client) -> None:
    client.post("/setup/", GUIDE)
    result = crawl(client, "admin")
    assert result.visited > 20
    assert result.problems == [], "\n".join(result.problems)


def test_every_page_answers_without_any_organization(client: Client) -> None:
    """An administrator made with createsuperuser before the guide ran: nothing at all yet."""
    client.force_login(
        get_user_model().objects.create_superuser("admin", password="pw-root-123", first_name="王管理")
    )
    result = crawl(client, "admin")
    assert result.visited > 20
    assert result.problems == [], "\n".join(result.problems)
