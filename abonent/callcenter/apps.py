from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallcenterConfig(AppConfig):
    name = "abonent.callcenter"
    label = "callcenter"
    verbose_name = _("Call center")

    def ready(self) -> None:
        from abonent.callcenter import receivers  # noqa: F401 - connects the customers' merge signal
