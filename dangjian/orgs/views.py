"""Pages of the organization tree: the tree, one organization, add/edit, record a re-election."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from dangjian.core import numbers
from dangjian.core.derived import rendered_part
from dangjian.core.scope import Audience, access, get_in_scope, get_scope, restrict
from dangjian.orgs import actions
from dangjian.orgs.choices import OrgKind, PostKind
from dangjian.orgs.forms import ElectionForm, OrganizationForm
from dangjian.orgs.models import Organization, TermStatus

# The committee shown here is members' data, reached through the reverse relation (posts) so
# that orgs never imports the members app; the head counts are metrics' figures, read through
# core.numbers: members on the roll today in the subtree, and of the organization itself.
HEAD_COUNTS = ("members.active", "members.direct")

TERM_BADGE = {
    TermStatus.CURRENT: "badge-ok",
    TermStatus.DUE_SOON: "badge-warn",
    TermStatus.OVERDUE: "badge-danger",
    TermStatus.ENDED: "",
}


@dataclass(eq=False)
class TreeNode:
    """One organization as the tree shows it: plain values, so thousands render quickly."""

    pk: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    order: int
    path: str
    total_count: int = 0  # members on the roll in the subtree ("members.active")
    own_count: int = 0  # members on the roll of this organization itself ("members.direct")
    level: int = 0
    is_current: bool = False
    on_path: bool = False
    has_kids: bool = False
    closes: range = range(0)
    kids: list[TreeNode] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return OrgKind(self.kind).label

    @property
    def url(self) -> str:
        return reverse("orgs:detail", args=[self.pk])

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]


def head_counts(user: Any) -> dict[int, dict[str, int]]:
    """The head counts of every organization the user reaches, as of today (a few queries)."""
    return numbers.per_org(HEAD_COUNTS, numbers.on_day(), user)


def tree_nodes(
    user: Any, current: Organization | None = None, counts: dict[int, dict[str, int]] | None = None
) -> list[TreeNode]:
    """The user's organizations in tree order with their head counts (``head_counts``)."""
    fields = ("pk", "name", "short_name", "kind", "parent_id", "order", "path")
    nodes = [TreeNode(*row) for row in restrict(Organization.objects.active(), user).values_list(*fields)]
    if not nodes:
        return []
    counts = head_counts(user) if counts is None else counts
    for node in nodes:
        found = counts.get(node.pk, {})
        node.total_count = found.get("members.active", 0)
        node.own_count = found.get("members.direct", 0)
    on_path = set(current.ancestor_ids) | {current.pk} if current is not None else set()
    for node in nodes:
        node.on_path = node.pk in on_path
        node.is_current = current is not None and node.pk == current.pk
    return in_tree_order(nodes)


def in_tree_order(nodes: list[TreeNode]) -> list[TreeNode]:
    """Depth-first order (siblings by order, then name) with each node's level, kids and the
    number of levels that close after it — what the flat tree template needs to nest lists."""
    by_id = {n.pk: n for n in nodes}
    roots: list[TreeNode] = []
    for node in nodes:
        node.kids = []
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id is not None else None
        (parent.kids if parent is not None else roots).append(node)
    ordered: list[TreeNode] = []
    stack = [(node, 0) for node in sorted(roots, key=lambda n: (n.order, n.name), reverse=True)]
    while stack:
        node, level = stack.pop()
        node.level = level
        node.has_kids = bool(node.kids)
        ordered.append(node)
        stack.extend(
            (kid, level + 1) for kid in sorted(node.kids, key=lambda n: (n.order, n.name), reverse=True)
        )
    for i, node in enumerate(ordered):
        next_level = ordered[i + 1].level if i + 1 < len(ordered) else 0
        node.closes = range(0 if node.has_kids else node.level - next_level)
    return ordered


