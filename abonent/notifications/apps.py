from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "abonent.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from abonent.core.navigation import NavEntry, register

        register(NavEntry("settings", _("E-mail outbox"), "notifications:outbox", "envelope",
                          section="admin", order=80))
