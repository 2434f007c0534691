from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "abonent.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from abonent.core.navigation import NavEntry, register
        from abonent.core.roles import Access
        from abonent.customers import party_views, tracking  # noqa: F401 - tracking connects its signals
        from abonent.customers.tabs import register_tab

        register(NavEntry("customers", _("Customers"), "customers:list", "person-vcard", order=10))
        register(NavEntry("settings", _("Call-center statuses"), "customers:statuses", "telephone-outbound",
                          access=Access.WRITE, section="admin", order=75))
        register(NavEntry("settings", _("Tracked changes"), "customers:tracking", "clock-history",
                          access=Access.WRITE, section="admin", order=76))

        register_tab("overview", _("Overview"), party_views.overview_tab, order=10)
        register_tab("contacts", _("Contacts"), party_views.contacts_tab, order=20)
        register_tab("notes", _("Notes"), party_views.notes_tab, order=50)
        register_tab("tasks", _("Tasks"), party_views.tasks_tab, order=60)
        register_tab("history", _("History"), party_views.history_tab, order=90)
