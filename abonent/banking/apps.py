from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankingConfig(AppConfig):
    name = "abonent.banking"
    label = "banking"
    verbose_name = _("Banking")

    def ready(self) -> None:
        from abonent.banking.demo import demo_load
        from abonent.core.demo import DemoStep, demo_step_register
        from abonent.core.navigation import NavEntry, register
        from abonent.core.roles import Access

        demo_step_register(DemoStep("banking", demo_load, order=300))

        register(NavEntry("banking", _("Matching"), "banking:matching:list", "link-45deg", order=50))
        register(NavEntry("banking", _("Bank lines"), "banking:list", "bank", order=51))
        register(NavEntry("banking", _("Bank statements"), "banking:statements:list", "file-earmark-text", order=52))
        register(NavEntry("banking", _("Import a statement"), "banking:upload", "upload", access=Access.WRITE,
                          order=53))
        register(NavEntry("banking", _("Bank accounts"), "banking:accounts", "building", order=54))
