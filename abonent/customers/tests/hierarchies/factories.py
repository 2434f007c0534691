import factory

from abonent.customers.models import Level, Node, Structure, StructureKind


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    code = factory.Sequence(lambda n: f"structure-{n}")
    kind = StructureKind.ORGANISATION


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    structure = factory.SubFactory(StructureFactory)
    name = factory.Sequence(lambda n: f"Level {n}")
    order = 1


def tree(structure: Structure, shape: dict, parent: Node | None = None) -> dict[str, Node]:
    """Build nodes from {"Name": {"Child": {}}}; return every node by name."""
    made = {}
    for name, children in shape.items():
        if parent is None:
            node = Node.objects.add_root({"structure": structure, "name": name})
        else:
            node = Node.objects.add_child(Node.objects.get(pk=parent.pk), {"structure": structure, "name": name})
        made[name] = node
        made.update(tree(structure, children, node))
    return made
