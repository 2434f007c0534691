"""Pages about hierarchies: the structures, their trees, and a customer's Hierarchy tab."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from abonent.core.models import Channel
from abonent.core.permissions import module_required
from abonent.core.roles import Access
from abonent.core.services import AbonentError
from abonent.customers.hierarchy_forms import (
    LevelForm,
    NodeAddForm,
    NodeMoveForm,
    NodeRenameForm,
    PlaceForm,
    StructureForm,
    UnplaceForm,
)
from abonent.customers.hierarchy_selectors import (
    node_children,
    node_members,
    node_paths,
    node_search,
    party_placements,
    structure_list,
    tree_opened_at,
)
from abonent.customers.hierarchy_services import (
    level_add,
    node_add,
    node_delete,
    node_move,
    node_rename,
    party_place,
    party_unplace,
    structure_create,
)
from abonent.customers.models import Node, Party, Structure, StructureKind
from abonent.customers.party_views import with_errors


def _can_manage(request: HttpRequest) -> bool:
    """Trees are configuration: only those who may change the settings shape them."""
    return request.user.module_access("settings") >= Access.WRITE


def _require_manage(request: HttpRequest) -> None:
    if not _can_manage(request):
        raise PermissionDenied


def _structure_url(structure: Structure, **query: object) -> str:
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return reverse("customers:structure", args=[structure.pk]) + (f"?{urlencode(query)}" if query else "")


# --- structures ----------------------------------------------------------------------------------------


@module_required("customers", Access.READ)
def structures(request: HttpRequest) -> HttpResponse:
    """Every structure; administrators start new ones here."""
    form = StructureForm(request.POST or None)
    if request.method == "POST":
        _require_manage(request)
        if form.is_valid():
            try:
                structure = structure_create(by=request.user, name=form.cleaned_data["name"],
                                             kind=form.cleaned_data["kind"], channel=Channel.UI)
            except AbonentError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The structure is created: add its levels and first nodes."))
                return redirect(_structure_url(structure))
    return render(request, "customers/hierarchies/structure_list.html", {
        "structures": structure_list(), "form": form, "kinds": StructureKind.choices,
        "can_manage": _can_manage(request),
    })


def _panel_context(request: HttpRequest, node: Node, today: dt.date) -> dict:
    return {
        "node": node, "path": node_paths([node])[node.pk], "members": node_members(node=node, on=today),
        "deletable": not node.numchild and not node.memberships.exists(),
        "rename_form": NodeRenameForm(structure=node.structure, initial={"name": node.name, "level": node.level}),
        "add_form": NodeAddForm(structure=node.structure, initial={"parent": node.pk}),
        "can_manage": _can_manage(request),
    }


@module_required("customers", Access.READ)
def structure_tree(request: HttpRequest, pk: int) -> HttpResponse:
    """The tree of one structure: its top nodes (deeper ones load when opened), search, the chosen node."""
    structure = get_object_or_404(Structure, pk=pk)
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    selected = Node.objects.filter(structure=structure, pk=request.GET.get("node") or 0).select_related(
        "level", "structure"
    ).first() if (request.GET.get("node") or "").isdigit() else None
    context = {
        "structure": structure, "roots": tree_opened_at(structure=structure, node=selected, on=today),
        "query": query, "results": node_search(structure=structure, query=query) if query else None,
        "levels": structure.levels.all(), "level_form": LevelForm(),
        "root_form": NodeAddForm(structure=structure), "can_manage": _can_manage(request),
    }
    if selected is not None:
        context.update(_panel_context(request, selected, today))
    return render(request, "customers/hierarchies/tree.html", context)


@module_required("settings", Access.WRITE)
@require_POST
def level_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    form = LevelForm(request.POST)
    if form.is_valid():
        try:
            level_add(by=request.user, structure=structure, name=form.cleaned_data["name"],
                      order=form.cleaned_data["order"], channel=Channel.UI)
            messages.success(request, _("The level is added."))
        except AbonentError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Give the level a name and a depth."))
    return redirect(_structure_url(structure))


# --- nodes ---------------------------------------------------------------------------------------------


@module_required("customers", Access.READ)
def node_children_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The nodes under one node, for the tree's lazy loading."""
    node = get_object_or_404(Node.objects.select_related("structure"), pk=pk)
    return render(request, "customers/hierarchies/_children.html", {
        "nodes": node_children(structure=node.structure, parent=node, on=timezone.localdate()),
        "structure": node.structure,
    })


