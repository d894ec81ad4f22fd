"""First run (初始化向导): on a fresh install without the demo, create the top organization and
the first administrator, then point to the roster template.

Open to anyone only while nobody has an account (the moment after installing); afterwards only an
administrator reaches it, to add the top organization if there is none, or to see the next steps.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, login, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from dangjian.core.models import Role
from dangjian.core.scope import Audience, access, get_scope
from dangjian.orgs.actions import do_save_organization
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

TOP_KINDS = [
    (k.value, k.label)
    for k in (OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)
]


class TopOrgForm(forms.Form):
    org_name = forms.CharField(
        label="顶层党组织名称", max_length=100, help_text="如：某某局党组、某某局机关党委。"
    )
    org_kind = forms.ChoiceField(label="类别", choices=TOP_KINDS, initial=OrgKind.ORGAN_COMMITTEE)


class FirstAdminForm(TopOrgForm):
    username = forms.CharField(label="管理员用户名", max_length=150)
    full_name = forms.CharField(label="管理员姓名", max_length=50, required=False)
    password1 = forms.CharField(label="密码", widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label="再输一次密码", widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        elif data.get("password1"):
            user = get_user_model()(username=data.get("username", ""))
            try:
                password_validation.validate_password(data["password1"], user)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


def fresh_install() -> bool:
    """Nobody has an account yet: the guide is open without logging in."""
    return not get_user_model().objects.exists()


@access(Audience.PUBLIC, note="open only while no account exists; then administrators only")
def first_run(request: HttpRequest) -> HttpResponse:
    if fresh_install():
        form: forms.Form = FirstAdminForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            with transaction.atomic():
                if not fresh_install():  # someone else was quicker
                    return redirect("login")
                admin = get_user_model().objects.create_superuser(
                    data["username"], password=data["password1"], first_name=data.get("full_name", "")
                )
                Role.objects.create(user=admin, kind="admin")
                _create_top(data, admin)
            login(request, admin, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect("first-run")
        return render(request, "orgs/first_run.html", {"form": form, "step": 1})
    if not request.user.is_authenticated:
        return redirect("login")
    if not get_scope(request.user).is_admin:
        raise PermissionDenied("初始化向导仅供系统管理员使用。")
    if not Organization.objects.exists():
        form = TopOrgForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                _create_top(form.cleaned_data, request.user)
            return redirect("first-run")
        return render(request, "orgs/first_run.html", {"form": form, "step": 1})
    top = Organization.objects.filter(parent__isnull=True).order_by("order", "pk").first()
    return render(request, "orgs/first_run.html", {"step": 2, "top": top})


def _create_top(data: dict[str, Any], user: Any) -> Organization:
    org = Organization(name=data["org_name"].strip(), kind=data["org_kind"], order=1)
    return do_save_organization(org, acting_user=user)