def tree_html(nodes: list[TreeNode]) -> SafeString:
    """The tree as nested lists, built in Python: a template loop over thousands of nodes takes
    seconds, this takes milliseconds. Nodes with children fold (<details>); on a phone the levels
    below the branches start folded except the line leading to the current page (data-fold)."""
    if not nodes:
        return mark_safe("")
    # orgs:detail is the tree's URL plus the id: one reverse() instead of thousands.
    base = reverse("orgs:tree")
    out = ['<ul class="tree">']
    for o in nodes:
        current = " current" if o.is_current else ""
        aria = ' aria-current="page"' if o.is_current else ""
        inner = (
            f'<span class="badge kind-{o.kind}">{o.kind_label}</span>'
            f'<a class="name" href="{base}{o.pk}/" title="{escape(o.name)}"{aria}>'
            f"{escape(o.short_name or o.name)}</a>"
            f'<span class="count" title="在册党员（含下级组织）">{o.total_count}人</span>'
        )
        if o.has_kids:
            fold = " data-fold" if o.level >= 2 and not o.on_path else ""
            out.append(
                f'<li><details open{fold}><summary class="node{current}">{inner}</summary><ul class="tree">'
            )
        else:
            out.append(f'<li><div class="node leaf{current}">{inner}</div></li>')
            out.append("</ul></details></li>" * len(o.closes))
    out.append("</ul>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped or a number/choice


# Beyond this many organizations the side panel of an organization page shows only its line
# (ancestors, itself, its children); the whole tree stays on the tree page.
SIDE_TREE_MAX = 150


@access(Audience.MEMBERS)
def tree(request: HttpRequest) -> HttpResponse:
    nodes = tree_nodes(request.user)
    context = {"nodes": nodes, "tree_html": tree_html(nodes), "can_write": get_scope(request.user).can_write}
    return render(request, "orgs/tree.html", context)


@access(Audience.MEMBERS, target="orgs.Organization")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_in_scope(Organization.objects.select_related("parent"), request.user, pk=pk)
    scope = get_scope(request.user)
    # Posts, terms, children with their head counts and the side tree are the page's CPU and
    # change only with the ledger: the rendered body is kept per scope and ledger version.
    body = rendered_part(
        "orgs.detail", request, "orgs/_detail_body.html", lambda: _detail_context(request, org)
    )
    context = {
        "org": org,
        "ancestors": org.ancestors(),
        "can_write": scope.can_write,
        "roster_reach": not scope.only_self,
        "body": body,
    }
    return render(request, "orgs/detail.html", context)


def _detail_context(request: HttpRequest, org: Organization) -> dict[str, Any]:
    posts = list(
        restrict(org.posts.all(), request.user).select_related("member").order_by("kind", "-started_on")
    )
    current_posts = [p for p in posts if p.ended_on is None]
    kind_order = {kind: i for i, kind in enumerate(_post_kind_order())}
    current_posts.sort(key=lambda p: (kind_order.get(p.kind, 99), p.started_on))
    ended_posts = sorted((p for p in posts if p.ended_on), key=lambda p: p.ended_on, reverse=True)
    terms = list(restrict(org.terms.all(), request.user).order_by("-elected_on"))
    term = next((t for t in terms if t.ended_on is None), None)
    counts = head_counts(request.user)
    children = list(restrict(org.children.all(), request.user).order_by("order", "name"))
    for child in children:
        child.head_count = counts.get(child.pk, {}).get("members.active", 0)
    scope = get_scope(request.user)
    nodes = tree_nodes(request.user, current=org, counts=counts)
    node = next((n for n in nodes if n.pk == org.pk), None)
    side = nodes
    if len(nodes) > SIDE_TREE_MAX:
        side = in_tree_order([n for n in nodes if n.on_path or n.parent_id == org.pk])
    return {
        "org": org,
        "ancestors": org.ancestors(),
        "current_posts": current_posts,
        "ended_posts": ended_posts,
        "term": term,
        "term_status": term.status() if term else None,
        "term_badge": TERM_BADGE.get(term.status(), "") if term else "",
        "past_terms": [t for t in terms if t is not term],
        "children": children,
        "node": node,
        # Above a branch secretary's own branch the parent exists but is not theirs to open.
        "parent_visible": any(n.pk == org.parent_id for n in nodes),
        "nodes": side,
        "tree_html": tree_html(side),
        "side_trimmed": len(side) < len(nodes),
        "can_write": scope.can_write,
        "roster_reach": not scope.only_self,
    }


def _post_kind_order() -> list[str]:
    return list(PostKind.values)


@access(Audience.OFFICERS, writes=True, get_writes=True, query={"parent": "orgs.Organization"})
def create(request: HttpRequest) -> HttpResponse:
    initial = {}
    parent_id = request.GET.get("parent")
    if parent_id:
        initial["parent"] = get_in_scope(Organization.objects.all(), request.user, pk=parent_id)
    form = OrganizationForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            org = actions.do_save_organization(form.instance, acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已新增党组织“{org.name}”。")
            return redirect(org)
    return render(request, "orgs/form.html", {"form": form, "org": None})


@access(Audience.OFFICERS, writes=True, get_writes=True, target="orgs.Organization")
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_in_scope(Organization.objects.all(), request.user, pk=pk)
    form = OrganizationForm(request.POST or None, instance=org, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with form.save_guard():
                actions.do_save_organization(form.instance, acting_user=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"已保存“{org.name}”。")
            return redirect(org)
    return render(request, "orgs/form.html", {"form": form, "org": org})


@access(Audience.OFFICERS, writes=True, get_writes=True, target="orgs.Organization")
def term_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_in_scope(Organization.objects.all(), request.user, pk=pk)
    form = ElectionForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_record_election(
                org,
                elected_on=form.cleaned_data["elected_on"],
                length_years=form.cleaned_data["length_years"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, f"已记录“{org.name}”的换届选举。")
            return redirect(org.get_absolute_url() + "#terms")
    return render(request, "orgs/term_form.html", {"form": form, "org": org, "term": org.current_term()})


def _add_errors(form: Any, exc: ValidationError) -> None:
    """Put a model's ValidationError on the form fields it names, the rest on the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@access(Audience.OFFICERS, get_writes=True)
def lookup(request: HttpRequest) -> HttpResponse:
    """A form's organization search box (core.lookup): the organizations the user may write for,
    by name; 党小组 only when the form offers them (``cells=1``)."""
    from django.db.models import Q

    from dangjian.core.lookup import lookup_response

    qs = restrict(Organization.objects.all(), request.user, "change")
    if request.GET.get("cells") != "1":
        qs = qs.exclude(kind=OrgKind.CELL)
    kinds = [k for k in request.GET.getlist("kind") if k in OrgKind.values]
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return lookup_response(
        request,
        qs,
        lambda found, text: found.filter(Q(name__contains=text) | Q(short_name__contains=text)),
        ("path", "pk"),
        "在上方输入名称查找党组织。",
    )
