from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "abonent.imports"
    label = "imports"
    verbose_name = _("Import and export")

    def ready(self) -> None:
        from abonent.core.navigation import NavEntry, register

        register(NavEntry("imports", _("Import customers"), "imports:list", "box-arrow-in-down", order=80))
        from abonent.imports import tasks  # noqa: F401 - registers the worker's tasks and its start-up hook
