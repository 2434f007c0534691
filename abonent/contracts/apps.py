from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContractsConfig(AppConfig):
    name = "abonent.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from abonent.contracts import demo, receivers, views  # noqa: F401 - receivers connect the party-merge signal
        from abonent.contracts.models import Contract, ContractLine, Discount, Product
        from abonent.core.demo import DemoStep, demo_step_register
        from abonent.core.navigation import NavEntry, register
        from abonent.core.roles import Access
        from abonent.customers.history_words import history_words_register
        from abonent.customers.tabs import register_tab

        register(NavEntry("contracts", _("Contracts"), "contracts:list", "file-earmark-text", order=30))
        register(NavEntry("contracts", _("Products"), "contracts:products", "box-seam", access=Access.WRITE,
                          section="admin", order=60))
        register(NavEntry("contracts", _("Discounts"), "contracts:discounts", "percent", access=Access.WRITE,
                          section="admin", order=61))
        demo_step_register(DemoStep("contracts", demo.demo_contracts_load, order=50))
        register_tab("contracts", _("Contracts"), views.contracts_tab, order=35, module="contracts")
        history_words_register("contracts", models={"contract": Contract, "line": ContractLine, "product": Product,
                                                    "discount": Discount}, nouns={
            "contract": _("Contract"), "line": _("Contract line"), "product": _("Product"), "discount": _("Discount"),
        }, verbs={
            "created": pgettext_lazy("history", "created"), "changed": pgettext_lazy("history", "changed"),
            "added": pgettext_lazy("history", "added"), "removed": pgettext_lazy("history", "removed"),
            "ended": pgettext_lazy("history", "ended"), "activated": pgettext_lazy("history", "activated"),
            "suspended": pgettext_lazy("history", "suspended"), "resumed": pgettext_lazy("history", "resumed"),
            "terminated": pgettext_lazy("history", "terminated"),
        })
