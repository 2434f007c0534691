from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BillingConfig(AppConfig):
    name = "abonent.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from abonent.billing import demo, receivers, views  # noqa: F401 - receivers regenerate schedules
        from abonent.billing.models import Allocation, ExpectedPayment, Payment
        from abonent.contracts.panels import register_panel
        from abonent.core.demo import DemoStep, demo_step_register
        from abonent.core.navigation import NavEntry, register
        from abonent.customers.history_words import history_words_register
        from abonent.customers.tabs import register_fact, register_tab

        register(NavEntry("billing", _("Payments"), "billing:list", "cash-coin", order=40))
        register(NavEntry("billing", _("Arrears"), "billing:arrears", "hourglass-split", order=41))
        demo_step_register(DemoStep("payments", demo.demo_payments_load, order=60))
        register_fact("balance", _("Balance"), views.balance_fact, order=10, module="billing")
        register_tab("billing", _("Billing"), views.billing_tab, order=36, module="billing")
        register_panel("schedule", _("Payment schedule"), views.schedule_panel, order=20, module="billing")
        history_words_register("billing", models={
            "payment": Payment, "allocation": Allocation, "credit_note": Payment,
            "item": ExpectedPayment,
        }, nouns={
            "payment": _("Payment"), "allocation": _("Allocation"), "schedule": _("Payment schedule"),
            "credit_note": _("Credit note"), "arrears": _("Arrears"), "reminder": _("Payment reminder"),
        }, verbs={
            "recorded": pgettext_lazy("history", "recorded"), "allocated": pgettext_lazy("history", "allocated"),
            "removed": pgettext_lazy("history", "removed (unmatched)"),
            "refunded": pgettext_lazy("history", "refunded"), "generated": pgettext_lazy("history", "updated"),
            "issued": pgettext_lazy("history", "issued"), "exported": pgettext_lazy("history", "exported"),
            "sent": pgettext_lazy("history", "sent"),
        })
