from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "abonent.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from abonent.contracts import receivers  # noqa: F401 - connects the party-merge receiver
