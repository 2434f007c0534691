from django.apps import AppConfig
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "abonent.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from abonent.core.navigation import NavEntry, register
        from abonent.core.roles import Access
        from abonent.customers import attribute_views, hierarchy_views, party_views, tracking
        from abonent.customers.models import AttributeDefinition, Structure
        from abonent.customers.tabs import register_tab

        register(NavEntry("customers", _("Customers"), "customers:list", "person-vcard", order=10))
        register(NavEntry("customers", _("Hierarchies"), "customers:structures", "diagram-2", order=12))
        register(NavEntry("settings", _("Customer attributes"), "customers:attribute_definitions", "ui-checks",
                          access=Access.WRITE, section="admin", order=74))
        register(NavEntry("settings", _("Call-center statuses"), "customers:statuses", "telephone-outbound",
                          access=Access.WRITE, section="admin", order=75))
        register(NavEntry("settings", _("Tracked changes"), "customers:tracking", "clock-history",
                          access=Access.WRITE, section="admin", order=76))

        register_tab("overview", _("Overview"), party_views.overview_tab, order=10)
        register_tab("contacts", _("Contacts"), party_views.contacts_tab, order=20)
        register_tab("notes", _("Notes"), party_views.notes_tab, order=50)
        register_tab("tasks", _("Tasks"), party_views.tasks_tab, order=60)
        register_tab("attributes", _("Attributes"), attribute_views.attributes_tab, order=30)
        register_tab("hierarchy", _("Hierarchies"), hierarchy_views.hierarchy_tab, order=40)
        register_tab("history", _("History"), party_views.history_tab, order=90)

        # The tracking-scope page offers attributes and placements by their code, read when it opens.
        tracking.register_trackable("attribute", _("Custom attributes"), lambda: [
            (d.code, d.label_in(get_language())) for d in AttributeDefinition.objects.order_by("order", "code")
        ], order=70)
        tracking.register_trackable("placement", _("Hierarchy placements"), lambda: [
            (s.code, s.name) for s in Structure.objects.order_by("name")
        ], order=80)
