from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallcenterConfig(AppConfig):
    name = "abonent.callcenter"
    label = "callcenter"
    verbose_name = _("Call center")

    def ready(self) -> None:
        from abonent.callcenter import call_views, receivers  # noqa: F401 - receivers connect the merge signal
        from abonent.callcenter.demo import demo_callcenter_load
        from abonent.callcenter.models import Call, ServiceRequest
        from abonent.core.demo import DemoStep, demo_step_register
        from abonent.core.navigation import NavEntry, register
        from abonent.core.roles import Access
        from abonent.customers.history_words import history_words_register
        from abonent.customers.tabs import register_tab

        register(NavEntry("callcenter", _("Call queue"), "callcenter:queue_start", "telephone-outbound", order=20))
        register(NavEntry("callcenter", _("Calls"), "callcenter:calls:list", "telephone", order=21))
        register(NavEntry("callcenter", _("Service requests"), "callcenter:requests:list", "tools", order=22))
        register(NavEntry("callcenter", _("Request queues"), "callcenter:queue_requests", "inboxes", order=23))
        register(NavEntry("callcenter", _("Campaigns"), "callcenter:campaigns", "megaphone", order=24))
        register(NavEntry("callcenter", _("Call center reports"), "callcenter:reports", "printer", order=25))
        register(NavEntry("settings", _("Call center settings"), "callcenter:settings", "sliders", access=Access.WRITE,
                          section="admin", order=77))

        register_tab("calls", _("Calls and requests"), call_views.calls_tab, order=15, module="callcenter")
        demo_step_register(DemoStep("call center", demo_callcenter_load, order=50))
        history_words_register("callcenter", models={"call": Call, "request": ServiceRequest}, nouns={
            "call": _("Call"), "request": _("Service request"),
        }, verbs={
            "logged": pgettext_lazy("history", "logged"), "reviewed": pgettext_lazy("history", "reviewed"),
            "recording_attached": pgettext_lazy("history", "recording attached"),
            "created": pgettext_lazy("history", "created"), "changed": pgettext_lazy("history", "changed"),
            "message_added": pgettext_lazy("history", "message added"),
            "allocated": pgettext_lazy("history", "allocated"), "confirmed": pgettext_lazy("history", "confirmed"),
            "finalised": pgettext_lazy("history", "finalised"), "cancelled": pgettext_lazy("history", "cancelled"),
            "approval_requested": pgettext_lazy("history", "finalising waits for the verifier"),
            "approval_refused": pgettext_lazy("history", "finalising refused by the verifier"),
        })
