from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "abonent.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from abonent.billing import receivers  # noqa: F401 - regenerates schedules when contracts change
