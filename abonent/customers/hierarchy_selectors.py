"""Reads about hierarchies: a level of a tree, node paths, search, who sits where."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from abonent.customers.models import Node, NodeMembership, Party, Structure
from abonent.customers.models.hierarchies import PATH_SEPARATOR

SEARCH_LIMIT = 50


def _in_force(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}active_from__lte": on}) & (
        Q(**{f"{prefix}active_to__isnull": True}) | Q(**{f"{prefix}active_to__gt": on})
    )


def _subtree_range(node: Node) -> tuple[str, str]:
    """The paths of the node's descendants lie strictly inside this range (the alphabet ends with Z)."""
    return node.path + "0" * node.steplen, node.path + "Z" * 255


def structure_list() -> QuerySet[Structure]:
    """Every structure with its number of nodes."""
    return Structure.objects.annotate(node_count=Count("nodes")).order_by("name")


def node_children(*, structure: Structure, parent: Node | None, on: dt.date) -> QuerySet[Node]:
    """The nodes right under `parent` (the top level when None), by name, each with its number of customers."""
    if parent is None:
        nodes = Node.objects.filter(structure=structure, depth=1)
    else:
        # Only a range on the unique path index, which the planners then use: LIKE 'path%' cannot use it on
        # SQLite nor, in most collations, on PostgreSQL, and a filter on the structure would tempt them into
        # reading every node of that depth.
        nodes = Node.objects.filter(path__range=_subtree_range(parent), depth=parent.depth + 1)
    return nodes.select_related("level").annotate(
        member_count=Count("memberships", filter=_in_force(on, "memberships__"))
    ).order_by("name", "id")


def tree_opened_at(*, structure: Structure, node: Node | None, on: dt.date) -> list[Node]:
    """The top nodes, with the branch down to `node` loaded (in `open_children`) so the tree shows it.

    One query per level of the branch.
    """
    roots = list(node_children(structure=structure, parent=None, on=on))
    if node is None:
        return roots
    level = roots
    for ancestor_path in node.ancestor_paths():
        opened = next((n for n in level if n.path == ancestor_path), None)
        if opened is None:
            break
        opened.open_children = level = list(node_children(structure=structure, parent=opened, on=on))
    return roots


def node_paths(nodes: Iterable[Node]) -> dict[int, str]:
    """Map each node's key to "Root › … › Node", reading all their ancestors in one query."""
    nodes = list(nodes)
    wanted = {path for node in nodes for path in node.ancestor_paths()}
    names = dict(Node.objects.filter(path__in=wanted).values_list("path", "name")) if wanted else {}
    return {
        node.pk: PATH_SEPARATOR.join([*(names.get(p, "?") for p in node.ancestor_paths()), node.name])
        for node in nodes
    }


@dataclass(frozen=True)
class NodeFound:
    node: Node
    path: str

    @property
    def parent_path(self) -> str:
        """Where the node sits: its path without its own name."""
        return self.path.rpartition(PATH_SEPARATOR)[0]


def node_search(
    *, structure: Structure, query: str, exclude_subtree_of: Node | None = None, limit: int = SEARCH_LIMIT,
) -> list[NodeFound]:
    """Nodes of the structure whose name contains `query`, shallowest first, each with its path."""
    query = query.strip()
    if not query:
        return []
    nodes = Node.objects.filter(structure=structure, name__icontains=query).select_related("level")
    if exclude_subtree_of is not None:
        nodes = nodes.exclude(path__range=(exclude_subtree_of.path, exclude_subtree_of.path + "Z" * 255))
    found = list(nodes.order_by("depth", "name", "id")[:limit])
    paths = node_paths(found)
    return [NodeFound(node=n, path=paths[n.pk]) for n in found]


def node_members(*, node: Node, on: dt.date, limit: int = 200) -> list[NodeMembership]:
    """The placements in force in this node on day `on`, by customer name."""
    return list(
        NodeMembership.objects.filter(_in_force(on), node=node).select_related("party")
        .order_by("party__name", "party_id")[:limit]
    )


@dataclass
class StructurePlacement:
    """Where a party sits in one structure on a day, and where it sat before or will sit."""

    structure: Structure
    current: NodeMembership | None = None
    current_path: str = ""
    history: list[tuple[NodeMembership, str]] = field(default_factory=list)


def party_placements(*, party: Party, on: dt.date) -> list[StructurePlacement]:
    """The party's placement in every structure (placed or not), with the history of each; three queries."""
    placements = {s.pk: StructurePlacement(structure=s) for s in Structure.objects.order_by("name")}
    memberships = list(
        NodeMembership.objects.filter(party=party).select_related("node").order_by("structure_id", "-active_from")
    )
    paths = node_paths(m.node for m in memberships)
    for membership in memberships:
        shown = placements[membership.structure_id]
        path = paths[membership.node_id]
        shown.history.append((membership, path))
        if membership.active_from <= on and (membership.active_to is None or on < membership.active_to):
            shown.current, shown.current_path = membership, path
    return list(placements.values())
