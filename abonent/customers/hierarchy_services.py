"""Writes about hierarchies: structures, their levels and nodes, and where customers sit in them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from abonent.core.models import Channel
from abonent.core.services import AbonentError, audit_record
from abonent.customers.models import Level, Node, NodeMembership, Party, Structure
from abonent.customers.periods import period_end_for_new, period_in_force
from abonent.customers.tracking import is_tracked


class HierarchyRefused(AbonentError):
    """The change would break the tree or a customer's placements."""


def _tracked(code: str) -> bool:
    """Whether placements in this structure are recorded in the customer's history."""
    return is_tracked("placement", code)


# --- structures and levels ------------------------------------------------------------------------------


def structure_create(
    *, by: Any, name: str, kind: str, code: str = "", channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Structure:
    """Start a new, empty structure; its code defaults to the name written as a slug."""
    name, kind = name.strip(), slugify(kind.strip())
    code = slugify(code.strip() or name)
    if not name or not kind or not code:
        raise HierarchyRefused(_("A structure needs a name and a kind."))
    if Structure.objects.filter(Q(name__iexact=name) | Q(code=code)).exists():
        raise HierarchyRefused(_("A structure named “%(name)s” already exists.") % {"name": name})
    with transaction.atomic():
        structure = Structure.objects.create(name=name, kind=kind, code=code)
        audit_record(actor=by, action="abonent.customers.structure.created", target=structure, channel=channel,
                     now=now, changes={"name": (None, name), "kind": (None, kind), "code": (None, code)})
    return structure


def level_add(
    *, by: Any, structure: Structure, name: str, order: int, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> Level:
    """Name a level of the structure; `order` is the depth it suits (1 for the top)."""
    name = name.strip()
    if not name:
        raise HierarchyRefused(_("A level needs a name."))
    if structure.levels.filter(name__iexact=name).exists():
        raise HierarchyRefused(_("“%(structure)s” already has a level “%(name)s”.")
                               % {"structure": structure.name, "name": name})
    with transaction.atomic():
        level = Level.objects.create(structure=structure, name=name, order=order)
        audit_record(actor=by, action="abonent.customers.level.created", target=level, subject=structure,
                     channel=channel, now=now, changes={"name": (None, name), "order": (None, order)})
    return level


# --- nodes ---------------------------------------------------------------------------------------------


def _lock(structure: Structure) -> None:
    # One writer per structure at a time: treebeard computes new paths from the rows it reads.
    Structure.objects.select_for_update().filter(pk=structure.pk).first()


@contextmanager
def _tree_race() -> Iterator[None]:
    # The top-level nodes of all structures share one sequence of paths, so two administrators adding a
    # top-level node to two structures at the same instant can collide: the second is asked to retry.
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        raise HierarchyRefused(_("Someone changed the tree at the same moment; please try again.")) from None


def _default_level(structure: Structure, depth: int) -> Level | None:
    return structure.levels.filter(order=depth).first()


def _check_level(structure: Structure, level: Level | None) -> None:
    if level is not None and level.structure_id != structure.pk:
        raise HierarchyRefused(_("The level “%(level)s” belongs to another structure.") % {"level": level.name})


def node_add(
    *, by: Any, structure: Structure, name: str, parent: Node | None = None, level: Level | None = None,
    channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Node:
    """Add a node under `parent`, or at the top of the structure; its level defaults to the one of its depth."""
    name = name.strip()
    if not name:
        raise HierarchyRefused(_("A node needs a name."))
    if parent is not None and parent.structure_id != structure.pk:
        raise HierarchyRefused(_("“%(node)s” belongs to another structure.") % {"node": parent.name})
    _check_level(structure, level)
    depth = parent.depth + 1 if parent is not None else 1
    level = level or _default_level(structure, depth)
    with transaction.atomic():
        _lock(structure)
        with _tree_race():
            if parent is None:
                node = Node.objects.add_root({"structure": structure, "name": name, "level": level})
            else:
                node = Node.objects.add_child(parent, {"structure": structure, "name": name, "level": level})
        audit_record(actor=by, action="abonent.customers.node.added", target=node, subject=structure,
                     channel=channel, now=now,
                     changes={"name": (None, name), "parent": (None, parent.name if parent else None),
                              "level": (None, level.name if level else None)})
    return node


def node_rename(
    *, by: Any, node: Node, name: str, level: Level | None = None, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> Node:
    """Rename a node and set its level; its key, and everything pointing at it, stays."""
    name = name.strip()
    if not name:
        raise HierarchyRefused(_("A node needs a name."))
    _check_level(node.structure, level)
    changes = {}
    if name != node.name:
        changes["name"] = (node.name, name)
    if level != node.level:
        changes["level"] = (node.level.name if node.level else None, level.name if level else None)
    if changes:
        with transaction.atomic():
            node.name, node.level = name, level
            node.save(update_fields=["name", "level"])
            audit_record(actor=by, action="abonent.customers.node.renamed", target=node, subject=node.structure,
                         channel=channel, now=now, changes=changes)
    return node


def node_move(
    *, by: Any, node: Node, parent: Node | None, channel: str = Channel.UI, now: dt.datetime | None = None,
) -> Node:
    """Move a node with all its descendants under `parent`, or to the top of its structure when None."""
    node = Node.objects.get(pk=node.pk)
    old_parent = Node.objects.get_parent(node)
    if parent is not None:
        parent = Node.objects.get(pk=parent.pk)
        if parent.structure_id != node.structure_id:
            raise HierarchyRefused(_("A node stays in its structure: “%(target)s” belongs to another one.")
                                   % {"target": parent.name})
        if parent.pk == node.pk or parent.is_descendant_of(node):
            raise HierarchyRefused(
                _("“%(node)s” cannot move under “%(target)s”, which is inside it. Move “%(target)s” out first.")
                % {"node": node.name, "target": parent.name}
            )
    if (old_parent.pk if old_parent else None) == (parent.pk if parent else None):
        return node
    with transaction.atomic():
        _lock(node.structure)
        try:
            with _tree_race():
                if parent is None:
                    Node.objects.move(node, Node.objects.get_root(node), "last-sibling")
                else:
                    Node.objects.move(node, parent, "last-child")
        except InvalidMoveToDescendant:  # checked above; kept in case the tree changed in between
            raise HierarchyRefused(_("A node cannot move inside itself.")) from None
        node = Node.objects.get(pk=node.pk)
        audit_record(actor=by, action="abonent.customers.node.moved", target=node, subject=node.structure,
                     channel=channel, now=now,
                     changes={"parent": (old_parent.name if old_parent else None, parent.name if parent else None)})
    return node


def node_delete(*, by: Any, node: Node, channel: str = Channel.UI, now: dt.datetime | None = None) -> None:
    """Delete a node that is empty: no child nodes, and nobody placed in it now or in the past.

    Children are not moved up silently: who pays for whom must not change as a side effect. A node that
    held customers keeps their history readable, so it can be renamed or moved but not deleted.
    """
    node = Node.objects.get(pk=node.pk)
    if node.numchild:
        raise HierarchyRefused(_("“%(node)s” still has nodes under it: move or delete them first.")
                               % {"node": node.name})
    if node.memberships.exists():
        raise HierarchyRefused(
            _("Customers are or were placed in “%(node)s”: it can be renamed or moved, not deleted, so their "
              "history stays readable.") % {"node": node.name}
        )
    try:
        with transaction.atomic():
            audit_record(actor=by, action="abonent.customers.node.deleted", target=node, subject=node.structure,
                         channel=channel, now=now, changes={"name": (node.name, None)})
            node.delete()
    except ProtectedError as error:
        # Other modules point at nodes (a contract's payer, say) without this module knowing them.
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise HierarchyRefused(
            _("“%(node)s” is still used by %(kinds)s: it can be renamed or moved, not deleted.")
            % {"node": node.name, "kinds": ", ".join(kinds)}
        ) from error


# --- placing customers ---------------------------------------------------------------------------------


def _locked_placements(party: Party, structure: Structure) -> list[NodeMembership]:
    # The party row is the lock: two people placing the same customer queue instead of overlapping.
    Party.objects.select_for_update().filter(pk=party.pk).first()
    return list(
        NodeMembership.objects.filter(party=party, structure=structure).select_related("node")
        .order_by("active_from")
    )


def party_place(
    *, party: Party, node: Node, active_from: dt.date, by: Any, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> NodeMembership:
    """Place the party in `node` from `active_from` on; it leaves its node of that structure the day before.

    A placement that started the same day is corrected in place; one planned later keeps its start.
    """
    now = now or timezone.now()
    structure = node.structure
    with transaction.atomic():
        placements = _locked_placements(party, structure)
        current = period_in_force(placements, active_from)
        if current is not None and current.node_id == node.pk:
            return current
        old = current.node.path_label() if current else None
        if current is not None and current.active_from == active_from:
            membership = current
            membership.node = node
            membership.save(update_fields=["node"])
        else:
            active_to = period_end_for_new(placements, active_from)
            if current is not None:
                current.active_to = active_from
                current.save(update_fields=["active_to"])
            try:
                with transaction.atomic():
                    membership = NodeMembership.objects.create(
                        structure=structure, node=node, party=party, active_from=active_from, active_to=active_to
                    )
            except IntegrityError:  # pragma: no cover - the party lock makes this unreachable
                raise HierarchyRefused(_("The customer was placed by someone else meanwhile; try again.")) from None
        if _tracked(structure.code):
            audit_record(
                actor=by, action="abonent.customers.placement.placed", target=membership, subject=party,
                channel=channel, now=now, changes={structure.code: (old, node.path_label())},
                note=_("from %(day)s") % {"day": active_from.isoformat()},
            )
    return membership


def party_unplace(
    *, party: Party, structure: Structure, active_from: dt.date, by: Any, channel: str = Channel.UI,
    now: dt.datetime | None = None,
) -> None:
    """Take the party out of the structure from `active_from` on (a placement planned later stays)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = period_in_force(_locked_placements(party, structure), active_from)
        if current is None:
            return
        old = current.node.path_label()
        if current.active_from == active_from:
            pk = current.pk
            current.delete()
            current.pk = pk  # the audit entry still names the removed placement
        else:
            current.active_to = active_from
            current.save(update_fields=["active_to"])
        if _tracked(structure.code):
            audit_record(
                actor=by, action="abonent.customers.placement.removed", target=current, subject=party,
                channel=channel, now=now, changes={structure.code: (old, None)},
                note=_("from %(day)s") % {"day": active_from.isoformat()},
            )
