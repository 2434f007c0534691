"""Routes of custom attributes and hierarchies, included from customers/urls.py (namespace "customers")."""

from django.urls import path

from abonent.customers import attribute_views, hierarchy_views

urlpatterns = [
    # a customer's tabs
    path("<int:pk>/attributes/", attribute_views.party_attributes, name="party_attributes"),
    path("<int:pk>/attributes/<slug:code>/", attribute_views.party_attribute_edit, name="party_attribute_edit"),
    path("<int:pk>/hierarchy/", hierarchy_views.party_hierarchy, name="party_hierarchy"),
    path("<int:pk>/hierarchy/place/", hierarchy_views.party_place_view, name="party_place"),
    path("<int:pk>/hierarchy/<int:structure_pk>/remove/", hierarchy_views.party_unplace_view,
         name="party_unplace"),
    # declaring attributes
    path("attributes/", attribute_views.attribute_definitions, name="attribute_definitions"),
    path("attributes/new/", attribute_views.attribute_definition_edit, name="attribute_definition_create"),
    path("attributes/<int:pk>/", attribute_views.attribute_definition_edit, name="attribute_definition_edit"),
    path("attributes/<int:pk>/choices/new/", attribute_views.attribute_choice_edit, name="attribute_choice_create"),
    path("attributes/<int:pk>/choices/<int:choice_pk>/", attribute_views.attribute_choice_edit,
         name="attribute_choice_edit"),
    # hierarchies
    path("structures/", hierarchy_views.structures, name="structures"),
    path("structures/<int:pk>/", hierarchy_views.structure_tree, name="structure"),
    path("structures/<int:pk>/levels/", hierarchy_views.level_add_view, name="level_add"),
    path("structures/<int:pk>/nodes/new/", hierarchy_views.node_add_view, name="node_add"),
    path("structures/<int:pk>/search/", hierarchy_views.node_search_view, name="node_search"),
    path("structures/<int:pk>/pick/", hierarchy_views.node_pick, name="node_pick"),
    path("nodes/<int:pk>/", hierarchy_views.node_panel, name="node"),
    path("nodes/<int:pk>/children/", hierarchy_views.node_children_view, name="node_children"),
    path("nodes/<int:pk>/rename/", hierarchy_views.node_rename_view, name="node_rename"),
    path("nodes/<int:pk>/move/", hierarchy_views.node_move_view, name="node_move"),
    path("nodes/<int:pk>/delete/", hierarchy_views.node_delete_view, name="node_delete"),
]
