from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "abonent.customers"
    label = "customers"
    verbose_name = _("Customers")

    def ready(self) -> None:
        from abonent.core.navigation import NavEntry, register

        register(NavEntry("customers", _("Customers"), "customers:list", "person-vcard", order=10))
