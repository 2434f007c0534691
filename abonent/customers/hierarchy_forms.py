"""Input of the hierarchy pages: structures, levels, nodes, moves and placements."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from abonent.customers.attribute_forms import DATE_INPUT
from abonent.customers.models import Level, Structure


class StructureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.CharField(label=_("Kind"), max_length=40, widget=forms.TextInput(attrs={"list": "structure-kinds"}),
                           help_text=_("Pick one or type your own."))


class LevelForm(forms.Form):
    name = forms.CharField(label=_("Level name"), max_length=80)
    order = forms.IntegerField(label=_("Depth"), min_value=1, max_value=255, initial=1,
                               help_text=_("1 for the top nodes, 2 for the nodes under them, …"))


class _LevelChoice(forms.Form):
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.none(), required=False,
                                   empty_label=_("(by depth)"))

    def __init__(self, *args, structure: Structure, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = structure.levels.all()


class NodeAddForm(_LevelChoice):
    name = forms.CharField(label=_("Name"), max_length=120)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "level"]


class NodeRenameForm(_LevelChoice):
    name = forms.CharField(label=_("Name"), max_length=120)

    field_order = ["name", "level"]


class NodeMoveForm(forms.Form):
    # "top" for the top level of the structure, otherwise a node's key.
    target = forms.CharField(label=_("New place"), error_messages={"required": _("Choose where to move it.")})


class PlaceForm(forms.Form):
    structure = forms.IntegerField(widget=forms.HiddenInput)
    node = forms.IntegerField(label=_("Node"), error_messages={"required": _("Choose a node.")})
    active_from = forms.DateField(label=_("Effective from"), widget=DATE_INPUT)


class UnplaceForm(forms.Form):
    active_from = forms.DateField(label=_("Leaves from"), widget=DATE_INPUT)
