from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "abonent.appointments"
    label = "appointments"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        from abonent.appointments import (
            receivers,  # noqa: F401 - connects the party-merge receiver
            tab_views,
        )
        from abonent.appointments.demo import demo_appointments_load
        from abonent.core.demo import DemoStep, demo_step_register
        from abonent.core.navigation import NavEntry, register
        from abonent.core.roles import Access
        from abonent.customers.tabs import register_tab

        register(NavEntry("appointments", _("Calendar"), "appointments:calendar", "calendar-week", order=20))
        register(NavEntry("appointments", _("Book a meeting"), "appointments:book", "calendar-plus",
                          access=Access.WRITE, order=21))
        register(NavEntry("appointments", _("Meetings"), "appointments:list", "list-check", order=22))
        register_tab("meetings", _("Meetings"), tab_views.meetings_tab, order=45, module="appointments")
        demo_step_register(DemoStep("appointments", demo_appointments_load, order=40))
