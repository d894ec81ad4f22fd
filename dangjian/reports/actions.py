"""Audited writes on report drafts: create, regenerate from the ledger, save an edited version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max

from dangjian.core import audit
from dangjian.core.period import Period
from dangjian.core.scope import check_supervisor, check_write, require_write
from dangjian.orgs.models import Organization
from dangjian.reports.build import Built, build
from dangjian.reports.composer import Inputs
from dangjian.reports.document import Document
from dangjian.reports.models import Draft, Genre, Version


def inputs_of(draft: Draft) -> Inputs:
    return Inputs(
        problems=Draft.lines(draft.problems),
        next_steps=Draft.lines(draft.next_steps),
        opening=draft.opening,
    )


def compose_draft(draft: Draft, *, user: Any) -> Built:
    built = build(
        draft.genre.body,
        draft.organization,
        draft.period,
        user=user,
        inputs=inputs_of(draft),
        genre_code=draft.genre.code,
        person=draft.subject,
    )
    if draft.title:
        built.document.title = draft.title
    return built


def _next_number(draft: Draft) -> int:
    return (draft.versions.aggregate(n=Max("number"))["n"] or 0) + 1


def _save_version(
    draft: Draft, document: Document, figures: list[dict[str, Any]], note: str, user: Any
) -> Version:
    version = Version.objects.create(
        draft=draft,
        number=_next_number(draft),
        document=document.to_json(),
        figures=figures,
        note=note,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit.record(draft, f"保存第{version.number}版", {"note": note})
    return version


@transaction.atomic
def do_create_draft(
    *, genre: Genre, organization: Any, period: Period, acting_user: Any, via: str = "web"
) -> Draft:
    """A new draft composed from the ledger, saved as version 1."""
    check_write(acting_user, organization, "起草")
    with audit.acting(acting_user, via):
        draft = Draft(genre=genre, organization=organization, period=period, title="", created_by=None)
        if getattr(acting_user, "is_authenticated", False):
            draft.created_by = acting_user
        built = compose_draft(draft, user=acting_user)
        draft.title = built.document.title
        draft.signer = organization.name
        draft.full_clean()
        draft.save()
        _save_version(draft, built.document, built.figures_json(), "根据台账生成", acting_user)
    return draft


@transaction.atomic
def do_regenerate(draft: Draft, *, acting_user: Any, via: str = "web") -> Version:
    """Compose again from the ledger and the officer's inputs; earlier versions stay."""
    check_write(acting_user, draft.organization, "修改")
    with audit.acting(acting_user, via):
        built = compose_draft(draft, user=acting_user)
        return _save_version(draft, built.document, built.figures_json(), "根据台账重新生成", acting_user)


@transaction.atomic
def do_save_inputs(draft: Draft, *, acting_user: Any, via: str = "web") -> Version:
    """Save what only the officer knows (problems, next steps, opening) and compose again."""
    check_write(acting_user, draft.organization, "修改")
    with audit.acting(acting_user, via):
        draft.full_clean()
        draft.save()
        built = compose_draft(draft, user=acting_user)
        return _save_version(draft, built.document, built.figures_json(), "更新问题与打算后生成", acting_user)


@transaction.atomic
def do_save_edit(
    draft: Draft, base: Version, document: Document, *, note: str, acting_user: Any, via: str = "web"
) -> Version:
    """Save the officer's wording as a new version, keeping the figures still present in it."""
    check_write(acting_user, draft.organization, "修改")
    with audit.acting(acting_user, via):
        keys = set(document.figure_keys())
        figures = [f for f in base.figures if f.get("key") in keys]
        if document.title != draft.title:
            draft.title = document.title
            draft.save()
        return _save_version(draft, document, figures, note or "人工修改", acting_user)


def _check_genre_owner(genre: Genre, acting_user: Any) -> None:
    """A built-in genre is nobody's to change; a user's genre belongs to their organization."""
    if genre.is_builtin:
        raise PermissionDenied("内置文体不能修改，请先复制一份再改。")
    if genre.owner_id is None:
        check_supervisor(acting_user, "修改本机关共用的文体模板")
    else:
        check_write(acting_user, genre.owner, "修改")


@transaction.atomic
def do_save_genre(genre: Genre, *, acting_user: Any, via: str = "web") -> Genre:
    """Save a user's genre template (name, code, description, body)."""
    _check_genre_owner(genre, acting_user)
    with audit.acting(acting_user, via):
        genre.full_clean()
        genre.save()
    return genre


@transaction.atomic
def do_copy_genre(source: Genre, *, acting_user: Any, via: str = "web") -> Genre:
    """Copy a genre for the user's organization (the whole agency's for 机关党委 and admins)."""
    scope = require_write(acting_user)
    owner = None if scope.whole_agency else Organization.objects.filter(pk=scope.org_id).first()
    base_code = f"{source.code}-copy"
    code, n = base_code, 1
    while Genre.objects.filter(code=code).exists():
        n += 1
        code = f"{base_code}{n}"
    with audit.acting(acting_user, via):
        return Genre.objects.create(
            code=code,
            name=f"{source.name}（副本）",
            description=source.description,
            body=source.body,
            based_on=source,
            owner=owner,
        )
