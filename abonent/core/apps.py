from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "abonent.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from abonent.core.navigation import NavEntry, register

        register(NavEntry("audit", _("Audit log"), "core:audit", "journal-text", section="admin", order=90))
        register(NavEntry("settings", _("Closed periods"), "core:periods", "lock", section="admin", order=70))
        register(NavEntry("settings", _("Document series"), "core:series_list", "123", section="admin", order=60))
