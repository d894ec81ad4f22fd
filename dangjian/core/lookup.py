"""Search fields for choices that run to thousands: a province reaches 20,000 members and 10,000
organizations, and a ``<select>`` of them all took a form 5–25 seconds to render.

``use_lookup(field, "members:lookup")`` shows a model choice field as a search box; typing asks
the lookup page (htmx) for at most LOOKUP_MAX matches, listed as radio buttons (checkboxes for a
multiple choice) named like the field, so the form posts ids as a select would. The values
already chosen are rendered checked and sent along with each search, which lists them first, so
they survive a new search. The field still checks the posted ids against its own queryset.

A lookup page reads through the scope helper and answers with ``lookup_response``: names and, for
a member, their branch — nothing else about anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Case, IntegerField, QuerySet, When
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

# How many matches one search lists: enough to pick from, short on a phone.
LOOKUP_MAX = 20
TEXT_MAX = 40


class LookupWidget(forms.Widget):
    """A search box and the list of matches for a model choice field (see the module's doc)."""

    template_name = "core/widgets/lookup.html"

    def __init__(
        self,
        url_name: str,
        *,
        multiple: bool = False,
        placeholder: str = "",
        hint: str = "",
        params: str = "",
        url_args: tuple[Any, ...] = (),
    ) -> None:
        super().__init__()
        self.url_name, self.url_args, self.multiple = url_name, url_args, multiple
        self.placeholder, self.hint, self.params = placeholder, hint, params
        self.queryset: Any = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        wanted = value if isinstance(value, list | tuple) else [value]
        ids = [int(v) for v in wanted if str(v).isdecimal()]
        chosen = list(self.queryset.filter(pk__in=ids)) if ids and self.queryset is not None else []
        # The form may make the field required after use_lookup ran: the bound field's required
        # attribute says what it is when rendered. The search page is told too (no （不选） there).
        required = self.is_required or bool((attrs or {}).get("required"))
        query = (
            f"field={name}"
            + ("&multiple=1" if self.multiple else "")
            + ("&required=1" if required else "")
            + (f"&{self.params}" if self.params else "")
        )
        context["widget"].update(
            {
                "url": f"{reverse(self.url_name, args=self.url_args)}?{query}",
                "placeholder": self.placeholder,
                "results": {
                    "field": name,
                    "multiple": self.multiple,
                    "required": required,
                    "chosen": [lookup_row(obj) for obj in chosen],
                    "hint": self.hint,
                },
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if self.multiple and hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An unchecked checkbox list sends nothing: that means "nobody", not "unchanged".
        return False if self.multiple else name not in data


def use_lookup(
    field: forms.Field,
    url_name: str,
    *,
    multiple: bool = False,
    placeholder: str = "",
    hint: str = "",
    params: str = "",
    url_args: tuple[Any, ...] = (),
) -> None:
    """Show ``field`` (a model choice field whose queryset is already set) as a lookup; the lookup
    page is ``url_name`` reversed with ``url_args`` (a page that searches one record's choices)."""
    widget = LookupWidget(
        url_name, multiple=multiple, placeholder=placeholder, hint=hint, params=params, url_args=url_args
    )
    widget.queryset = field.queryset  # type: ignore[attr-defined]
    widget.is_required = field.required
    field.widget = widget


def member_lookup(field: forms.Field, *, multiple: bool = False, within: Any = None) -> None:
    """A member field as a search by name, pinyin initials or branch (``members:lookup``),
    limited to organization ``within``'s subtree when the form's choices are."""
    use_lookup(
        field,
        "members:lookup",
        multiple=multiple,
        placeholder="姓名、拼音首字母或支部",
        hint="在上方输入姓名、拼音首字母或支部名称查找党员。",
        params=f"within={within.pk}" if within is not None else "",
    )


def org_lookup(field: forms.Field, *, cells: bool = False, kinds: tuple[str, ...] = ()) -> None:
    """An organization field as a search by name (``orgs:lookup``; 党小组 only when ``cells``,
    only ``kinds`` when given)."""
    params = ["cells=1"] if cells else []
    params += [f"kind={kind}" for kind in kinds]
    use_lookup(
        field,
        "orgs:lookup",
        placeholder="组织名称",
        hint="在上方输入名称查找党组织。",
        params="&".join(params),
    )


def lookup_row(obj: Any) -> dict[str, Any]:
    """What a lookup lists for one record: its id, its name and (a member, a 党小组) their branch,
    or the note the lookup's queryset annotated as ``lookup_note``."""
    note = getattr(obj, "lookup_note", None)
    if note is not None:
        return {"pk": obj.pk, "name": obj.name, "note": note}
    org = getattr(obj, "organization", None)
    if org is None and getattr(obj, "kind", None) == "cell":
        # Every branch has its 第一党小组: a 党小组 is told apart by its branch.
        org = obj.parent
    note = (org.short_name or org.name) if org is not None else ""
    return {"pk": obj.pk, "name": obj.name, "note": note}


def first_matches(qs: QuerySet[Any], text: str, order: tuple[str, ...]) -> tuple[list[Any], bool]:
    """Up to LOOKUP_MAX of ``qs`` (already filtered by the search), an exact name first; and
    whether there were more."""
    found = list(
        qs.annotate(exact=Case(When(name=text, then=0), default=1, output_field=IntegerField())).order_by(
            "exact", *order
        )[: LOOKUP_MAX + 1]
    )
    return found[:LOOKUP_MAX], len(found) > LOOKUP_MAX


def lookup_response(
    request: HttpRequest,
    qs: QuerySet[Any],
    search: Callable[[QuerySet[Any], str], QuerySet[Any]],
    order: tuple[str, ...],
    hint: str,
) -> HttpResponse:
    """A lookup page's answer: the values already chosen (kept checked) and the search's matches,
    both from ``qs`` — the reach-limited choices — as ``core/_lookup_results.html``."""
    field = request.GET.get("field", "")
    if not (field.isidentifier() and field.isascii() and len(field) <= TEXT_MAX):
        # Not a 404: the page exists, the request names no field of a form.
        return HttpResponseBadRequest("请求缺少字段名。")
    multiple = request.GET.get("multiple") == "1"
    wanted = [v for v in request.GET.getlist(field) if v.isdecimal()][:LOOKUP_MAX]
    chosen = list(qs.filter(pk__in=wanted)) if wanted else []
    text = request.GET.get(f"{field}_q", "").strip()[:TEXT_MAX]
    matched, more = first_matches(search(qs, text), text, order) if text else ([], False)
    # The chosen ones are listed first, checked; a search that finds only them found something.
    found = [o for o in matched if o not in chosen]
    return render(
        request,
        "core/_lookup_results.html",
        {
            "field": field,
            "multiple": multiple,
            "required": request.GET.get("required") == "1",
            "chosen": [lookup_row(o) for o in chosen],
            "found": [lookup_row(o) for o in found],
            "q": text,
            "more": more,
            "matched": bool(matched),
            "hint": hint,
        },
    )