@module_required("customers", Access.READ)
def node_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """One node: its path, its customers, and for administrators the changes they can make."""
    node = get_object_or_404(Node.objects.select_related("structure", "level"), pk=pk)
    if not request.htmx:
        return redirect(_structure_url(node.structure, node=node.pk))
    context = _panel_context(request, node, timezone.localdate())
    return render(request, "customers/hierarchies/_node_panel.html", context)


@module_required("customers", Access.READ)
def node_search_view(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    query = request.GET.get("q", "").strip()
    if not request.htmx:
        return redirect(_structure_url(structure, q=query))
    return render(request, "customers/hierarchies/_search_results.html", {
        "structure": structure, "query": query, "results": node_search(structure=structure, query=query),
    })


@module_required("customers", Access.READ)
def node_pick(request: HttpRequest, pk: int) -> HttpResponse:
    """Radio buttons for the nodes matching a search, for the move and place forms."""
    structure = get_object_or_404(Structure, pk=pk)
    exclude = Node.objects.filter(pk=request.GET.get("exclude") or 0, structure=structure).first() if (
        request.GET.get("exclude") or ""
    ).isdigit() else None
    query = request.GET.get("q", "").strip()
    return render(request, "customers/hierarchies/_picker_results.html", {
        "query": query, "field": "target" if request.GET.get("field") == "target" else "node",
        "results": node_search(structure=structure, query=query, exclude_subtree_of=exclude),
    })


@module_required("settings", Access.WRITE)
@require_POST
def node_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    structure = get_object_or_404(Structure, pk=pk)
    form = NodeAddForm(request.POST, structure=structure)
    parent = None
    if form.is_valid():
        parent_pk = form.cleaned_data["parent"]
        parent = get_object_or_404(Node, pk=parent_pk, structure=structure) if parent_pk else None
        try:
            node = node_add(by=request.user, structure=structure, name=form.cleaned_data["name"], parent=parent,
                            level=form.cleaned_data["level"], channel=Channel.UI)
        except AbonentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": node.name})
            return redirect(_structure_url(structure, node=node.pk))
    else:
        messages.error(request, _("Give the node a name."))
    return redirect(_structure_url(structure, node=parent.pk if parent else None))


@module_required("settings", Access.WRITE)
@require_POST
def node_rename_view(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(Node.objects.select_related("structure", "level"), pk=pk)
    form = NodeRenameForm(request.POST, structure=node.structure)
    if form.is_valid():
        try:
            node_rename(by=request.user, node=node, name=form.cleaned_data["name"], level=form.cleaned_data["level"],
                        channel=Channel.UI)
            messages.success(request, _("Saved."))
        except AbonentError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, _("Give the node a name."))
    return redirect(_structure_url(node.structure, node=node.pk))


@module_required("settings", Access.WRITE)
def node_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a new parent for a node (found by searching), then move it with everything under it."""
    node = get_object_or_404(Node.objects.select_related("structure"), pk=pk)
    structure = node.structure
    form = NodeMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data["target"]
        parent = None if target == "top" else Node.objects.filter(
            pk=int(target) if target.isdigit() else 0, structure=structure
        ).first()
        if parent is None and target != "top":
            form.add_error("target", _("Choose where to move it."))
        else:
            try:
                node_move(by=request.user, node=node, parent=parent, channel=Channel.UI)
            except AbonentError as error:
                form.add_error("target", str(error))
            else:
                messages.success(request, _("“%(name)s” is moved with everything under it.") % {"name": node.name})
                return redirect(_structure_url(structure, node=node.pk))
    query = request.GET.get("q", "").strip()
    return render(request, "customers/hierarchies/move.html", {
        "node": node, "structure": structure, "path": node_paths([node])[node.pk], "form": form, "query": query,
        "results": node_search(structure=structure, query=query, exclude_subtree_of=node) if query else None,
    })


@module_required("settings", Access.WRITE)
@require_POST
def node_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    node = get_object_or_404(Node.objects.select_related("structure"), pk=pk)
    structure = node.structure
    parent = Node.objects.get_parent(node)
    try:
        node_delete(by=request.user, node=node, channel=Channel.UI)
    except AbonentError as error:
        messages.error(request, str(error))
        return redirect(_structure_url(structure, node=node.pk))
    messages.success(request, _("“%(name)s” is deleted.") % {"name": node.name})
    return redirect(_structure_url(structure, node=parent.pk if parent else None))


# --- a customer's Hierarchy tab ------------------------------------------------------------------------


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _render_tab(request: HttpRequest, party: Party, *, place_form: PlaceForm | None = None, notice: str = "",
                error: str = "", as_tab: bool = False) -> HttpResponse:
    today = timezone.localdate()
    as_of = _day(request.GET.get("as_of", ""))
    placing = place_form.data.get("structure") if place_form is not None else request.GET.get("place", "")
    query = request.GET.get("q", "").strip()
    placements = party_placements(party=party, on=as_of or today)
    placing_structure = next((p.structure for p in placements if str(p.structure.pk) == str(placing)), None)
    results = None
    if placing_structure is not None and query:
        results = node_search(structure=placing_structure, query=query)
    context = {
        "party": party, "placements": placements, "as_of": as_of, "today": today,
        "placing": placing_structure, "query": query, "results": results, "notice": notice, "error": error,
        "place_form": place_form, "can_write": request.user.module_access("customers") >= Access.WRITE and not as_of,
    }
    fragment = render(request, "customers/hierarchies/tab.html", context)
    # The registered tab is always the fragment: the customer page puts it in place.
    if as_tab:
        return fragment
    # Alone for HTMX; inside the customer page (tab "hierarchy") for a plain request.
    return with_errors(request, party, "hierarchy", fragment)


@module_required("customers", Access.READ)
def hierarchy_tab(request: HttpRequest, party: Party) -> HttpResponse:
    """The customer page's Hierarchy tab: the party's node in every structure, with paths, to place or remove."""
    return _render_tab(request, party, as_tab=True)


@module_required("customers", Access.READ)
def party_hierarchy(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_tab(request, get_object_or_404(Party, pk=pk))


def _tab_done(request: HttpRequest, party: Party, notice: str) -> HttpResponse:
    if request.htmx:
        return _render_tab(request, party, notice=notice)
    messages.success(request, notice)
    return redirect("customers:party_hierarchy", pk=party.pk)


@module_required("customers", Access.WRITE)
@require_POST
def party_place_view(request: HttpRequest, pk: int) -> HttpResponse:
    party = get_object_or_404(Party, pk=pk)
    form = PlaceForm(request.POST)
    if form.is_valid():
        node = Node.objects.filter(pk=form.cleaned_data["node"], structure_id=form.cleaned_data["structure"]).first()
        if node is None:
            form.add_error("node", _("Choose a node."))
        else:
            try:
                party_place(party=party, node=node, active_from=form.cleaned_data["active_from"], by=request.user,
                            channel=Channel.UI)
            except AbonentError as error:
                form.add_error("node", str(error))
            else:
                day = date_format(form.cleaned_data["active_from"], "SHORT_DATE_FORMAT")
                return _tab_done(request, party, _("Placed in “%(path)s” from %(day)s.") % {
                    "path": node_paths([node])[node.pk], "day": day})
    return _render_tab(request, party, place_form=form)


@module_required("customers", Access.WRITE)
@require_POST
def party_unplace_view(request: HttpRequest, pk: int, structure_pk: int) -> HttpResponse:
    party = get_object_or_404(Party, pk=pk)
    structure = get_object_or_404(Structure, pk=structure_pk)
    form = UnplaceForm(request.POST)
    if not form.is_valid():
        return _render_tab(request, party, error=_("Give the day the customer leaves the structure."))
    try:
        party_unplace(party=party, structure=structure, active_from=form.cleaned_data["active_from"],
                      by=request.user, channel=Channel.UI)
    except AbonentError as error:
        return _render_tab(request, party, error=str(error))
    return _tab_done(request, party, _("Removed from “%(structure)s” from %(day)s.") % {
        "structure": structure.name, "day": date_format(form.cleaned_data["active_from"], "SHORT_DATE_FORMAT")})
