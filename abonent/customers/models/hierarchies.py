"""Hierarchies: independent unlimited-depth trees (organisation, billing, discounts, payments, ...)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from abonent.customers.models.party import Party

__all__ = ["Level", "Node", "NodeMembership", "Structure", "StructureKind"]

PATH_SEPARATOR = " › "


class StructureKind(models.TextChoices):
    """Suggested kinds; an administrator may type any other."""

    ORGANISATION = "organisation", _("Organisation")
    BILLING = "billing", _("Billing")
    DISCOUNTS = "discounts", _("Discounts")
    PAYMENTS = "payments", _("Payments")


class Structure(models.Model):
    """One independent tree: e.g. the organisation chart, or who pays for whom."""

    # The code names the structure in the audit log, the tracking scope, imports and the API.
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.SlugField(_("kind"), max_length=40, help_text=_("organisation, billing, discounts, payments, …"))

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return str(StructureKind(self.kind).label) if self.kind in StructureKind.values else self.kind


class Level(models.Model):
    """A named level of a structure ("centre", "department", …); the n-th level suits nodes at depth n."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("name"), max_length=80)
    order = models.PositiveSmallIntegerField(_("depth"), default=1)

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["structure", "order", "name"]
        constraints = [models.UniqueConstraint(fields=["structure", "name"], name="level_name_unique")]

    def __str__(self) -> str:
        return self.name


class Node(MP_Node):
    """A place in a structure's tree that can hold parties.

    A node is meant to be pointed at: contracts will name "the node responsible for payment". So its key
    never changes when it is renamed or moved (only the materialized `path` does, which nothing outside the
    tree should store), it is never deleted while anyone sits or sat in it, and `path_label()` gives the
    unambiguous "Centre › Department › Team" to show beside the name.

    The roots of every structure share treebeard's one tree table; a structure's top-level nodes are
    treebeard roots carrying its key, and a subtree never moves to another structure.
    """

    # 4 characters per level over 36 symbols: 1.6 million children per node, 255 levels deep.
    steplen = 4
    path = models.CharField(max_length=1020, unique=True)
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="nodes")
    name = models.CharField(_("name"), max_length=120)
    level = models.ForeignKey(Level, verbose_name=_("level"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="nodes")

    class Meta:
        verbose_name = _("node")
        verbose_name_plural = _("nodes")
        indexes = [models.Index(fields=["structure", "depth", "name"], name="node_structure_depth_idx")]

    def __str__(self) -> str:
        return self.name

    def ancestor_paths(self) -> list[str]:
        """The materialized paths of this node's ancestors, root first (no query)."""
        return [self.path[: self.steplen * d] for d in range(1, self.depth)]

    def path_label(self, ancestors: list[Node] | None = None) -> str:
        """Root › … › this node; pass the ancestors when they are already loaded."""
        if ancestors is None:
            ancestors = list(Node.objects.get_ancestors(self))
        return PATH_SEPARATOR.join([*(a.name for a in ancestors), self.name])


class NodeMembership(models.Model):
    """A party sits in a node during [active_from, active_to); at most one node per structure at a time."""

    # Copied from the node so that "one node per structure at a time" has an index to check against.
    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="memberships")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="placements")
    active_from = models.DateField(_("from"))
    active_to = models.DateField(_("until (exclusive)"), null=True, blank=True)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        ordering = ["party", "structure", "active_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_to__isnull=True) | models.Q(active_to__gt=models.F("active_from")),
                name="membership_period_not_empty",
            ),
            models.UniqueConstraint(
                fields=["party", "structure"], condition=models.Q(active_to__isnull=True),
                name="membership_one_open_per_structure",
            ),
            models.UniqueConstraint(fields=["party", "structure", "active_from"],
                                    name="membership_one_start_per_day"),
        ]
        indexes = [models.Index(fields=["node", "active_to"], name="membership_node_idx")]

    def __str__(self) -> str:
        return f"{self.party_id} in {self.node_id} [{self.active_from}, {self.active_to or '…'})"
