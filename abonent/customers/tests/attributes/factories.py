import factory

from abonent.customers.models import AttributeChoice, AttributeDefinition, AttributeType


class AttributeDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeDefinition

    code = factory.Sequence(lambda n: f"attribute-{n}")
    type = AttributeType.TEXT
    label = factory.LazyAttribute(lambda d: {"en": d.code.replace("-", " ").capitalize()})


class AttributeChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AttributeChoice

    definition = factory.SubFactory(AttributeDefinitionFactory, type=AttributeType.CHOICE)
    code = factory.Sequence(lambda n: f"choice-{n}")
    label = factory.LazyAttribute(lambda c: {"en": c.code.capitalize()})
